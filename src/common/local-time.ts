import { DateTime } from 'luxon';
import { ValidationFailedError } from './errors';
import { HOUR_MS } from './time';
import { MAX_YEAR, MIN_YEAR } from './validators';

/**
 * Reading the times people type: ISO-8601 instants with an offset, and wall-clock times in an IANA
 * zone (refused when the clocks skip them or they happen twice). Appearances and the risk what-if
 * preview both read times this way.
 */

/** ISO-8601 instant with an explicit offset (Z or ±HH:MM), e.g. 2026-03-09T10:00:00-04:00. */
export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** A local wall-clock date-time without offset, e.g. 2026-03-09T10:00. */
export const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
export const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function bad(field: string, reason: string, code = 'VALIDATION_FAILED'): never {
  throw new ValidationFailedError(`${field} ${reason}`, { [field]: reason }, code);
}

/** Years outside 1990–2200 are typos (0202, 20266) and break the risk decay arithmetic. */
function saneYear(field: string, dt: DateTime): void {
  if (dt.year < MIN_YEAR || dt.year > MAX_YEAR) bad(field, `must be between the years ${MIN_YEAR} and ${MAX_YEAR} (got ${dt.year})`);
}

/** Parses an ISO-8601 instant that carries its offset. */
export function parseInstant(field: string, s: string): number {
  if (!ISO_WITH_OFFSET.test(s)) bad(field, 'must be ISO-8601 with an offset, e.g. 2026-03-09T10:00:00-04:00 (or use startsLocal/endsLocal with timeZone)');
  const dt = DateTime.fromISO(s, { setZone: true });
  if (!dt.isValid) bad(field, `is not a real date-time (${dt.invalidExplanation ?? dt.invalidReason})`);
  saneYear(field, dt);
  return dt.toMillis();
}

/**
 * Parses a local wall-clock time in a zone. A time that does not exist there (skipped by a DST
 * change, e.g. 02:30 on 2026-03-08 in America/New_York) is refused, never silently moved.
 */
export function parseLocal(field: string, s: string, zone: string): number {
  if (!LOCAL_DATE_TIME.test(s)) bad(field, 'must be a local date-time without offset, e.g. 2026-03-09T10:00');
  const dt = DateTime.fromISO(s, { zone });
  if (!dt.isValid) bad(field, `is not a real date-time (${dt.invalidExplanation ?? dt.invalidReason})`);
  saneYear(field, dt);
  const wanted = s.length === 16 ? `${s}:00` : s;
  if (dt.toFormat("yyyy-MM-dd'T'HH:mm:ss") !== wanted) {
    bad(field, `does not exist in ${zone}: the clocks skip it (daylight saving change); pick another time, e.g. ${dt.toFormat("yyyy-MM-dd'T'HH:mm")}`, 'NONEXISTENT_LOCAL_TIME');
  }
  // A wall-clock time that happens twice (the hour repeated when clocks go back) is refused with both
  // readings: silently taking one would put people at the venue an hour early or late.
  const readings = [dt.toMillis() - HOUR_MS, dt.toMillis(), dt.toMillis() + HOUR_MS].map((ms) => DateTime.fromMillis(ms, { zone })).filter((r) => r.toFormat("yyyy-MM-dd'T'HH:mm:ss") === wanted);
  if (readings.length > 1) {
    const [first, second] = readings.map((r) => `${r.toISO({ suppressMilliseconds: true })} (${r.toFormat('ZZZZ')})`);
    throw new ValidationFailedError(
      `${field} happens twice in ${zone} (the clocks go back that night)`,
      { [field]: `is ambiguous in ${zone}: it happens twice; send startsAt/endsAt with the offset you mean — ${first} (the first) or ${second} (the second)` },
      'AMBIGUOUS_LOCAL_TIME',
    );
  }
  return dt.toMillis();
}
