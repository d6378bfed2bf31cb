import { Injectable } from '@nestjs/common';
import { topicBit } from '../common/topics';
import { iso } from '../common/time';
import { entryInForce } from '../reception/reception-sql';
import { appearanceConditions, describeScope, institutionFilter, ReportScope } from './report-scope';
import { num, query, Sql, sql } from '../database/sql';
import { DatabaseService } from '../database/database.service';

export interface EvidenceRow {
  institutionKind: string;
  state: string;
  partnershipsDeclined: number;
  invitationsDeclined: number;
  accessRestricted: number;
  hostCancellationsRecorded: number;
  appearances: number;
  appearancesCancelled: number;
  cancelledByHost: number;
  disrupted: number;
  incidentsAimedAtUs: number;
  severeIncidents: number;
}

export interface EvidenceExample {
  category: string;
  date: string;
  institution: string;
  institutionKind: string;
  state: string;
  detail: string;
}

export interface EvidenceReport {
  report: 'evidence';
  title: string;
  window: ReturnType<typeof describeScope>;
  definitions: Record<string, string>;
  rows: EvidenceRow[];
  totals: Omit<EvidenceRow, 'institutionKind' | 'state'>;
  examples: EvidenceExample[];
}

const EXAMPLES_PER_CATEGORY = 5;
const RECEPTION_KINDS = ['partnership_declined', 'invitation_declined', 'access_restricted', 'appearance_cancelled_by_host'];

/**
 * The whole-organisation evidence a working group brings to leadership: declined partnerships,
 * restricted access, cancelled appearances and disruptions, by institution kind and state, with
 * recent examples. Examples carry structured facts and the recorded reason, never incident free text.
 */
@Injectable()
export class EvidenceReportService {
  constructor(private readonly db: DatabaseService) {}

  async report(scope: ReportScope): Promise<EvidenceReport> {
    return this.db.read(async (m) => {
      const instWhere = institutionFilter(scope);

      const reception = await query<Record<string, unknown>>(
        m,
        sql`SELECT i.kind AS ikind, i.state AS state,
            SUM(CASE WHEN e.kind = 'partnership_declined' THEN 1 ELSE 0 END) AS partnerships,
            SUM(CASE WHEN e.kind = 'invitation_declined' THEN 1 ELSE 0 END) AS invitations,
            SUM(CASE WHEN e.kind = 'access_restricted' THEN 1 ELSE 0 END) AS restricted,
            SUM(CASE WHEN e.kind = 'appearance_cancelled_by_host' THEN 1 ELSE 0 END) AS host_cancelled
         FROM reception_entries e JOIN institutions i ON i.id = e.institution_id
         WHERE e.effective_at >= ${scope.from} AND e.effective_at < ${scope.to} AND ${sql.in(sql`e.kind`, RECEPTION_KINDS)} AND ${entryInForce('e')} ${instWhere}
         GROUP BY i.kind, i.state`,
      );
      // Aggregate per institution first (set-based, no join per row), then join the ≤ thousands of
      // institutions for their kind and state.
      const aw = appearanceConditions({ ...scope, state: null, institutionKind: null });
      const appearances = await query<Record<string, unknown>>(
        m,
        sql`SELECT i.kind AS ikind, i.state AS state, SUM(c.n) AS n, SUM(c.cancelled) AS cancelled, SUM(c.by_host) AS by_host, SUM(c.disrupted) AS disrupted
         FROM (
           SELECT a.institution_id AS institution_id, COUNT(*) AS n,
             SUM(CASE WHEN a.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
             SUM(CASE WHEN o.result = 'cancelled_by_host' THEN 1 ELSE 0 END) AS by_host,
             SUM(CASE WHEN a.disrupted = TRUE OR o.result IN ('disrupted', 'ended_early') THEN 1 ELSE 0 END) AS disrupted
           FROM appearances a LEFT JOIN outcomes o ON o.appearance_id = a.id
           WHERE ${aw}
           GROUP BY a.institution_id
         ) c JOIN institutions i ON i.id = c.institution_id
         WHERE 1 = 1 ${instWhere}
         GROUP BY i.kind, i.state`,
      );
      const byAppearance = scope.officeId !== null || scope.kind !== null;
      const xw = appearanceConditions({ ...scope, state: null, institutionKind: null }, { window: false });
      const incidents = await query<Record<string, unknown>>(
        m,
        sql`SELECT i.kind AS ikind, i.state AS state, SUM(c.n) AS n, SUM(c.severe) AS severe
         FROM (
           SELECT x.institution_id AS institution_id, COUNT(*) AS n, SUM(CASE WHEN x.severity >= 3 THEN 1 ELSE 0 END) AS severe
           FROM incidents x
           ${byAppearance ? sql`JOIN appearances a ON a.id = x.appearance_id` : sql.empty}
           WHERE x.target = 'organisation' AND x.occurred_at >= ${scope.from} AND x.occurred_at < ${scope.to} AND ${xw}
             ${scope.topic ? sql`AND (x.topic_mask & ${topicBit(scope.topic)}) <> 0` : sql.empty}
           GROUP BY x.institution_id
         ) c JOIN institutions i ON i.id = c.institution_id
         WHERE 1 = 1 ${instWhere}
         GROUP BY i.kind, i.state`,
      );

      const rows = new Map<string, EvidenceRow>();
      const row = (r: Record<string, unknown>): EvidenceRow => {
        const key = `${String(r.ikind)}|${String(r.state)}`;
        let v = rows.get(key);
        if (!v) {
          v = {
            institutionKind: String(r.ikind),
            state: String(r.state),
            partnershipsDeclined: 0,
            invitationsDeclined: 0,
            accessRestricted: 0,
            hostCancellationsRecorded: 0,
            appearances: 0,
            appearancesCancelled: 0,
            cancelledByHost: 0,
            disrupted: 0,
            incidentsAimedAtUs: 0,
            severeIncidents: 0,
          };
          rows.set(key, v);
        }
        return v;
      };
      for (const r of reception) {
        const v = row(r);
        v.partnershipsDeclined += num(r.partnerships);
        v.invitationsDeclined += num(r.invitations);
        v.accessRestricted += num(r.restricted);
        v.hostCancellationsRecorded += num(r.host_cancelled);
      }
      for (const r of appearances) {
        const v = row(r);
        v.appearances += num(r.n);
        v.appearancesCancelled += num(r.cancelled);
        v.cancelledByHost += num(r.by_host);
        v.disrupted += num(r.disrupted);
      }
      for (const r of incidents) {
        const v = row(r);
        v.incidentsAimedAtUs += num(r.n);
        v.severeIncidents += num(r.severe);
      }
      const list = [...rows.values()].sort((a, b) => a.institutionKind.localeCompare(b.institutionKind) || a.state.localeCompare(b.state));
      const totals = list.reduce(
        (t, r) => {
          for (const k of Object.keys(t) as Array<keyof typeof t>) t[k] += r[k];
          return t;
        },
        {
          partnershipsDeclined: 0,
          invitationsDeclined: 0,
          accessRestricted: 0,
          hostCancellationsRecorded: 0,
          appearances: 0,
          appearancesCancelled: 0,
          cancelledByHost: 0,
          disrupted: 0,
          incidentsAimedAtUs: 0,
          severeIncidents: 0,
        },
      );
      return {
        report: 'evidence',
        title: 'How institutions receive us: declined partnerships, restricted access, cancellations and disruptions',
        window: describeScope(scope),
        definitions: {
          partnershipsDeclined:
            'reception entries "partnership declined" effective in the window (corrections left out); likewise invitations declined, access restricted, host cancellations recorded',
          appearances: 'appearances starting in the window (office and kind filters apply)',
          appearancesCancelled: 'of those, cancelled (by anyone); cancelledByHost: the debrief says the host cancelled',
          disrupted: 'of those, disrupted or ended early',
          incidentsAimedAtUs: 'incidents aimed at the organisation that occurred in the window; severe = severity 3 or 4',
          examples: `up to ${EXAMPLES_PER_CATEGORY} most recent per category, structured facts only (no incident free text)`,
        },
        rows: list,
        totals,
        examples: await this.examples(scope, instWhere),
      };
    });
  }

  private async examples(scope: ReportScope, instWhere: Sql): Promise<EvidenceExample[]> {
    return this.db.read(async (m) => {
      const reception = await query<Record<string, unknown>>(
        m,
        sql`SELECT * FROM (
           SELECT e.kind AS category, e.effective_at AS at, i.name AS name, i.kind AS ikind, i.state AS state, e.stance AS stance, e.reason AS reason,
             ROW_NUMBER() OVER (PARTITION BY e.kind ORDER BY e.effective_at DESC, e.id) AS rn
           FROM reception_entries e JOIN institutions i ON i.id = e.institution_id
           WHERE e.effective_at >= ${scope.from} AND e.effective_at < ${scope.to} AND ${sql.in(sql`e.kind`, RECEPTION_KINDS)} AND ${entryInForce('e')} ${instWhere}
         ) t WHERE t.rn <= ${EXAMPLES_PER_CATEGORY}`,
      );
      // Two newest-first queries that stop after EXAMPLES_PER_CATEGORY rows (walking the starts_at
      // index backwards) instead of ranking every cancelled or disrupted appearance in the window.
      const aw = appearanceConditions(scope);
      const examplesOf = (category: 'appearance_cancelled' | 'appearance_disrupted', condition: Sql) =>
        query<Record<string, unknown>>(
          m,
          sql`SELECT a.starts_at AS at, a.kind AS akind, o.result AS result, ${sql.raw(`'${category}'`)} AS category, i.name AS name, i.kind AS ikind, i.state AS state
           FROM appearances a JOIN institutions i ON i.id = a.institution_id
           LEFT JOIN outcomes o ON o.appearance_id = a.id
           WHERE ${aw} AND ${condition}
           ORDER BY a.starts_at DESC, a.id DESC
           LIMIT ${EXAMPLES_PER_CATEGORY}`,
        );
      const appearances = [
        ...(await examplesOf('appearance_cancelled', sql`a.status = 'cancelled'`)),
        ...(await examplesOf('appearance_disrupted', sql`a.status <> 'cancelled' AND (a.disrupted = TRUE OR o.result IN ('disrupted', 'ended_early', 'cancelled_by_host'))`)),
      ];
      const out: EvidenceExample[] = [
        ...reception.map((r) => ({
          category: String(r.category),
          date: iso(num(r.at)),
          institution: String(r.name),
          institutionKind: String(r.ikind),
          state: String(r.state),
          detail: `stance ${String(r.stance)}${r.reason ? `: ${String(r.reason)}` : ''}`,
        })),
        ...appearances.map((r) => ({
          category: String(r.category),
          date: iso(num(r.at)),
          institution: String(r.name),
          institutionKind: String(r.ikind),
          state: String(r.state),
          detail: `${String(r.akind).replace(/_/g, ' ')}${r.result ? `; debrief: ${String(r.result).replace(/_/g, ' ')}` : ''}`,
        })),
      ];
      return out.sort((a, b) => a.category.localeCompare(b.category) || b.date.localeCompare(a.date));
    });
  }
}
