import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity, MsColumn } from '../common/base.entity';
import type { CrowdBand, Impact, IncidentKind, Source, Target, Verification } from '../common/enums';
import { Institution } from '../institutions/institution.entity';
import { Appearance } from '../appearances/appearance.entity';

/**
 * Something that happened to the organisation's outreach or to organisations like it.
 * Never who protested: there is no field for a person, and free text passes the privacy guard.
 */
@Entity('incidents')
@Index('ix_incidents_institution_evidence', ['institutionId', 'recordedAt', 'occurredAt', 'target', 'severity', 'verification'])
@Index('ix_incidents_state_occurred', ['state', 'occurredAt'])
@Index('ix_incidents_occurred', ['occurredAt'])
@Index('ix_incidents_appearance', ['appearanceId'])
// Risk evidence (src/risk/evidence.ts): covering indexes for the per-state/institution and per-appearance aggregates.
@Index('ix_incidents_risk_evidence', ['state', 'institutionId', 'occurredAt', 'recordedAt', 'target', 'kind', 'severity', 'verification', 'appearanceId', 'topicMask'])
@Index('ix_incidents_risk_attached', ['appearanceId', 'target', 'kind', 'recordedAt', 'occurredAt', 'verification', 'state'])
@Index('ix_incidents_target_occurred_cluster', ['target', 'occurredAt', 'severity', 'institutionId', 'appearanceId'])
export class Incident extends BaseEntity {
  @Column({ type: 'varchar', length: 36, name: 'institution_id' })
  institutionId: string;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'institution_id' })
  institution?: Institution;

  /** Copied from the institution so regional queries need no join. */
  @Column({ type: 'varchar', length: 64, default: '' })
  state: string;

  @Column({ type: 'varchar', length: 36, name: 'appearance_id', nullable: true })
  appearanceId: string | null;

  @ManyToOne(() => Appearance, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'appearance_id' })
  appearance?: Appearance | null;

  @Column({ type: 'varchar', length: 32 })
  kind: IncidentKind;

  @MsColumn({ name: 'occurred_at' })
  occurredAt: number;

  @MsColumn({ name: 'recorded_at' })
  recordedAt: number;

  /** 1 minor, 2 moderate, 3 severe, 4 critical. */
  @Column({ type: 'integer' })
  severity: number;

  @Column({ type: 'varchar', length: 16, name: 'crowd_size', default: 'unknown' })
  crowdSize: CrowdBand;

  @Column({ type: 'varchar', length: 16, default: 'none' })
  impact: Impact;

  @Column({ type: 'varchar', length: 24 })
  target: Target;

  /** What it was about: a bit per topic of TOPICS (common/topics.ts); 0 = none recorded. */
  @Column({ type: 'integer', name: 'topic_mask', default: 0 })
  topicMask: number;

  @Column({ type: 'varchar', length: 16 })
  source: Source;

  @Column({ type: 'varchar', length: 16, default: 'reported' })
  verification: Verification;

  /** The institution's own statement when it disputes the report (kept, never deleted). */
  @Column({ type: 'text', name: 'dispute_statement', nullable: true })
  disputeStatement: string | null;

  @Column({ type: 'varchar', length: 36, name: 'dispute_recorded_by_id', nullable: true })
  disputeRecordedById: string | null;

  @MsColumn({ name: 'dispute_recorded_at', nullable: true })
  disputeRecordedAt: number | null;

  /** Short description. Blanked after the retention period; the structured facts stay. */
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @MsColumn({ name: 'description_expired_at', nullable: true })
  descriptionExpiredAt: number | null;

  @Column({ type: 'varchar', length: 36, name: 'recorded_by_id', nullable: true })
  recordedById: string | null;

  /** Makes re-importing the same CSV row a no-op. */
  @Index('uq_incidents_import_key', { unique: true })
  @Column({ type: 'varchar', length: 200, name: 'import_key', nullable: true })
  importKey: string | null;

  @Column({ type: 'integer', default: 1 })
  version: number;
}
