/**
 * The one SQL that reads appearances as views: listing (window, filters, sort, page), the count
 * behind it, and single appearances by id. Plain SQL for SQLite and PostgreSQL; the benchmark's bare
 * server runs the listing's text (the page with its count in one statement, the count alone for a page
 * past the end), as GET /appearances does. The window query is served by ix_appearances_window: since an
 * appearance lasts at most 24 hours, "ends after :from" also bounds starts_at from below. CROSS JOIN
 * keeps SQLite's planner driving from appearances (PostgreSQL plans it as an ordinary join).
 */
import { commaList, DialectKind } from '../database/dialect';
import { Sql, sql } from '../database/sql';
import { isoCached, localIsoCached, MAX_DURATION_MS } from './appearance-times';
import type { AppearanceView } from './dto/appearance.dto';

export interface ListingFilter {
  ids?: string[];
  from?: number;
  to?: number;
  officeId?: string;
  institutionId?: string;
  recruiterId?: string;
  /** A personal calendar: appearances the user is assigned to, or (coordinators) all of their office's. */
  feedFor?: { userId: string; officeId: string | null };
  status?: string[];
  kind?: string;
  /** Latest risk level, one of these. */
  riskLevel?: string[];
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface ListingSql {
  sql: string;
  countSql: string;
  params: unknown[];
  countParams: unknown[];
  /** The page with the count of every match on each row (total_count): what GET /appearances runs. */
  withCountSql: string;
  withCountParams: unknown[];
}

/** The listing's page and its count as fragments (run with query(); see buildListingSql for the text). */
export function listingQueries(f: ListingFilter): { rows: Sql; count: Sql; rowsWithCount: Sql } {
  const where: Sql[] = [];
  if (f.ids) where.push(sql.in(sql`a.id`, f.ids));
  if (f.from !== undefined) where.push(sql`a.starts_at > ${f.from - MAX_DURATION_MS} AND a.ends_at > ${f.from}`);
  if (f.to !== undefined) where.push(sql`a.starts_at < ${f.to}`);
  if (f.officeId) where.push(sql`a.office_id = ${f.officeId}`);
  if (f.institutionId) where.push(sql`a.institution_id = ${f.institutionId}`);
  if (f.recruiterId) where.push(sql`a.id IN (SELECT ar.appearance_id FROM appearance_recruiters ar WHERE ar.user_id = ${f.recruiterId})`);
  if (f.feedFor) {
    const assigned = sql`a.id IN (SELECT ar.appearance_id FROM appearance_recruiters ar WHERE ar.user_id = ${f.feedFor.userId})`;
    where.push(f.feedFor.officeId ? sql`(${assigned} OR a.office_id = ${f.feedFor.officeId})` : assigned);
  }
  if (f.status?.length) where.push(sql.in(sql`a.status`, f.status));
  if (f.kind) where.push(sql`a.kind = ${f.kind}`);
  if (f.riskLevel?.length) where.push(sql.in(sql`(SELECT ra.level FROM risk_assessments ra WHERE ra.appearance_id = a.id ORDER BY ra.seq DESC LIMIT 1)`, f.riskLevel));
  const conditions = sql.join(where, ' AND ');
  const count = sql`SELECT COUNT(*) AS n FROM appearances a ${where.length ? sql`WHERE ${conditions}` : sql.empty}`;
  const dir = sql.raw(f.order === 'desc' ? 'DESC' : 'ASC');
  const page = f.limit !== undefined ? sql` LIMIT ${f.limit} OFFSET ${f.offset ?? 0}` : sql.empty;
  // the page's rows, each with the count of every match (an uncorrelated subquery: computed once), so
  // a page and its count are one statement and one committed state
  const select = (extra: Sql) => sql`SELECT a.id, a.institution_id, i.name AS institution_name, i.city AS institution_city, i.state AS institution_state, \
a.office_id, a.kind, a.title, a.starts_at, a.ends_at, a.time_zone, a.venue, a.format, a.audience, a.expected_attendance, \
a.visible_branding, a.protest_announced, a.status, a.version, a.sequence, a.briefing_offsets, a.disrupted, a.cancel_reason, \
a.created_at, a.updated_at, \
(SELECT ${commaList(sql`r.user_id`)} FROM appearance_recruiters r WHERE r.appearance_id = a.id) AS recruiter_ids, \
(SELECT ra.level FROM risk_assessments ra WHERE ra.appearance_id = a.id ORDER BY ra.seq DESC LIMIT 1) AS risk_level${extra} \
FROM appearances a CROSS JOIN institutions i WHERE i.id = a.institution_id${where.length ? sql` AND ${conditions}` : sql.empty} ORDER BY a.starts_at ${dir}, a.id ${dir}${page}`;
  return { rows: select(sql.empty), count, rowsWithCount: select(sql`, (${count}) AS total_count`) };
}

/** The listing's text and parameters for one dialect, for the query-plan spec and the benchmark's bare server. */
export function buildListingSql(f: ListingFilter, dialect: DialectKind): ListingSql {
  const q = listingQueries(f);
  const rows = q.rows.render(dialect);
  const count = q.count.render(dialect);
  const withCount = q.rowsWithCount.render(dialect);
  return { sql: rows.text, countSql: count.text, params: rows.params, countParams: count.params, withCountSql: withCount.text, withCountParams: withCount.params };
}

/** Raw row → view. Numbers may arrive as strings (PostgreSQL BIGINT), booleans as 0/1 (SQLite). */
export function rowToView(r: Record<string, any>): AppearanceView {
  const startsAt = Number(r.starts_at);
  const endsAt = Number(r.ends_at);
  const zone: string = r.time_zone;
  return {
    id: r.id,
    institutionId: r.institution_id,
    institution: { id: r.institution_id, name: r.institution_name, city: r.institution_city, state: r.institution_state },
    officeId: r.office_id,
    kind: r.kind,
    title: r.title,
    startsAt: isoCached(startsAt),
    endsAt: isoCached(endsAt),
    startsAtLocal: localIsoCached(startsAt, zone),
    endsAtLocal: localIsoCached(endsAt, zone),
    timeZone: zone,
    venue: r.venue,
    format: r.format,
    audience: r.audience,
    expectedAttendance: r.expected_attendance === null ? null : Number(r.expected_attendance),
    visibleBranding: !!r.visible_branding,
    protestAnnounced: !!r.protest_announced,
    status: r.status,
    version: Number(r.version),
    sequence: Number(r.sequence),
    briefingOffsets: r.briefing_offsets ? JSON.parse(r.briefing_offsets) : null,
    recruiterIds: r.recruiter_ids ? String(r.recruiter_ids).split(',').sort() : [],
    disrupted: !!r.disrupted,
    cancelReason: r.cancel_reason,
    riskLevel: r.risk_level ?? null,
    createdAt: isoCached(Number(r.created_at)),
    updatedAt: isoCached(Number(r.updated_at)),
  };
}
