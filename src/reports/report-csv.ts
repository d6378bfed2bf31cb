import { ValidationFailedError } from '../common/errors';
import { columnsOf, CsvColumn, toCsv } from './csv';
import type { EvidenceReport } from './evidence-report.service';
import type { IncidentTrendReport } from './incident-trend.service';
import type { AccountabilityReport, MitigationsReport } from './model-report.service';
import { OUTCOMES_SUMMARY_COLUMNS, OutcomesSummaryReport } from './outcomes-report.service';
import type { ReceptionTrendReport } from './reception-report.service';

export type AnyReport = OutcomesSummaryReport | IncidentTrendReport | AccountabilityReport | MitigationsReport | ReceptionTrendReport | EvidenceReport;

type Part = { columns: Array<CsvColumn<any>>; rows: readonly unknown[] };

/** Each report's exportable tables; the first is the default `part`. */
function parts(r: AnyReport): Record<string, Part> {
  switch (r.report) {
    case 'outcomes-summary':
      return { rows: { columns: columnsOf([...OUTCOMES_SUMMARY_COLUMNS] as any), rows: [...r.rows, r.totals] } };
    case 'incident-trend':
      return {
        months: { columns: columnsOf(['month', 'appearances', 'incidents', 'severe', 'rate', 'low', 'high', 'fitted'] as any), rows: r.months },
        verdict: { columns: columnsOf(['direction', 'verdict'] as any), rows: [{ direction: r.direction, verdict: r.verdict }] },
      };
    case 'model-accountability':
      return {
        levels: {
          columns: columnsOf(['level', 'appearances', 'disrupted', 'notDisrupted', 'meanPredicted', 'observedRate', 'observedLow', 'observedHigh', 'incidents'] as any),
          rows: r.levels,
        },
        cells: { columns: columnsOf(['level', 'observed', 'appearances'] as any), rows: r.cells },
        brier: { columns: columnsOf(['month', 'appearances', 'brier', 'reference', 'skill'] as any), rows: [...r.brierByMonth, r.brier] },
      };
    case 'mitigations':
      return {
        mitigations: {
          columns: [
            { header: 'mitigationId', value: (m: any) => m.mitigationId },
            { header: 'text', value: (m: any) => m.text },
            { header: 'usedAppearances', value: (m: any) => m.used.appearances },
            { header: 'usedDisrupted', value: (m: any) => m.used.disrupted },
            { header: 'usedDisruptedRate', value: (m: any) => m.used.disruptedRate },
            { header: 'comparableNotUsedRate', value: (m: any) => m.comparableNotUsedRate },
            { header: 'difference', value: (m: any) => m.difference },
            { header: 'caution', value: (m: any) => m.caution },
          ],
          rows: r.mitigations,
        },
      };
    case 'reception-trend':
      return {
        quarters: {
          columns: columnsOf(
            ['quarter', 'state', 'institutionKind', 'entries', 'stanceChanges', 'worsened', 'improved', 'partnershipsDeclined', 'invitationsDeclined', 'accessRestricted', 'cancelledByHost'] as any,
          ),
          rows: r.quarters,
        },
        worsened: {
          columns: columnsOf(['institutionId', 'name', 'state', 'institutionKind', 'stanceYearAgo', 'stanceNow', 'steps', 'declinesInYear'] as any),
          rows: r.worsenedMost,
        },
        states: { columns: columnsOf(['state', 'institutions', 'welcoming', 'neutral', 'cautious', 'restricted', 'hostile'] as any), rows: r.byState },
      };
    case 'evidence':
      return {
        counts: {
          columns: columnsOf(
            ['institutionKind', 'state', 'partnershipsDeclined', 'invitationsDeclined', 'accessRestricted', 'hostCancellationsRecorded', 'appearances', 'appearancesCancelled', 'cancelledByHost', 'disrupted', 'incidentsAimedAtUs', 'severeIncidents'] as any,
          ),
          rows: r.rows,
        },
        examples: { columns: columnsOf(['category', 'date', 'institution', 'institutionKind', 'state', 'detail'] as any), rows: r.examples },
      };
  }
}

/** The report (or one of its tables) as CSV, with a file name for Content-Disposition. */
export function reportCsv(r: AnyReport, part?: string): { filename: string; body: string } {
  const all = parts(r);
  const name = part ?? Object.keys(all)[0];
  const p = all[name];
  if (!p) throw new ValidationFailedError(`Unknown part "${name}"`, { part: `one of: ${Object.keys(all).join(', ')}` });
  const w = r.window;
  const day = (s: string | null) => (s ?? '').slice(0, 10);
  return { filename: `forewarn-${r.report}-${name}-${day(w.from)}-${day(w.to)}.csv`, body: toCsv(p.columns, p.rows as any[]) };
}

export function csvParts(r: AnyReport): string[] {
  return Object.keys(parts(r));
}
