import { Injectable } from '@nestjs/common';
import { RISK_LEVELS, RiskLevel } from '../common/enums';
import { RISK_MITIGATIONS } from '../risk/mitigations';
import { BrierRow, brierByMonth, byLevel, LevelMonthSums, LevelRow } from './accountability';
import { compareMitigations, MITIGATION_CONFOUNDING, MitigationRow, MitigationSetRow, SMALL_ARM } from './mitigation-compare';
import { orgIncidentCode } from './outcomes-report.service';
import { appearanceConditions, describeScope, ReportScope } from './report-scope';
import { month } from '../database/dialect';
import { num, query, Sql, sql } from '../database/sql';
import { monthKeys } from './months';
import { DatabaseService } from '../database/database.service';

export interface CellRow {
  level: RiskLevel;
  observed: 'disrupted' | 'not_disrupted';
  appearances: number;
}

export interface AccountabilityReport {
  report: 'model-accountability';
  window: ReturnType<typeof describeScope>;
  definitions: Record<string, string>;
  cells: CellRow[];
  levels: LevelRow[];
  brierByMonth: BrierRow[];
  brier: BrierRow;
  notJudged: number;
}

export interface MitigationsReport {
  report: 'mitigations';
  window: ReturnType<typeof describeScope>;
  definitions: Record<string, string>;
  /** Plain warning that mitigations are chosen for riskier appearances (confounding). */
  warning: string;
  mitigations: MitigationRow[];
  debriefedWithLevel: number;
}

/**
 * The model's track record, straight from stored assessments and outcomes: for every appearance
 * that ended in the window, the latest assessment made at or before its start (as_of ≤ starts_at)
 * is the prediction; the observation is whether a disruption aimed at the organisation happened.
 */
@Injectable()
export class ModelReportService {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Judged appearances as two MATERIALIZED CTEs (SQLite ≥ 3.35 and PostgreSQL ≥ 12 both honour it,
   * so every per-row subquery runs once): `base` reads each appearance with its debrief and ONE
   * correlated count of incidents aimed at the organisation encoded as total·1000 + disruptive;
   * `q` keeps those that happened (ended, not cancelled by us; cancelled by the host or disrupted
   * counts) with the observation y and the latest assessment at or before the start.
   * For the mitigations report only debriefed appearances count, with their leads and mitigations;
   * the accountability report needs the month instead.
   */
  private judged(scope: ReportScope, forMitigations: boolean): Sql {
    // Level and p of the latest snapshot at or before the start: two seeks in the covering index
    // ix_risk_appearance_asof_seq (appearance_id, as_of, seq, level, p); (as_of, seq) is unique per appearance.
    const latest = (col: 'level' | 'p') =>
      sql`(SELECT r2.${sql.raw(col)} FROM risk_assessments r2 WHERE r2.appearance_id = b.id AND r2.as_of <= b.starts_at ORDER BY r2.as_of DESC, r2.seq DESC LIMIT 1)`;
    const w = appearanceConditions(scope);
    return sql`WITH base AS MATERIALIZED (
          SELECT a.id AS id, a.starts_at AS starts_at, a.status AS status, a.disrupted AS disrupted, o.result AS result,
            ${forMitigations ? sql`COALESCE(o.leads, 0) AS leads, o.mitigations_used AS mits,` : sql.empty} ${orgIncidentCode('a')} AS code
          FROM appearances a
          ${scope.state || scope.institutionKind ? sql`JOIN institutions i ON i.id = a.institution_id` : sql.empty}
          ${sql.raw(forMitigations ? 'JOIN' : 'LEFT JOIN')} outcomes o ON o.appearance_id = a.id
          WHERE ${w} AND a.ends_at <= ${scope.now} AND COALESCE(o.result, '') <> 'cancelled_by_us'
        ), q AS MATERIALIZED (
          SELECT b.id AS id, ${forMitigations ? sql.empty : sql`${month(sql`b.starts_at`)} AS m,`}
            CASE WHEN b.disrupted = TRUE OR b.result IN ('disrupted', 'ended_early', 'cancelled_by_host') OR b.code % 1000 > 0 THEN 1 ELSE 0 END AS y,
            b.code / 1000 AS inc, ${forMitigations ? sql`b.leads AS leads, b.mits AS mits,` : sql.empty}
            ${latest('level')} AS level, ${latest('p')} AS p
          FROM base b
          WHERE b.status <> 'cancelled' OR b.result = 'cancelled_by_host' OR b.code % 1000 > 0
        )`;
  }

  async accountability(scope: ReportScope): Promise<AccountabilityReport> {
    const j = this.judged(scope, false);
    // One pass: appearances without an assessment before their start come back with a NULL level.
    const rows = await this.db.read((m) =>
      query<Record<string, unknown>>(
        m,
        sql`${j}
       SELECT q.m AS m, q.level AS level, COUNT(*) AS n, SUM(q.y) AS k, SUM(q.inc) AS inc, SUM(q.inc * q.inc) AS inc2, SUM(q.p) AS sum_p,
          SUM((q.p - q.y) * (q.p - q.y)) AS sum_sq
       FROM q
       GROUP BY q.m, q.level`,
      ),
    );
    const notJudged = rows.filter((r) => r.level === null || r.level === undefined).reduce((s, r) => s + num(r.n), 0);
    const sums: LevelMonthSums[] = rows
      .filter((r) => (RISK_LEVELS as readonly string[]).includes(String(r.level)))
      .map((r) => ({
        month: String(r.m),
        level: r.level as RiskLevel,
        n: num(r.n),
        disrupted: num(r.k),
        incidents: num(r.inc),
        incidentsSq: num(r.inc2),
        sumP: num(r.sum_p),
        sumSq: num(r.sum_sq),
      }));
    const levels = byLevel(sums);
    const brier = brierByMonth(sums, monthKeys(scope.from, scope.to));
    return {
      report: 'model-accountability',
      window: describeScope(scope),
      definitions: {
        predicted: 'level and probability of the latest stored assessment made at or before the appearance started',
        observed: 'disrupted = an incident aimed at the organisation of a disruptive kind was recorded against it, or its debrief says disrupted, ended early or cancelled by host',
        judged: 'appearances starting in the window that have ended, excluding those we cancelled ourselves',
        brier: 'mean of (p − observed)², lower is better; reference = always predicting the window base rate; skill = 1 − brier / reference',
        notJudged: 'judged appearances with no assessment before they started',
      },
      cells: levels.flatMap((l) => [
        { level: l.level, observed: 'disrupted' as const, appearances: l.disrupted },
        { level: l.level, observed: 'not_disrupted' as const, appearances: l.notDisrupted },
      ]),
      levels,
      brierByMonth: brier.byMonth,
      brier: brier.overall,
      notJudged,
    };
  }

  async mitigations(scope: ReportScope): Promise<MitigationsReport> {
    const j = this.judged(scope, true);
    const rows = await this.db.read((m) =>
      query<Record<string, unknown>>(
        m,
        sql`${j}
       SELECT q.level AS level, q.mits AS mits, COUNT(*) AS n, SUM(q.y) AS k, SUM(q.inc) AS inc, SUM(q.leads) AS leads
       FROM q WHERE q.level IS NOT NULL
       GROUP BY q.level, q.mits`,
      ),
    );
    const sets: MitigationSetRow[] = rows.map((r) => ({
      level: r.level as RiskLevel,
      mitigations: parseList(r.mits),
      appearances: num(r.n),
      disrupted: num(r.k),
      incidents: num(r.inc),
      leads: num(r.leads),
    }));
    return {
      report: 'mitigations',
      window: describeScope(scope),
      definitions: {
        population: 'debriefed appearances that ended in the window with an assessment made before they started',
        comparable: 'appearances at the same predicted level that did not use the mitigation',
        comparableNotUsedRate: "non-users' disruption rate per level, weighted by the users' mix of levels",
        difference: "users' disruption rate minus the comparable rate at the levels where both exist (negative = fewer disruptions with it); association, not proof",
        differenceLow: '95% interval of the difference (Agresti–Caffo, stratified with the same weights); differenceHigh its upper end',
        p: 'Cochran–Mantel–Haenszel test by level (continuity corrected) of no association',
        comparableUsed: 'appearances with the mitigation at levels where appearances without it exist: what the estimate rests on',
        comparableNotUsedEffective: "effective number of appearances without it, once weighted to the users' level mix",
        caution: `shown when either of those is below ${SMALL_ARM}`,
      },
      warning: MITIGATION_CONFOUNDING,
      mitigations: compareMitigations(sets, RISK_MITIGATIONS),
      debriefedWithLevel: sets.reduce((s, r) => s + r.appearances, 0),
    };
  }
}

function parseList(v: unknown): string[] {
  if (typeof v !== 'string' || !v) return [];
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
