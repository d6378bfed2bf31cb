import { AuthUser } from '../common/auth';
import type { AppearanceKind, InstitutionKind, Topic } from '../common/enums';
import { ForbiddenError, ValidationFailedError } from '../common/errors';
import { iso } from '../common/time';
import { ReportQuery } from './dto/report-query.dto';
import { addMonths, monthStart } from '../database/sql-dialect';

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
export function appearanceConditions(s: ReportScope, opts: { window?: boolean; a?: string; i?: string } = {}): { sql: string; params: Record<string, unknown> } {
  const a = opts.a ?? 'a';
  const i = opts.i ?? 'i';
  const conds: string[] = [];
  const params: Record<string, unknown> = {};
  if (opts.window !== false) {
    conds.push(`${a}.starts_at >= :from AND ${a}.starts_at < :to`);
    params.from = s.from;
    params.to = s.to;
  }
  if (s.officeId) {
    conds.push(`${a}.office_id = :officeId`);
    params.officeId = s.officeId;
  }
  if (s.kind) {
    conds.push(`${a}.kind = :kind`);
    params.kind = s.kind;
  }
  if (s.state) {
    conds.push(`${i}.state = :state`);
    params.state = s.state;
  }
  if (s.institutionKind) {
    conds.push(`${i}.kind = :institutionKind`);
    params.institutionKind = s.institutionKind;
  }
  return { sql: conds.length ? conds.join(' AND ') : '1 = 1', params };
}
