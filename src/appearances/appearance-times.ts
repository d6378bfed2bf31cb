import { DateTime, IANAZone } from 'luxon';
import { ValidationFailedError } from '../common/errors';
import { LOCAL_DATE, parseInstant, parseLocal } from '../common/local-time';
import { HOUR_MS, isValidZone } from '../common/time';

/** Sane appearance lengths: at least 15 minutes, at most 24 hours. */
export const MIN_DURATION_MS = 15 * 60_000;
export const MAX_DURATION_MS = 24 * HOUR_MS;

export interface TimeInput {
  startsAt?: string;
  endsAt?: string;
  startsLocal?: string;
  endsLocal?: string;
  /** Move to this local date, keeping the local wall-clock times (reschedule across DST). */
  date?: string;
  timeZone?: string;
}

export interface Times {
  startsAt: number;
  endsAt: number;
  timeZone: string;
}

function localParts(ms: number, zone: string): { date: string; time: string } {
  const dt = DateTime.fromMillis(ms, { zone });
  return { date: dt.toFormat('yyyy-MM-dd'), time: dt.toFormat('HH:mm:ss') };
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Resolves the times of a create (current = null) or an update. Rules:
 * - startsAt/endsAt (with offset) are instants; startsLocal/endsLocal are wall-clock in the zone;
 *   the two styles are not mixed in one request.
 * - On update, giving only the start keeps the duration; only the end keeps the start.
 * - `date` moves the appearance to another local date keeping its local wall-clock times, so a
 *   10:00 appearance stays at 10:00 across a DST change.
 * - Changing only the zone keeps the local wall-clock times in the new zone.
 */
function bad(field: string, reason: string, code = 'VALIDATION_FAILED'): never {
  throw new ValidationFailedError(`${field} ${reason}`, { [field]: reason }, code);
}

export function resolveTimes(input: TimeInput, current: Times | null, defaultZone: string): Times {
  const zone = input.timeZone ?? current?.timeZone ?? defaultZone;
  if (!isValidZone(zone)) bad('timeZone', 'must be an IANA time zone such as America/New_York');
  const abs = input.startsAt !== undefined || input.endsAt !== undefined;
  const local = input.startsLocal !== undefined || input.endsLocal !== undefined;
  if (abs && local) bad('startsLocal', 'cannot be combined with startsAt/endsAt: send either instants with offsets or local times');
  if (input.date !== undefined && (abs || local)) bad('date', 'moves the appearance keeping its local times; do not combine it with startsAt/endsAt/startsLocal/endsLocal');

  let startsAt: number;
  let endsAt: number;
  let startField = abs ? 'startsAt' : 'startsLocal';
  let endField = abs ? 'endsAt' : 'endsLocal';
  if (!current) {
    if (abs) {
      if (input.startsAt === undefined) bad('startsAt', 'is required with endsAt');
      if (input.endsAt === undefined) bad('endsAt', 'is required with startsAt');
    } else if (local) {
      if (input.startsLocal === undefined) bad('startsLocal', 'is required with endsLocal');
      if (input.endsLocal === undefined) bad('endsLocal', 'is required with startsLocal');
    } else {
      bad('startsAt', 'is required: send startsAt and endsAt (ISO-8601 with offset) or startsLocal and endsLocal (with timeZone)');
    }
  }
  const parse = (field: string, s: string) => (abs ? parseInstant(field, s) : parseLocal(field, s, zone));
  if (abs || local) {
    const s = abs ? input.startsAt : input.startsLocal;
    const e = abs ? input.endsAt : input.endsLocal;
    const duration = current ? current.endsAt - current.startsAt : 0;
    startsAt = s !== undefined ? parse(startField, s) : current!.startsAt;
    endsAt = e !== undefined ? parse(endField, e) : startsAt + duration;
  } else if (input.date !== undefined || (current && zone !== current.timeZone)) {
    // Keep the wall-clock: re-read the local start/end on the new date and/or in the new zone.
    const cur = current!;
    const start = localParts(cur.startsAt, cur.timeZone);
    const end = localParts(cur.endsAt, cur.timeZone);
    const newDate = input.date ?? start.date;
    if (!LOCAL_DATE.test(newDate)) bad('date', 'must be a local date, e.g. 2026-03-10');
    const endDate = addDays(newDate, daysBetween(start.date, end.date));
    startField = input.date !== undefined ? 'date' : 'timeZone';
    endField = startField;
    startsAt = parseLocal(startField, `${newDate}T${start.time}`, zone);
    endsAt = parseLocal(endField, `${endDate}T${end.time}`, zone);
  } else {
    startsAt = current!.startsAt;
    endsAt = current!.endsAt;
  }
  if (endsAt <= startsAt) bad(endField, `must be after ${startField}`);
  if (endsAt - startsAt < MIN_DURATION_MS) bad(endField, 'makes the appearance shorter than 15 minutes');
  if (endsAt - startsAt > MAX_DURATION_MS) bad(endField, 'makes the appearance longer than 24 hours');
  return { startsAt, endsAt, timeZone: zone };
}

/**
 * Offsets are looked up once per zone and UTC day: a day without a DST change has one offset; the
 * two change days a year are asked exactly. Small (about 1,800 entries per zone over five years).
 */
const offsetCache = new Map<string, Map<number, number>>();
const DAY = 86_400_000;

function offsetMinutes(ms: number, zone: string): number {
  let byZone = offsetCache.get(zone);
  if (!byZone) {
    byZone = new Map();
    offsetCache.set(zone, byZone);
  }
  const day = Math.floor(ms / DAY);
  let off = byZone.get(day);
  if (off === undefined) {
    const z = IANAZone.create(zone);
    const first = z.offset(day * DAY);
    off = first === z.offset(day * DAY + DAY - 1) ? first : NaN; // NaN: the offset changes that day
    if (byZone.size > 20_000) byZone.clear();
    byZone.set(day, off);
  }
  return Number.isNaN(off) ? IANAZone.create(zone).offset(ms) : off;
}

const suffixes = new Map<number, string>();
function offsetSuffix(off: number): string {
  let s = suffixes.get(off);
  if (s === undefined) {
    const abs = Math.abs(off);
    s = `${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    suffixes.set(off, s);
  }
  return s;
}

const utcFormatted = new Map<number, string>();

/** iso() with a small memory: the same instants (created, updated) come back in every listing. */
export function isoCached(ms: number): string {
  let s = utcFormatted.get(ms);
  if (s === undefined) {
    s = new Date(ms).toISOString();
    if (utcFormatted.size > 10_000) utcFormatted.clear();
    utcFormatted.set(ms, s);
  }
  return s;
}

/** Local ISO form with offset in the zone, e.g. 2026-03-09T10:00:00.000-04:00 (cheap: cached offsets). */
export function localIsoCached(ms: number, zone: string): string {
  const off = offsetMinutes(ms, zone);
  return new Date(ms + off * 60_000).toISOString().slice(0, 23) + offsetSuffix(off);
}
