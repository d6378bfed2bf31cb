import { AuthUser } from '../common/auth';
import type { AppearanceKind, InstitutionKind, Topic } from '../common/enums';
import { ForbiddenError, ValidationFailedError } from '../common/errors';
import { iso } from '../common/time';
import { ReportQuery } from './dto/report-query.dto';
import { Sql, sql } from '../database/sql';
import { addMonths, monthStart } from './months';

/** A report's resolved window and filters, after role limits are applied. */
export interface ReportScope {
  from: number;
  to: number;
  now: number;
  officeId: string | null;
  state: string | null;
  kind: AppearanceKind | null;
  institutionKind: InstitutionKind | null;
  /** Incident reports: only incidents with this topic. */
  topic: Topic | null;
}

const TEN_YEARS_MS = 10 * 366 * 86_400_000;

/**
 * Window [from, to): default `to` = now, default `from` = the start of the UTC month
 * `defaultMonths − 1` months before the month of `to` (so 12 → the last twelve calendar months,
 * this one included). Coordinators are limited to their own office; hr and admin see every office.
 */
export function resolveScope(q: ReportQuery, user: AuthUser, now: number, defaultMonths = 12): ReportScope {
  const to = q.to ? Date.parse(q.to) : now;
  const from = q.from ? Date.parse(q.from) : addMonths(monthStart(to - 1), -(defaultMonths - 1));
  if (!(from < to)) throw new ValidationFailedError('from must be before to', { from: `must be before to (${iso(to)})` });
  if (to - from > TEN_YEARS_MS) throw new ValidationFailedError('The window is limited to ten years', { from: 'at most ten years before to' });
  let officeId = q.officeId ?? null;
  if (user.role === 'coordinator') {
    if (!user.officeId) throw new ForbiddenError('A coordinator without an office cannot read reports');
    if (officeId && officeId !== user.officeId) throw new ForbiddenError('Coordinators see reports for their own office only', 'OTHER_OFFICE');
    officeId = user.officeId;
  }
  return {
    from,
    to,
    now,
    officeId,
    state: q.state ? q.state.toUpperCase() : null,
    kind: q.kind ?? null,
    institutionKind: q.institutionKind ?? null,
    topic: q.topic ?? null,
  };
}

/** The window and filters as echoed in every report. */
export function describeScope(s: ReportScope) {
  return {
    from: iso(s.from),
    to: iso(s.to),
    officeId: s.officeId,
    state: s.state,
    kind: s.kind,
    institutionKind: s.institutionKind,
    topic: s.topic,
  };
}

/**
 * WHERE conditions on appearances `a` joined to institutions `i` for the scope's filters.
 * `window` false leaves out the starts_at window (callers that window on something else).
 */
export function appearanceConditions(s: ReportScope, opts: { window?: boolean; a?: string; i?: string } = {}): Sql {
  const a = column(opts.a ?? 'a');
  const i = column(opts.i ?? 'i');
  const conds: Sql[] = [];
  if (opts.window !== false) conds.push(sql`${a('starts_at')} >= ${s.from} AND ${a('starts_at')} < ${s.to}`);
  if (s.officeId) conds.push(sql`${a('office_id')} = ${s.officeId}`);
  if (s.kind) conds.push(sql`${a('kind')} = ${s.kind}`);
  if (s.state) conds.push(sql`${i('state')} = ${s.state}`);
  if (s.institutionKind) conds.push(sql`${i('kind')} = ${s.institutionKind}`);
  return conds.length ? sql.join(conds, ' AND ') : sql.raw('1 = 1');
}

/** `AND i.state = … AND i.kind = …` for the scope's institution filters (empty without them). */
export function institutionFilter(s: ReportScope): Sql {
  const conds: Sql[] = [];
  if (s.state) conds.push(sql`i.state = ${s.state}`);
  if (s.institutionKind) conds.push(sql`i.kind = ${s.institutionKind}`);
  return conds.length ? sql`AND ${sql.join(conds, ' AND ')}` : sql.empty;
}

/** `alias.col` as written (aliases and columns are the code's own, checked to be plain names). */
const column = (alias: string) => (col: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new TypeError(`not a table alias: ${alias}`);
  return sql.raw(`${alias}.${col}`);
};
