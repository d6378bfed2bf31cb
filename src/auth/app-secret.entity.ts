import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/**
 * Secrets Forewarn generates for itself on PostgreSQL (where several instances must agree on them):
 * the master key behind sign-in tokens and signed links when JWT_SECRET is not set. On SQLite the
 * same secret lives in a file beside the database instead (mode 0600).
 */
@Entity('app_secrets')
export class AppSecret {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  value: string;

  @MsColumn({ name: 'created_at' })
  createdAt: number;
}
