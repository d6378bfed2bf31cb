import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany } from 'typeorm';
import { BaseEntity, MsColumn } from '../common/base.entity';
import type { AppearanceFormat, AppearanceKind, AppearanceStatus, Audience } from '../common/enums';
import { Institution } from '../institutions/institution.entity';
import { Office } from '../offices/office.entity';
import { AppearanceRecruiter } from './appearance-recruiter.entity';

/** An outreach event (never `Event`). Times are UTC epoch ms plus the venue's IANA zone. */
@Entity('appearances')
// The window listing: ordered by (starts_at, id) with ends_at/status in the index (count is index-only).
@Index('ix_appearances_window_cover', ['startsAt', 'id', 'endsAt', 'status'])
@Index('ix_appearances_office_window', ['officeId', 'startsAt'])
@Index('ix_appearances_institution_window', ['institutionId', 'startsAt'])
// Risk evidence (src/risk/evidence.ts): covering index for decayed sums of past appearances.
@Index('ix_appearances_risk_history', ['institutionId', 'startsAt', 'createdAt', 'status'])
// HR reports (src/reports): every column they read, so a window of appearances is index-only.
@Index('ix_appearances_report_cover', ['startsAt', 'id', 'endsAt', 'status', 'disrupted', 'institutionId', 'officeId', 'kind'])
export class Appearance extends BaseEntity {
  @Column({ type: 'varchar', length: 36, name: 'institution_id' })
  institutionId: string;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'institution_id' })
  institution?: Institution;

  @Column({ type: 'varchar', length: 36, name: 'office_id' })
  officeId: string;

  @ManyToOne(() => Office, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id' })
  office?: Office;

  @Column({ type: 'varchar', length: 32 })
  kind: AppearanceKind;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @MsColumn({ name: 'starts_at' })
  startsAt: number;

  @MsColumn({ name: 'ends_at' })
  endsAt: number;

  /** The venue's IANA zone; local wall-clock times are derived from it. */
  @Column({ type: 'varchar', length: 64, name: 'time_zone' })
  timeZone: string;

  @Column({ type: 'varchar', length: 300, default: '' })
  venue: string;

  @Column({ type: 'varchar', length: 16 })
  format: AppearanceFormat;

  @Column({ type: 'varchar', length: 16 })
  audience: Audience;

  @Column({ type: 'integer', name: 'expected_attendance', nullable: true })
  expectedAttendance: number | null;

  @Column({ type: 'boolean', name: 'visible_branding', default: false })
  visibleBranding: boolean;

  /** A protest against this appearance has been announced: the level is at least High. */
  @Column({ type: 'boolean', name: 'protest_announced', default: false })
  protestAnnounced: boolean;

  @Column({ type: 'varchar', length: 16, default: 'planned' })
  status: AppearanceStatus;

  /** Optimistic concurrency: sent back as ETag, checked against If-Match / body.version. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  /** iCalendar SEQUENCE: rises with every change recipients should see. */
  @Column({ type: 'integer', default: 0 })
  sequence: number;

  /** Per-appearance briefing offsets in minutes before start (null = the configured default). */
  @Column({ type: 'simple-json', name: 'briefing_offsets', nullable: true })
  briefingOffsets: number[] | null;

  /** Set when an incident aimed at the organisation is recorded against this appearance. */
  @Column({ type: 'boolean', default: false })
  disrupted: boolean;

  @Column({ type: 'varchar', length: 500, name: 'cancel_reason', nullable: true })
  cancelReason: string | null;

  /** The host's advance-notice deadline this appearance was booked past (allowShortNotice), else null. */
  @MsColumn({ name: 'short_notice_deadline', nullable: true })
  shortNoticeDeadline: number | null;

  @Column({ type: 'varchar', length: 36, name: 'created_by_id', nullable: true })
  createdById: string | null;

  @OneToMany(() => AppearanceRecruiter, (r) => r.appearance)
  recruiters?: AppearanceRecruiter[];
}
