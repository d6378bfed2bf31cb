import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/**
 * Fixed-window counters for throttling sign-in and calendar-feed guessing, in the database so every
 * instance counts the same attempts. A bucket is e.g. "login-ip:203.0.113.7" or "login-account:<email>".
 */
@Entity('attempt_counters')
export class AttemptCounter {
  @PrimaryColumn({ type: 'varchar', length: 320 })
  bucket: string;

  @MsColumn({ name: 'window_start' })
  windowStart: number;

  @Column({ type: 'integer' })
  hits: number;
}
