import { registerDecorator, ValidateIf, ValidationArguments, ValidationOptions } from 'class-validator';
import { isValidZone } from './time';

/** An IANA time zone that exists (e.g. America/New_York). */
export function IsIanaZone(options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'isIanaZone',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be an IANA time zone such as America/New_York`, ...options },
      validator: { validate: (v: unknown) => isValidZone(v) },
    });
}

/**
 * Years an instant may fall in. Older dates are typos (0202 for 2020) and break the risk decay
 * arithmetic; later ones are typos too. CSV importers should enforce the same range.
 */
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2200;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface InstantOptions {
  /** Also accept a calendar date (YYYY-MM-DD), read as 00:00 UTC that day. Default false. */
  date?: boolean;
}

/** The form an instant field accepts, in words, for messages and swagger descriptions. */
export function instantForm(opts: InstantOptions = {}): string {
  const dt = 'a date-time with an offset, e.g. 2026-03-09T10:00:00Z or 2026-03-09T10:00:00-04:00';
  return opts.date ? `${dt}, or a date, e.g. 2026-03-09 (00:00 UTC)` : dt;
}

function realDay(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/**
 * Parses an instant of the one accepted form: YYYY-MM-DDTHH:mm[:ss[.sss]] with Z or ±HH:MM (and,
 * with `date`, YYYY-MM-DD as 00:00 UTC). Returns epoch ms, or the reason it is refused. Every
 * accepted string means the same to `Date.parse` / `new Date()` (what services use).
 */
export function checkInstant(value: unknown, opts: InstantOptions = {}): { ms: number } | { reason: string } {
  const form = instantForm(opts);
  if (typeof value !== 'string') return { reason: `must be ${form}` };
  const dt = DATE_TIME.exec(value);
  const d = dt ? null : opts.date ? DATE_ONLY.exec(value) : null;
  if (!dt && !d) {
    const missingOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
    return { reason: missingOffset ? `must carry its offset (Z or ±HH:MM): ${form}` : `must be ${form}` };
  }
  const m = (dt ?? d)!;
  const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!realDay(y, mo, day)) return { reason: `is not a real date (${m[1]}-${m[2]}-${m[3]}): must be ${form}` };
  if (dt) {
    const [h, min, s] = [Number(dt[4]), Number(dt[5]), Number(dt[6] ?? 0)];
    if (h > 23 || min > 59 || s > 59) return { reason: `is not a real time of day: must be ${form}` };
    if (!dt[8] && (Number(dt[10]) > 23 || Number(dt[11]) > 59)) return { reason: `has an impossible offset ${dt[9]}${dt[10]}:${dt[11]}: must be ${form}` };
  }
  if (y < MIN_YEAR || y > MAX_YEAR) return { reason: `must be between the years ${MIN_YEAR} and ${MAX_YEAR} (got ${m[1]})` };
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return { reason: `must be ${form}` };
  return { ms };
}

/**
 * An instant: `YYYY-MM-DDTHH:mm[:ss[.sss]]` with `Z` or `±HH:MM` (never read in the server's
 * zone), or with `{ date: true }` also `YYYY-MM-DD` (00:00 UTC), in the years 1990–2200.
 * Replaces @IsISO8601, which lets week dates, ordinal dates, basic format and offset-less forms
 * through that `new Date()` turns into NaN or reads in the server's zone.
 */
export function IsInstant(opts: InstantOptions = {}, options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'isInstant',
      target: object.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) => {
          const r = checkInstant(args.value, opts);
          return `${args.property} ${'reason' in r ? r.reason : `must be ${instantForm(opts)}`}`;
        },
        ...options,
      },
      validator: { validate: (v: unknown) => 'ms' in checkInstant(v, opts) },
    });
}

/**
 * May be omitted, but not sent as null: use instead of @IsOptional() (which also skips null) on a
 * field whose column is NOT NULL. null is then validated by the field's own validators and refused.
 * Keep @IsOptional() only where null has a meaning (e.g. "unset").
 */
export function OmittableNotNull(options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) => {
    ValidateIf((_o: unknown, v: unknown) => v !== undefined)(object, propertyName as string);
    registerDecorator({
      name: 'notNull',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: '$property may be left out but must not be null', ...options },
      validator: { validate: (v: unknown) => v !== null },
    });
  };
}
