import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, BeforeInsert } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { MsColumn } from '../common/base.entity';
import type { ReceptionKind, Stance } from '../common/enums';
import { Institution } from '../institutions/institution.entity';

/**
 * One dated fact about how an institution received the organisation. Append-only: a correction is
 * a new entry whose `supersedesId` names the entry it replaces. No updatedAt on purpose.
 */
@Entity('reception_entries')
@Index('ix_reception_institution_effective', ['institutionId', 'effectiveAt'])
@Index('ix_reception_recorded', ['recordedAt'])
export class ReceptionEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36, name: 'institution_id' })
  institutionId: string;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'institution_id' })
  institution?: Institution;

  @Column({ type: 'varchar', length: 40 })
  kind: ReceptionKind;

  @Column({ type: 'varchar', length: 16 })
  stance: Stance;

  @Column({ type: 'text', default: '' })
  reason: string;

  @Column({ type: 'varchar', length: 300, default: '' })
  source: string;

  /** When it happened (or took effect). */
  @MsColumn({ name: 'effective_at' })
  effectiveAt: number;

  /** When it was written into Forewarn. Evidence respects as-of by this. */
  @MsColumn({ name: 'recorded_at' })
  recordedAt: number;

  @Column({ type: 'varchar', length: 36, name: 'recorded_by_id', nullable: true })
  recordedById: string | null;

  /** Unique: an entry is corrected at most once (correct the correction instead). */
  @Index('uq_reception_supersedes', { unique: true })
  @Column({ type: 'varchar', length: 36, name: 'supersedes_id', nullable: true })
  supersedesId: string | null;

  @BeforeInsert()
  protected assignId(): void {
    if (!this.id) this.id = randomUUID();
  }
}
