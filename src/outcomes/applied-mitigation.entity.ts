import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/**
 * A mitigation from an appearance's checklist that its team ticked as applied (on the appearance
 * page, before or during the appearance). The debrief form starts from these as "mitigations used".
 */
@Entity('applied_mitigations')
export class AppliedMitigation {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'appearance_id' })
  appearanceId: string;

  /** Catalogue id (src/risk/mitigations.ts). */
  @PrimaryColumn({ type: 'varchar', length: 64, name: 'mitigation_id' })
  mitigationId: string;

  @Column({ type: 'varchar', length: 36, name: 'applied_by_id' })
  appliedById: string;

  @MsColumn({ name: 'applied_at' })
  appliedAt: number;
}
