import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/**
 * One version of the risk model's parameters (RISK_MODEL §7), as written by `npm run risk:fit` or
 * shipped with Forewarn, with the back-test report it was judged by. Immutable but for activation;
 * at most one is active (none: the shipped default).
 */
@Entity('risk_parameter_sets')
export class RiskParameterSet {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  version: string;

  /** The RiskParams JSON. */
  @Column({ type: 'text' })
  params: string;

  /** The back-test report JSON (held-out figures beside the baselines), if it was judged. */
  @Column({ type: 'text', nullable: true })
  report: string | null;

  /** Whether it beat every baseline on the held-out part (AUC and log loss). */
  @Column({ type: 'boolean', name: 'beats_baselines', default: false })
  beatsBaselines: boolean;

  @Column({ type: 'boolean', default: false })
  active: boolean;

  @MsColumn({ name: 'created_at' })
  createdAt: number;

  @Column({ type: 'varchar', length: 36, name: 'created_by_id', nullable: true })
  createdById: string | null;

  @MsColumn({ name: 'activated_at', nullable: true })
  activatedAt: number | null;

  @Column({ type: 'varchar', length: 36, name: 'activated_by_id', nullable: true })
  activatedById: string | null;
}
