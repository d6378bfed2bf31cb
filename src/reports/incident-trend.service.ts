import { Injectable } from '@nestjs/common';
import { topicBit } from '../common/topics';
import { clusterDispersion, rateWithInterval } from './rate-interval';
import { appearanceConditions, describeScope, ReportScope } from './report-scope';
import { month } from '../database/dialect';
import { num, query, Sql, sql } from '../database/sql';
import { monthKeys } from './months';
import { MonthCount, TrendVerdict, trendVerdict } from './trend-verdict';
import { DatabaseService } from '../database/database.service';

export interface TrendMonthRow {
  month: string;
  appearances: number;
  incidents: number;
  severe: number;
  /** Σc²/Σc over the month's clusters (incidents per appearance): 1 when every incident stands alone. */
  dispersion: number;
  rate: number | null;
  low: number | null;
  high: number | null;
  fitted: number | null;
}

export interface IncidentTrendReport {
  report: 'incident-trend';
  question: string;
  window: ReturnType<typeof describeScope>;
  definitions: Record<string, string>;
  months: TrendMonthRow[];
  totals: { appearances: number; incidents: number; rate: number | null; low: number | null; high: number | null };
  direction: TrendVerdict['direction'];
  verdict: string;
  trend: TrendVerdict['fit'];
  halves: TrendVerdict['halves'];
}

/** "Is it getting worse?": incidents aimed at the organisation per appearance, month by month. */
@Injectable()
export class IncidentTrendService {
  constructor(private readonly db: DatabaseService) {}

  async report(scope: ReportScope): Promise<IncidentTrendReport> {
    return this.db.read(async (rm) => {
      const aw = appearanceConditions(scope);
      const started = month(sql`a.starts_at`);
      const held = await query<Record<string, unknown>>(
        rm,
        sql`SELECT ${started} AS m, COUNT(*) AS n
         FROM appearances a ${scope.state || scope.institutionKind ? sql`JOIN institutions i ON i.id = a.institution_id` : sql.empty}
         WHERE ${aw} AND a.status <> 'cancelled' AND a.starts_at <= ${scope.now}
         GROUP BY ${started}`,
      );
      // Incidents: windowed on occurred_at. Office and appearance-kind filters can only be applied to
      // incidents recorded against an appearance; state and institution kind apply to all.
      const byAppearance = scope.officeId !== null || scope.kind !== null;
      const conds: Sql[] = [];
      if (scope.officeId) conds.push(sql`a.office_id = ${scope.officeId}`);
      if (scope.kind) conds.push(sql`a.kind = ${scope.kind}`);
      if (scope.state) conds.push(sql`x.state = ${scope.state}`);
      // a bit of the topic mask, a number from the vocabulary
      if (scope.topic) conds.push(sql`(x.topic_mask & ${topicBit(scope.topic)}) <> 0`);
      if (scope.institutionKind) conds.push(sql`i.kind = ${scope.institutionKind}`);
      // One row per month and cluster (the incidents at one appearance; those recorded without one
      // stand alone: the NULL group counts once per incident), so the month's interval can allow for
      // several incidents hitting one appearance. Index-only on ix_incidents_target_occurred_cluster.
      const occurred = month(sql`x.occurred_at`);
      const incidents = await query<Record<string, unknown>>(
        rm,
        sql`SELECT c.m AS m, SUM(c.k) AS k, SUM(CASE WHEN c.g IS NULL THEN c.k ELSE c.k * c.k END) AS k2, SUM(c.severe) AS severe FROM (
           SELECT ${occurred} AS m, x.appearance_id AS g, COUNT(*) AS k, SUM(CASE WHEN x.severity >= 3 THEN 1 ELSE 0 END) AS severe
           FROM incidents x
           ${scope.institutionKind ? sql`JOIN institutions i ON i.id = x.institution_id` : sql.empty}
           ${byAppearance ? sql`JOIN appearances a ON a.id = x.appearance_id` : sql.empty}
           WHERE x.target = 'organisation' AND x.occurred_at >= ${scope.from} AND x.occurred_at < ${scope.to} AND x.occurred_at <= ${scope.now}
             ${sql.join(
               conds.map((c) => sql`AND ${c}`),
               ' ',
             )}
           GROUP BY ${occurred}, x.appearance_id
         ) c
         GROUP BY c.m`,
      );
      const n = new Map(held.map((r) => [String(r.m), num(r.n)]));
      const k = new Map(incidents.map((r) => [String(r.m), { k: num(r.k), k2: num(r.k2), severe: num(r.severe) }]));
      const counts: MonthCount[] = monthKeys(scope.from, scope.to).map((month) => ({ month, appearances: n.get(month) ?? 0, incidents: k.get(month)?.k ?? 0 }));
      const verdict = trendVerdict(counts);
      const fitted = new Map((verdict.fit?.fitted ?? []).map((f) => [f.month, f.rate]));
      const months = counts.map((c) => {
        const mk = k.get(c.month);
        const dispersion = clusterDispersion(c.incidents, mk?.k2 ?? 0);
        const r = rateWithInterval(c.incidents, c.appearances, 0.95, dispersion);
        return { ...c, severe: mk?.severe ?? 0, dispersion, rate: r.rate, low: r.low, high: r.high, fitted: fitted.get(c.month) ?? null };
      });
      const ta = counts.reduce((s, c) => s + c.appearances, 0);
      const ti = counts.reduce((s, c) => s + c.incidents, 0);
      const tk2 = incidents.reduce((s, r) => s + num(r.k2), 0);
      return {
        report: 'incident-trend',
        question: 'Is it getting worse?',
        window: describeScope(scope),
        definitions: {
          appearances: 'appearances held in the month (not cancelled, started by now)',
          incidents: 'incidents aimed at the organisation that occurred in the month' + (byAppearance ? ', recorded against an appearance in the filter' : ''),
          dispersion: 'incidents clustered at one appearance: sum of squared cluster sizes over incidents (1 = every incident at its own appearance)',
          rate: 'incidents per appearance, with a 95% interval (low, high): exact Poisson, widened by the dispersion for clustered incidents',
          fitted: 'the quasi-Poisson trend line (rate per appearance)',
          verdict:
            'quasi-Poisson regression of monthly incidents on the month, offset by appearances, with a likelihood-ratio F test and the 95% range it implies; ' +
            'months without appearances pass their incidents to the next month with appearances; a fall with June to August in the later part of the window (a rise with them in the earlier part) is called only if it holds without those months',
        },
        months,
        totals: { appearances: ta, incidents: ti, ...rateWithInterval(ti, ta, 0.95, clusterDispersion(ti, tk2)) },
        direction: verdict.direction,
        verdict: verdict.verdict,
        trend: verdict.fit,
        halves: verdict.halves,
      };
    });
  }
}
