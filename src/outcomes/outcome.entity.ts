import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';
import type { OutcomeResult } from '../common/enums';
import { Appearance } from '../appearances/appearance.entity';

/** The debrief of one appearance. */
@Entity('outcomes')
// HR reports (src/reports): the debrief columns they read, so the join per appearance is index-only.
@Index('ix_outcomes_report_cover', ['appearanceId', 'result', 'attendance', 'leads', 'applicationsStarted', 'mitigationsUsed'])
export class Outcome {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'appearance_id' })
  appearanceId: string;

  @OneToOne(() => Appearance, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appearance_id' })
  appearance?: Appearance;

  @Column({ type: 'varchar', length: 24 })
  result: OutcomeResult;

  @Column({ type: 'integer', nullable: true })
  attendance: number | null;

  @Column({ type: 'integer', nullable: true })
  conversations: number | null;

  @Column({ type: 'integer', nullable: true })
  leads: number | null;

  @Column({ type: 'integer', name: 'applications_started', nullable: true })
  applicationsStarted: number | null;

  @Column({ type: 'simple-json', name: 'mitigations_used', default: '[]' })
  mitigationsUsed: string[];

  @Column({ type: 'text', default: '' })
  notes: string;

  @Column({ type: 'varchar', length: 36, name: 'submitted_by_id' })
  submittedById: string;

  @MsColumn({ name: 'submitted_at' })
  submittedAt: number;

  @MsColumn({ name: 'updated_at' })
  updatedAt: number;
}
