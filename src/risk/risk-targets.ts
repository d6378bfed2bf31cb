/** The reads a batch assessment starts from: the appearances in scope and their latest snapshots. */
import type { EntityManager } from 'typeorm';
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

export async function loadTargets(m: EntityManager, where: string, args: unknown[]): Promise<Target[]> {
  const rows = (await m.query(
    `SELECT a.id, a.institution_id, i.state, i.limits_immigration_cooperation, i.ownership, i.highest_degree, a.kind, a.format, a.audience,
            a.expected_attendance, a.visible_branding, a.protest_announced, a.starts_at, a.status,
            a.short_notice_deadline, a.time_zone, i.advance_notice_days
     FROM appearances a JOIN institutions i ON i.id = a.institution_id
     WHERE ${where}`,
    args,
  )) as Row[];
  return rows.map((r) => ({
    id: String(r.id),
    institutionId: String(r.institution_id),
    state: String(r.state ?? ''),
    startsAt: Number(r.starts_at),
    status: String(r.status),
    attrs: attributesFromRow(r),
  }));
}

/** Latest snapshot (level, seq, wave) of each appearance in scope: two index probes per appearance. */
export async function loadPrevious(m: EntityManager, where: string, args: unknown[]): Promise<Map<string, Previous>> {
  const rows = (await m.query(
    `SELECT r.appearance_id, r.level, r.seq, r.regional_wave
     FROM appearances a
     JOIN institutions i ON i.id = a.institution_id
     JOIN risk_assessments r ON r.appearance_id = a.id
      AND r.seq = (SELECT MAX(r2.seq) FROM risk_assessments r2 WHERE r2.appearance_id = a.id)
     WHERE ${where}`,
    args,
  )) as Row[];
  const out = new Map<string, Previous>();
  for (const r of rows) out.set(String(r.appearance_id), { level: r.level as RiskLevel, seq: Number(r.seq), wave: Number(r.regional_wave) });
  return out;
}

export function uniqueInstitutions(targets: Target[]): { id: string; state: string }[] {
  const seen = new Map<string, string>();
  for (const t of targets) seen.set(t.institutionId, t.state);
  return [...seen].map(([id, state]) => ({ id, state }));
}
