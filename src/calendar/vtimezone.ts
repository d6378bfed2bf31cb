import { DateTime, IANAZone } from 'luxon';

const HOUR_MS = 3_600_000;
const STEP_MS = 24 * HOUR_MS;

/** The zone's offset from UTC at an instant, in minutes (IANA data through Intl, via luxon). */
function offsetAt(zone: IANAZone, ms: number): number {
  return zone.offset(ms);
}

/** The first instant in (lo, hi] at which the offset differs from the one at lo (binary search to the second). */
function transitionBetween(zone: IANAZone, lo: number, hi: number): number {
  const before = offsetAt(zone, lo);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** A local date-time as iCalendar DATE-TIME without zone: the wall clock in the given offset. */
function localStamp(ms: number, offsetMinutes: number): string {
  return DateTime.fromMillis(ms + offsetMinutes * 60_000, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss");
}

function observance(zone: IANAZone, at: number, from: number, to: number): string[] {
  const dt = DateTime.fromMillis(at, { zone });
  const kind = dt.isInDST ? 'DAYLIGHT' : 'STANDARD';
  const name = dt.offsetNameShort;
  return [
    `BEGIN:${kind}`,
    // RFC 5545 §3.8.2.4: the onset is given in the local time in force before it (TZOFFSETFROM).
    `DTSTART:${localStamp(at, from)}`,
    `TZOFFSETFROM:${utcOffset(from)}`,
    `TZOFFSETTO:${utcOffset(to)}`,
    ...(name ? [`TZNAME:${name.replace(/[\\;,]/g, '')}`] : []),
    `END:${kind}`,
  ];
}

/**
 * Whether the wall-clock time of an instant happens twice in the zone (the hour repeated when the
 * clocks go back). Clients differ on which reading they take (RFC 5545 says the first, ical.js
 * takes the second), so such a time is written in UTC instead of as a local time with TZID.
 */
export function isRepeatedWallClock(tzid: string, ms: number): boolean {
  const zone = IANAZone.create(tzid);
  const wall = ms + offsetAt(zone, ms) * 60_000;
  const offsets = new Set([offsetAt(zone, ms - STEP_MS), offsetAt(zone, ms), offsetAt(zone, ms + STEP_MS)]);
  let readings = 0;
  for (const o of offsets) if (offsetAt(zone, wall - o * 60_000) === o) readings++;
  return readings > 1;
}

export interface ZoneRange {
  /** Earliest instant the calendar uses in this zone (epoch ms). */
  from: number;
  /** Latest instant (epoch ms). */
  to: number;
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 500;

/**
 * A VTIMEZONE (RFC 5545 §3.6.5) for an IANA zone, derived from the IANA data the runtime carries
 * (Intl, through luxon), that is exact for every instant of the range: the observance in force at
 * the range's start, then one STANDARD or DAYLIGHT component per offset change up to its end (no
 * RRULE, so a zone whose rules changed over the years is still right). The range is widened to
 * whole calendar years so that one calendar's events share one block and the text is cached.
 * Null for a name that is not an IANA zone.
 */
export function buildVTimezone(tzid: string, range: ZoneRange): string | null {
  const zone = IANAZone.create(tzid);
  if (!zone.isValid) return null;
  const startYear = DateTime.fromMillis(range.from, { zone: 'utc' }).year;
  const endYear = DateTime.fromMillis(range.to, { zone: 'utc' }).year;
  const key = `${tzid}|${startYear}|${endYear}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;

  // From a day before the first year (its first local hours) to a day into the year after the last.
  const start = Date.UTC(startYear, 0, 1) - STEP_MS;
  const end = Date.UTC(endYear + 1, 0, 1) + STEP_MS;
  const first = offsetAt(zone, start);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tzid}`, `X-LIC-LOCATION:${tzid}`, ...observance(zone, start, first, first)];
  let t = start;
  let current = first;
  while (t < end) {
    const next = Math.min(t + STEP_MS, end);
    if (offsetAt(zone, next) !== current) {
      const at = transitionBetween(zone, t, next);
      const to = offsetAt(zone, at);
      lines.push(...observance(zone, at, current, to));
      current = to;
      t = at;
    } else {
      t = next;
    }
  }
  lines.push('END:VTIMEZONE');
  const text = lines.join('\r\n');
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, text);
  return text;
}
