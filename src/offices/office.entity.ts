import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../common/base.entity';

/** A field office or team. Users and appearances belong to one. */
@Entity('offices')
export class Office extends BaseEntity {
  @Index('uq_offices_name', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  region: string;

  @Column({ type: 'varchar', length: 64, name: 'time_zone' })
  timeZone: string;
}
