import { Injectable } from '@nestjs/common';
import { DISRUPTIVE_KINDS } from '../common/enums';
import { GroupBy } from './dto/report-query.dto';
import { emptySums, OUTCOMES_DEFINITIONS, SUMMARY_FIELDS, SummaryRow, summaryRow, SummarySums, totalRow } from './outcomes-summary';
import { appearanceConditions, describeScope, ReportScope } from './report-scope';
import { month } from '../database/dialect';
import { num, query, Sql, sql } from '../database/sql';
import { monthKeys } from './months';
import { DatabaseService } from '../database/database.service';

export interface OutcomesSummaryReport {
  report: 'outcomes-summary';
  window: ReturnType<typeof describeScope>;
  groupBy: GroupBy;
  definitions: typeof OUTCOMES_DEFINITIONS;
  rows: SummaryRow[];
  totals: SummaryRow;
}

/** The disruptive kinds of RISK_MODEL §1 as an SQL list (constants from enums.ts, never user input). */
const DISRUPTIVE = DISRUPTIVE_KINDS.map((k) => `'${k}'`).join(', ');

/**
 * Incidents aimed at the organisation recorded against appearance `a` (a correlated count: one
 * short seek in ix_incidents_appearance_target per appearance, never a scan of all incidents).
 */
export const orgIncidents = (a = 'a'): Sql => sql.raw(`(SELECT COUNT(*) FROM incidents x WHERE x.appearance_id = ${a}.id AND x.target = 'organisation')`);
/** Both counts from one seek: total·1000 + disruptive kinds (RISK_MODEL §1); decode with / 1000 and % 1000. */
export const orgIncidentCode = (a = 'a'): Sql =>
  sql.raw(`(SELECT COUNT(*) * 1000 + COALESCE(SUM(CASE WHEN x.kind IN (${DISRUPTIVE}) THEN 1 ELSE 0 END), 0) FROM incidents x WHERE x.appearance_id = ${a}.id AND x.target = 'organisation')`);
/** Outcomes summary grouped by institution, state, office, kind or month. One GROUP BY query. */
@Injectable()
export class OutcomesReportService {
  constructor(private readonly db: DatabaseService) {}

  async summary(scope: ReportScope, groupBy: GroupBy): Promise<OutcomesSummaryReport> {
    return this.db.read(async (rm) => {
      const group: Record<GroupBy, { key: Sql; label: Sql | 'itself' }> = {
        institution: { key: sql`a.institution_id`, label: sql`i.name` },
        state: { key: sql`i.state`, label: 'itself' },
        office: { key: sql`a.office_id`, label: sql`f.name` },
        kind: { key: sql`a.kind`, label: 'itself' },
        month: { key: month(sql`a.starts_at`), label: 'itself' },
      };
      const g = group[groupBy];
      // Month and kind are their own label: group by the key alone (one strftime per row and a narrower
      // sorter key — 12% of the 3-year summary's time on SQLite). Not state: grouping by i.state alone
      // makes SQLite walk institutions in ix_institutions_state_kind order and fetch every appearance
      // row (1.7× slower); with (key, label) it keeps the index-only window scan and sorts instead.
      const ownLabel = g.label === 'itself' && groupBy !== 'state';
      const label = g.label === 'itself' ? g.key : g.label;
      const where = appearanceConditions(scope);
      const needInstitution = groupBy === 'institution' || groupBy === 'state' || scope.state !== null || scope.institutionKind !== null;
      const rows = await query<Record<string, unknown>>(
        rm,
        sql`SELECT q.group_key AS group_key, ${ownLabel ? sql`q.group_key` : sql`q.label`} AS label,
          COUNT(*) AS appearances,
          SUM(CASE WHEN q.status <> 'cancelled' AND q.starts_at <= ${scope.now} THEN 1 ELSE 0 END) AS held,
          SUM(CASE WHEN q.status = 'completed' THEN 1 ELSE 0 END) AS completed,
          SUM(CASE WHEN q.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
          SUM(CASE WHEN q.result IS NOT NULL THEN 1 ELSE 0 END) AS debriefed,
          SUM(CASE WHEN q.result IS NULL AND (q.status = 'completed' OR (q.status <> 'cancelled' AND q.ends_at <= ${scope.now})) THEN 1 ELSE 0 END) AS debrief_due,
          SUM(CASE WHEN q.result = 'disrupted' OR q.disrupted = TRUE THEN 1 ELSE 0 END) AS disrupted,
          SUM(CASE WHEN q.result = 'ended_early' THEN 1 ELSE 0 END) AS ended_early,
          SUM(CASE WHEN q.result = 'cancelled_by_host' THEN 1 ELSE 0 END) AS cancelled_by_host,
          SUM(q.inc) AS incidents,
          SUM(COALESCE(q.attendance, 0)) AS attendance,
          SUM(COALESCE(q.leads, 0)) AS leads,
          SUM(COALESCE(q.applications_started, 0)) AS applications
        FROM (
          SELECT ${g.key} AS group_key, ${ownLabel ? sql.empty : sql`${label} AS label, `}a.status AS status, a.starts_at AS starts_at, a.ends_at AS ends_at,
            a.disrupted AS disrupted, o.result AS result, o.attendance AS attendance, o.leads AS leads,
            o.applications_started AS applications_started, ${orgIncidents('a')} AS inc
          FROM appearances a
          ${needInstitution ? sql`JOIN institutions i ON i.id = a.institution_id` : sql.empty}
          ${groupBy === 'office' ? sql`JOIN offices f ON f.id = a.office_id` : sql.empty}
          LEFT JOIN outcomes o ON o.appearance_id = a.id
          WHERE ${where}
        ) q
        GROUP BY q.group_key${ownLabel ? sql.empty : sql`, q.label`}`,
      );
      let sums: SummarySums[] = rows.map((r) => ({
        key: String(r.group_key),
        label: String(r.label),
        appearances: num(r.appearances),
        held: num(r.held),
        completed: num(r.completed),
        cancelled: num(r.cancelled),
        debriefed: num(r.debriefed),
        debriefDue: num(r.debrief_due),
        disrupted: num(r.disrupted),
        endedEarly: num(r.ended_early),
        cancelledByHost: num(r.cancelled_by_host),
        incidents: num(r.incidents),
        attendance: num(r.attendance),
        leads: num(r.leads),
        applications: num(r.applications),
      }));
      if (groupBy === 'month') {
        const byKey = new Map(sums.map((s) => [s.key, s]));
        sums = monthKeys(scope.from, scope.to).map((m) => byKey.get(m) ?? emptySums(m, m));
      } else {
        sums.sort((x, y) => y.appearances - x.appearances || x.label.localeCompare(y.label));
      }
      return {
        report: 'outcomes-summary',
        window: describeScope(scope),
        groupBy,
        definitions: OUTCOMES_DEFINITIONS,
        rows: sums.map(summaryRow),
        totals: totalRow(sums),
      };
    });
  }
}

export const OUTCOMES_SUMMARY_COLUMNS = ['key', 'label', ...SUMMARY_FIELDS, 'incidentsPerAppearance', 'leadsPerAppearance', 'yieldPerAppearance'] as const;
