/**
 * The one SQL that reads appearances as views: listing (window, filters, sort, page), the count
 * behind it, and single appearances by id. Plain SQL for SQLite and PostgreSQL; the benchmark's bare
 * server runs exactly this text. The window query is served by ix_appearances_window: since an
 * appearance lasts at most 24 hours, "ends after :from" also bounds starts_at from below. CROSS JOIN
 * keeps SQLite's planner driving from appearances (PostgreSQL plans it as an ordinary join).
 */
import { isoCached, localIsoCached, MAX_DURATION_MS } from './appearance-times';
import type { AppearanceView } from './dto/appearance.dto';

export type Dialect = 'sqlite' | 'postgres';

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
}

export function buildListingSql(f: ListingFilter, dialect: Dialect): ListingSql {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return dialect === 'postgres' ? `$${params.length}` : '?';
  };
  const where: string[] = [];
  if (f.ids) where.push(f.ids.length ? `a.id IN (${f.ids.map(p).join(', ')})` : '1 = 0');
  if (f.from !== undefined) where.push(`a.starts_at > ${p(f.from - MAX_DURATION_MS)} AND a.ends_at > ${p(f.from)}`);
  if (f.to !== undefined) where.push(`a.starts_at < ${p(f.to)}`);
  if (f.officeId) where.push(`a.office_id = ${p(f.officeId)}`);
  if (f.institutionId) where.push(`a.institution_id = ${p(f.institutionId)}`);
  if (f.recruiterId) where.push(`a.id IN (SELECT ar.appearance_id FROM appearance_recruiters ar WHERE ar.user_id = ${p(f.recruiterId)})`);
  if (f.feedFor) {
    const assigned = `a.id IN (SELECT ar.appearance_id FROM appearance_recruiters ar WHERE ar.user_id = ${p(f.feedFor.userId)})`;
    where.push(f.feedFor.officeId ? `(${assigned} OR a.office_id = ${p(f.feedFor.officeId)})` : assigned);
  }
  if (f.status?.length) where.push(`a.status IN (${f.status.map(p).join(', ')})`);
  if (f.kind) where.push(`a.kind = ${p(f.kind)}`);
  if (f.riskLevel?.length) where.push(`(SELECT ra.level FROM risk_assessments ra WHERE ra.appearance_id = a.id ORDER BY ra.seq DESC LIMIT 1) IN (${f.riskLevel.map(p).join(', ')})`);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const countParams = [...params];
  const countSql = `SELECT COUNT(*) AS n FROM appearances a ${whereSql}`;
  const dir = f.order === 'desc' ? 'DESC' : 'ASC';
  const agg = dialect === 'postgres' ? `string_agg(r.user_id, ',' ORDER BY r.user_id)` : `group_concat(r.user_id, ',')`;
  let sql =
    `SELECT a.id, a.institution_id, i.name AS institution_name, i.city AS institution_city, i.state AS institution_state, ` +
    `a.office_id, a.kind, a.title, a.starts_at, a.ends_at, a.time_zone, a.venue, a.format, a.audience, a.expected_attendance, ` +
    `a.visible_branding, a.protest_announced, a.status, a.version, a.sequence, a.briefing_offsets, a.disrupted, a.cancel_reason, ` +
    `a.created_at, a.updated_at, ` +
    `(SELECT ${agg} FROM appearance_recruiters r WHERE r.appearance_id = a.id) AS recruiter_ids, ` +
    `(SELECT ra.level FROM risk_assessments ra WHERE ra.appearance_id = a.id ORDER BY ra.seq DESC LIMIT 1) AS risk_level ` +
    `FROM appearances a CROSS JOIN institutions i WHERE i.id = a.institution_id${where.length ? ` AND ${where.join(' AND ')}` : ''} ORDER BY a.starts_at ${dir}, a.id ${dir}`;
  if (f.limit !== undefined) sql += ` LIMIT ${p(f.limit)} OFFSET ${p(f.offset ?? 0)}`;
  return { sql, countSql, params, countParams };
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
