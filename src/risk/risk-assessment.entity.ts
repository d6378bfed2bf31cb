import { Column, Entity, Index, PrimaryColumn, BeforeInsert } from 'typeorm';
import { timeOrderedId } from '../common/ids';
import { MsColumn } from '../common/base.entity';
import type { RiskLevel } from '../common/enums';

/** An immutable snapshot of one risk assessment for one appearance. Never updated. */
@Entity('risk_assessments')
/** One snapshot per (appearance, seq) as numbered by RiskService; also "the latest" (seq DESC) and MAX(seq). */
@Index('ux_risk_appearance_seq', ['appearanceId', 'seq'], { unique: true })
/** (appearance_id, as_of) look-ups and the model reports (covering). */
@Index('ix_risk_appearance_asof_seq', ['appearanceId', 'asOf', 'seq', 'level', 'p'])
@Index('ix_risk_created', ['createdAt'])
export class RiskAssessment {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36, name: 'appearance_id' })
  appearanceId: string;

  @MsColumn({ name: 'as_of' })
  asOf: number;

  /** 1, 2, 3 ... per appearance: the order of snapshots (several can share one clock instant). */
  @Column({ type: 'integer', default: 0 })
  seq: number;

  /** W_s at as-of, kept so a new incident can tell whether the state's wave term moved. */
  @Column({ type: 'double precision', name: 'regional_wave', default: 0 })
  regionalWave: number;

  /** Why it was computed: appearance_created, appearance_updated, incident_recorded, reception_recorded, daily_refresh, on_demand ... */
  @Column({ type: 'varchar', length: 40 })
  trigger: string;

  @Column({ type: 'varchar', length: 40, name: 'model_version' })
  modelVersion: string;

  @Column({ type: 'double precision' })
  p: number;

  @Column({ type: 'double precision', name: 'p_severe' })
  pSevere: number;

  @Column({ type: 'varchar', length: 16 })
  level: RiskLevel;

  @Column({ type: 'double precision', name: 'interval_low' })
  intervalLow: number;

  @Column({ type: 'double precision', name: 'interval_high' })
  intervalHigh: number;

  /** Full model output: evidence counts, base-rate breakdown, factors, the reasons' notes (the factors' sentences are rebuilt from the factors: reasonsOf), mitigations. */
  @Column({ type: 'simple-json' })
  detail: Record<string, unknown>;

  @MsColumn({ name: 'created_at' })
  createdAt: number;

  @BeforeInsert()
  protected assignId(): void {
    if (!this.id) this.id = timeOrderedId();
  }
}
