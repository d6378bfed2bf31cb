import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/** An organisation-wide risk setting (e.g. `topic_relations`), JSON, read by every instance. */
@Entity('risk_settings')
export class RiskSetting {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'text' })
  value: string;

  @MsColumn({ name: 'updated_at' })
  updatedAt: number;

  @Column({ type: 'varchar', length: 36, name: 'updated_by_id', nullable: true })
  updatedById: string | null;
}
