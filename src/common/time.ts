import { DateTime, IANAZone } from 'luxon';

/**
 * Instants are stored as epoch milliseconds (UTC) in BIGINT columns: the same SQL arithmetic on
 * SQLite and PostgreSQL, small covering indexes, and cheap JSON (ISO strings, not Date objects).
 */
export const msTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : typeof v === 'number' ? v : Number(v)),
};

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export function iso(ms: number): string;
export function iso(ms: number | null | undefined): string | null;
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

export function isValidZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length > 0 && zone.length < 64 && IANAZone.isValidZone(zone);
}

/** Local wall-clock form with offset, e.g. 2026-03-08T10:00:00.000-04:00, in the given zone. */
export function localIso(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO() as string;
}

/** Human form for emails: "Tuesday 10 March 2026, 10:00 EDT (America/New_York)". */
export function humanLocal(ms: number, zone: string): string {
  const dt = DateTime.fromMillis(ms, { zone });
  return `${dt.toFormat('cccc d LLLL yyyy, HH:mm ZZZZ')} (${zone})`;
}
