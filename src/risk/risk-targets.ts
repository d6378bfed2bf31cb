/** The reads a batch assessment starts from: the appearances in scope and their latest snapshots. */
import type { EntityManager } from 'typeorm';
import { isPostgres } from '../database/dialect';
import { query, Sql, sql } from '../database/sql';
import type { AppearanceFormat, AppearanceKind, Audience, RiskLevel } from '../common/enums';
import type { AppearanceAttributes, ShortNotice } from './model';

type Row = Record<string, unknown>;
const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

/**
 * The model's appearance attributes from a raw row of appearances joined with institutions
 * (snake_case columns; booleans as 0/1 on SQLite and true/false on PostgreSQL).
 */
export function attributesFromRow(r: Row): AppearanceAttributes {
  return {
    kind: r.kind as AppearanceKind,
    format: r.format as AppearanceFormat,
    audience: r.audience as Audience,
    expectedAttendance: r.expected_attendance === null || r.expected_attendance === undefined ? null : Number(r.expected_attendance),
    visibleBranding: bool(r.visible_branding),
    protestAnnounced: bool(r.protest_announced),
    limitsImmigrationCooperation: bool(r.limits_immigration_cooperation),
    ownership: (r.ownership as string | null | undefined) ?? null,
    highestDegree: (r.highest_degree as string | null | undefined) ?? null,
    state: String(r.state ?? ''),
    shortNotice: shortNoticeFromRow(r),
  };
}

/** Booked past the host's advance-notice deadline (appearances.short_notice_deadline), or null. */
function shortNoticeFromRow(r: Row): ShortNotice | null {
  if (r.short_notice_deadline === null || r.short_notice_deadline === undefined) return null;
  return { deadline: Number(r.short_notice_deadline), advanceNoticeDays: Number(r.advance_notice_days ?? 0), timeZone: String(r.time_zone ?? 'UTC') };
}

/** One appearance to assess, as read by the batch query. */
export interface Target {
  id: string;
  institutionId: string;
  state: string;
  startsAt: number;
  status: string;
  attrs: AppearanceAttributes;
}

export interface Previous {
  level: RiskLevel;
  seq: number;
  wave: number;
}

const TARGET_COLUMNS = sql.raw(`a.id, a.institution_id, i.state, i.limits_immigration_cooperation, i.ownership, i.highest_degree, a.kind, a.format, a.audience,
            a.expected_attendance, a.visible_branding, a.protest_announced, a.starts_at, a.status,
            a.short_notice_deadline, a.time_zone, i.advance_notice_days`);

function targetOf(r: Row): Target {
  return {
    id: String(r.id),
    institutionId: String(r.institution_id),
    state: String(r.state ?? ''),
    startsAt: Number(r.starts_at),
    status: String(r.status),
    attrs: attributesFromRow(r),
  };
}

/** The appearances matching `where` (a condition over `appearances a JOIN institutions i`), without their snapshots. */
export async function loadTargets(m: EntityManager, where: Sql): Promise<Target[]> {
  const rows = await query<Row>(m, sql`SELECT ${TARGET_COLUMNS} FROM appearances a JOIN institutions i ON i.id = a.institution_id WHERE ${where}`);
  return rows.map(targetOf);
}

/** Id, institution and state of the appearances in scope (a narrow read, served by a covering index). */
export async function listScope(m: EntityManager, where: Sql): Promise<{ id: string; institutionId: string; state: string }[]> {
  const rows = await query<Row>(m, sql`SELECT a.id, a.institution_id, i.state FROM appearances a JOIN institutions i ON i.id = a.institution_id WHERE ${where}`);
  return rows.map((r) => ({ id: String(r.id), institutionId: String(r.institution_id), state: String(r.state ?? '') }));
}

/**
 * What a batch assessment starts from, in one read: the appearances in scope and the latest snapshot
 * of each (level, seq, wave). On PostgreSQL their rows are locked first (lockScope), so concurrent
 * re-assessments of the same appearance queue up and the second one reads the first one's snapshot:
 * no duplicate seq and no second "rise". SQLite serialises writers already.
 */
export async function loadScope(m: EntityManager, where: Sql): Promise<{ targets: Target[]; previous: Map<string, Previous> }> {
  const locked = await lockScope(m, where);
  const read = await query<Row>(
    m,
    sql`SELECT ${TARGET_COLUMNS}, r.level AS prev_level, r.seq AS prev_seq, r.regional_wave AS prev_wave
     FROM appearances a JOIN institutions i ON i.id = a.institution_id
     LEFT JOIN risk_assessments r ON r.appearance_id = a.id
      AND r.seq = (SELECT MAX(r2.seq) FROM risk_assessments r2 WHERE r2.appearance_id = a.id)
     WHERE ${where}`,
  );
  // the read runs on a later snapshot (READ COMMITTED): a row that entered the scope in between was
  // not locked, and is left to the batch that locks it
  const rows = locked ? read.filter((r) => locked.has(String(r.id))) : read;
  const previous = new Map<string, Previous>();
  for (const r of rows) {
    if (r.prev_seq !== null && r.prev_seq !== undefined) previous.set(String(r.id), { level: r.prev_level as RiskLevel, seq: Number(r.prev_seq), wave: Number(r.prev_wave) });
  }
  return { targets: rows.map(targetOf), previous };
}

/**
 * PostgreSQL: locks the rows of the appearances in scope in one global order (byte order of the id),
 * so two batches that overlap take them in the same order and cannot deadlock; returns their ids.
 * Null on SQLite (writers are serialised: nothing to lock).
 */
async function lockScope(m: EntityManager, where: Sql): Promise<Set<string> | null> {
  if (!isPostgres(m)) return null;
  const rows = await query<Row>(m, sql`SELECT a.id FROM appearances a JOIN institutions i ON i.id = a.institution_id WHERE ${where} ORDER BY a.id COLLATE "C" FOR UPDATE OF a`);
  return new Set(rows.map((r) => String(r.id)));
}

export function uniqueInstitutions(targets: { institutionId: string; state: string }[]): { id: string; state: string }[] {
  const seen = new Map<string, string>();
  for (const t of targets) seen.set(t.institutionId, t.state);
  return [...seen].map(([id, state]) => ({ id, state }));
}
