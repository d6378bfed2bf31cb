import { Injectable } from '@nestjs/common';
import { STANCES, Stance } from '../common/enums';
import { iso } from '../common/time';
import { describeScope, institutionFilter, ReportScope } from './report-scope';
import { quarter } from '../database/dialect';
import { num, query, sql } from '../database/sql';
import { entryInForce, NEUTRAL_RANK, stanceRank } from '../reception/reception-sql';
import { DatabaseService } from '../database/database.service';

export interface ReceptionQuarterRow {
  quarter: string;
  state: string;
  institutionKind: string;
  entries: number;
  stanceChanges: number;
  worsened: number;
  improved: number;
  partnershipsDeclined: number;
  invitationsDeclined: number;
  accessRestricted: number;
  cancelledByHost: number;
}

export interface WorsenedRow {
  institutionId: string;
  name: string;
  state: string;
  institutionKind: string;
  stanceYearAgo: Stance | null;
  stanceNow: Stance;
  steps: number;
  declinesInYear: number;
}

export type StanceCounts = Record<Stance, number>;
export interface StateStanceRow extends StanceCounts {
  state: string;
  institutions: number;
}

export interface ReceptionTrendReport {
  report: 'reception-trend';
  window: ReturnType<typeof describeScope>;
  definitions: Record<string, string>;
  quarters: ReceptionQuarterRow[];
  worsenedMost: WorsenedRow[];
  byState: StateStanceRow[];
}

const STANCE_RANK = stanceRank(sql`e.stance`);
const IN_FORCE = entryInForce('e');

const YEAR_MS = 365 * 86_400_000;

/** How institutions' reception moves: per quarter, by state and institution kind; who worsened most. */
@Injectable()
export class ReceptionReportService {
  constructor(private readonly db: DatabaseService) {}

  async report(scope: ReportScope): Promise<ReceptionTrendReport> {
    return this.db.read(async (m) => {
      const instWhere = institutionFilter(scope);
      const q = quarter(sql`e.effective_at`);

      const quarters = await query<Record<string, unknown>>(
        m,
        sql`SELECT ${q} AS q, i.state AS state, i.kind AS ikind, COUNT(*) AS entries,
            SUM(CASE WHEN e.prev_rank IS NOT NULL AND e.prev_rank <> e.rnk THEN 1 ELSE 0 END) AS changes,
            SUM(CASE WHEN e.prev_rank IS NOT NULL AND e.rnk > e.prev_rank THEN 1 ELSE 0 END) AS worsened,
            SUM(CASE WHEN e.prev_rank IS NOT NULL AND e.rnk < e.prev_rank THEN 1 ELSE 0 END) AS improved,
            SUM(CASE WHEN e.kind = 'partnership_declined' THEN 1 ELSE 0 END) AS partnerships,
            SUM(CASE WHEN e.kind = 'invitation_declined' THEN 1 ELSE 0 END) AS invitations,
            SUM(CASE WHEN e.kind = 'access_restricted' THEN 1 ELSE 0 END) AS restricted,
            SUM(CASE WHEN e.kind = 'appearance_cancelled_by_host' THEN 1 ELSE 0 END) AS cancelled
         FROM (
           SELECT e.institution_id, e.kind, e.effective_at, ${STANCE_RANK} AS rnk,
             LAG(${STANCE_RANK}) OVER (PARTITION BY e.institution_id ORDER BY e.effective_at, e.recorded_at, e.id) AS prev_rank
           FROM reception_entries e WHERE e.effective_at < ${scope.to} AND ${IN_FORCE}
         ) e
         JOIN institutions i ON i.id = e.institution_id
         WHERE e.effective_at >= ${scope.from} ${instWhere}
         GROUP BY ${q}, i.state, i.kind
         ORDER BY 1, 2, 3`,
      );

      const yearAgo = scope.to - YEAR_MS;
      const latestRank = (bound: number) => sql`(SELECT ${STANCE_RANK} FROM reception_entries e
          WHERE e.institution_id = i.id AND e.effective_at < ${bound} AND ${IN_FORCE}
          ORDER BY e.effective_at DESC, e.recorded_at DESC, e.id DESC LIMIT 1)`;
      const neutral = sql.raw(String(NEUTRAL_RANK));
      const worsened = await query<Record<string, unknown>>(
        m,
        sql`SELECT * FROM (
           SELECT i.id AS id, i.name AS name, i.state AS state, i.kind AS ikind,
             ${latestRank(yearAgo)} AS before_rank, ${latestRank(scope.to)} AS now_rank,
             (SELECT COUNT(*) FROM reception_entries e WHERE e.institution_id = i.id AND e.effective_at >= ${yearAgo} AND e.effective_at < ${scope.to}
                AND e.kind IN ('partnership_declined', 'invitation_declined', 'access_restricted', 'appearance_cancelled_by_host') AND ${IN_FORCE}) AS declines
           FROM institutions i
           WHERE i.id IN (SELECT e.institution_id FROM reception_entries e WHERE e.effective_at >= ${yearAgo} AND e.effective_at < ${scope.to}) ${instWhere}
         ) w
         WHERE w.now_rank > COALESCE(w.before_rank, ${neutral})
         ORDER BY w.now_rank - COALESCE(w.before_rank, ${neutral}) DESC, w.declines DESC, w.name
         LIMIT 10`,
      );

      const states = await query<Record<string, unknown>>(
        m,
        sql`SELECT i.state AS state, c.stance AS stance, COUNT(*) AS n
         FROM (
           SELECT e.institution_id, e.stance,
             ROW_NUMBER() OVER (PARTITION BY e.institution_id ORDER BY e.effective_at DESC, e.recorded_at DESC, e.id DESC) AS rn
           FROM reception_entries e WHERE e.effective_at < ${scope.to} AND ${IN_FORCE}
         ) c
         JOIN institutions i ON i.id = c.institution_id
         WHERE c.rn = 1 ${instWhere}
         GROUP BY i.state, c.stance`,
      );
      const byState = new Map<string, StateStanceRow>();
      for (const r of states) {
        const state = String(r.state);
        let row = byState.get(state);
        if (!row) {
          row = { state, institutions: 0, ...(Object.fromEntries(STANCES.map((s) => [s, 0])) as StanceCounts) };
          byState.set(state, row);
        }
        const stance = String(r.stance) as Stance;
        if ((STANCES as readonly string[]).includes(stance)) row[stance] += num(r.n);
        row.institutions += num(r.n);
      }

      return {
        report: 'reception-trend',
        window: describeScope(scope),
        definitions: {
          quarter: "UTC calendar quarter of the entry's effective date; corrected (superseded) entries are left out",
          stanceChanges: "entries whose stance differs from the institution's previous entry (worsened = towards hostile)",
          worsenedMost: `institutions whose latest stance before ${iso(scope.to)} is furthest towards hostile from their stance a year earlier (no earlier entry counts as neutral)`,
          byState: 'institutions by their current stance (latest entry before the end of the window); institutions with no entry are not counted',
          scope: 'reception is about institutions, not offices: the office filter does not apply',
        },
        quarters: quarters.map((r) => ({
          quarter: String(r.q),
          state: String(r.state),
          institutionKind: String(r.ikind),
          entries: num(r.entries),
          stanceChanges: num(r.changes),
          worsened: num(r.worsened),
          improved: num(r.improved),
          partnershipsDeclined: num(r.partnerships),
          invitationsDeclined: num(r.invitations),
          accessRestricted: num(r.restricted),
          cancelledByHost: num(r.cancelled),
        })),
        worsenedMost: worsened.map((r) => ({
          institutionId: String(r.id),
          name: String(r.name),
          state: String(r.state),
          institutionKind: String(r.ikind),
          stanceYearAgo: r.before_rank === null || r.before_rank === undefined ? null : STANCES[num(r.before_rank)],
          stanceNow: STANCES[num(r.now_rank)],
          steps: num(r.now_rank) - (r.before_rank === null || r.before_rank === undefined ? NEUTRAL_RANK : num(r.before_rank)),
          declinesInYear: num(r.declines),
        })),
        byState: [...byState.values()].sort((a, b) => b.institutions - a.institutions || a.state.localeCompare(b.state)),
      };
    });
  }
}
