import { Injectable } from '@nestjs/common';
import { topicBit } from '../common/topics';
import { clusterDispersion, rateWithInterval } from './rate-interval';
import { appearanceConditions, describeScope, ReportScope } from './report-scope';
import { dialectOf, monthKeys, num, query } from '../database/sql-dialect';
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
      const d = dialectOf(rm);
      const aw = appearanceConditions(scope);
      const held = await query<Record<string, unknown>>(
        rm,
        `SELECT ${d.month('a.starts_at')} AS m, COUNT(*) AS n
         FROM appearances a ${scope.state || scope.institutionKind ? 'JOIN institutions i ON i.id = a.institution_id' : ''}
         WHERE ${aw.sql} AND a.status <> 'cancelled' AND a.starts_at <= :now
         GROUP BY ${d.month('a.starts_at')}`,
        { ...aw.params, now: scope.now },
      );
      // Incidents: windowed on occurred_at. Office and appearance-kind filters can only be applied to
      // incidents recorded against an appearance; state and institution kind apply to all.
      const byAppearance = scope.officeId !== null || scope.kind !== null;
      const conds: string[] = [];
      const params: Record<string, unknown> = { from: scope.from, to: scope.to, now: scope.now };
      if (scope.officeId) {
        conds.push('a.office_id = :officeId');
        params.officeId = scope.officeId;
      }
      if (scope.kind) {
        conds.push('a.kind = :kind');
        params.kind = scope.kind;
      }
      if (scope.state) {
        conds.push('x.state = :state');
        params.state = scope.state;
      }
      // a bit of the topic mask, a number from the vocabulary (never user text)
      if (scope.topic) conds.push(`(x.topic_mask & ${topicBit(scope.topic)}) <> 0`);
      if (scope.institutionKind) {
        conds.push('i.kind = :institutionKind');
        params.institutionKind = scope.institutionKind;
      }
      // One row per month and cluster (the incidents at one appearance; those recorded without one
      // stand alone: the NULL group counts once per incident), so the month's interval can allow for
      // several incidents hitting one appearance. Index-only on ix_incidents_target_occurred_cluster.
      const month = d.month('x.occurred_at');
      const incidents = await query<Record<string, unknown>>(
        rm,
        `SELECT c.m AS m, SUM(c.k) AS k, SUM(CASE WHEN c.g IS NULL THEN c.k ELSE c.k * c.k END) AS k2, SUM(c.severe) AS severe FROM (
           SELECT ${month} AS m, x.appearance_id AS g, COUNT(*) AS k, SUM(CASE WHEN x.severity >= 3 THEN 1 ELSE 0 END) AS severe
           FROM incidents x
           ${scope.institutionKind ? 'JOIN institutions i ON i.id = x.institution_id' : ''}
           ${byAppearance ? 'JOIN appearances a ON a.id = x.appearance_id' : ''}
           WHERE x.target = 'organisation' AND x.occurred_at >= :from AND x.occurred_at < :to AND x.occurred_at <= :now
             ${conds.map((c) => `AND ${c}`).join(' ')}
           GROUP BY ${month}, x.appearance_id
         ) c
         GROUP BY c.m`,
        params,
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
