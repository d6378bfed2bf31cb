import { ValidationFailedError } from '../common/errors';
import { columnsOf, CsvColumn, toCsv } from './csv';
import type { EvidenceReport } from './evidence-report.service';
import type { IncidentTrendReport } from './incident-trend.service';
import type { MitigationRow } from './mitigation-compare';
import type { AccountabilityReport, MitigationsReport } from './model-report.service';
import { OUTCOMES_SUMMARY_COLUMNS, OutcomesSummaryReport } from './outcomes-report.service';
import type { ReceptionTrendReport } from './reception-report.service';

export type AnyReport = OutcomesSummaryReport | IncidentTrendReport | AccountabilityReport | MitigationsReport | ReceptionTrendReport | EvidenceReport;

interface Part {
  csv(): string;
}

/** A table of plain rows with the given keys as columns. */
function part<T extends object>(rows: readonly T[], keys: ReadonlyArray<keyof T & string>): Part {
  return { csv: () => toCsv(columnsOf<T>(keys), rows) };
}

/** A table with computed columns. */
function custom<T>(rows: readonly T[], columns: ReadonlyArray<CsvColumn<T>>): Part {
  return { csv: () => toCsv(columns, rows) };
}

/** Each report's exportable tables; the first is the default `part`. */
function parts(r: AnyReport): Record<string, Part> {
  switch (r.report) {
    case 'outcomes-summary':
      return { rows: part([...r.rows, r.totals], OUTCOMES_SUMMARY_COLUMNS) };
    case 'incident-trend':
      return {
        months: part(r.months, ['month', 'appearances', 'incidents', 'severe', 'rate', 'low', 'high', 'fitted', 'dispersion']),
        verdict: part(
          [
            {
              direction: r.direction,
              verdict: r.verdict,
              monthlyChange: r.trend?.monthlyChange ?? null,
              monthlyChangeLow: r.trend?.monthlyChangeLow ?? null,
              monthlyChangeHigh: r.trend?.monthlyChangeHigh ?? null,
              p: r.trend?.p ?? null,
              dispersion: r.trend?.dispersion ?? null,
            },
          ],
          ['direction', 'verdict', 'monthlyChange', 'monthlyChangeLow', 'monthlyChangeHigh', 'p', 'dispersion'],
        ),
      };
    case 'model-accountability':
      return {
        levels: part(r.levels, ['level', 'appearances', 'disrupted', 'notDisrupted', 'meanPredicted', 'observedRate', 'observedLow', 'observedHigh', 'incidents']),
        cells: part(r.cells, ['level', 'observed', 'appearances']),
        brier: part([...r.brierByMonth, r.brier], ['month', 'appearances', 'brier', 'reference', 'skill']),
      };
    case 'mitigations':
      return {
        mitigations: custom<MitigationRow>(r.mitigations, [
          { header: 'mitigationId', value: (m) => m.mitigationId },
          { header: 'text', value: (m) => m.text },
          { header: 'usedAppearances', value: (m) => m.used.appearances },
          { header: 'usedDisrupted', value: (m) => m.used.disrupted },
          { header: 'usedDisruptedRate', value: (m) => m.used.disruptedRate },
          { header: 'comparableNotUsedRate', value: (m) => m.comparableNotUsedRate },
          { header: 'difference', value: (m) => m.difference },
          { header: 'differenceLow', value: (m) => m.differenceLow },
          { header: 'differenceHigh', value: (m) => m.differenceHigh },
          { header: 'p', value: (m) => m.p },
          { header: 'comparableUsed', value: (m) => m.comparableUsed },
          { header: 'comparableNotUsedEffective', value: (m) => m.comparableNotUsedEffective },
          { header: 'caution', value: (m) => m.caution },
        ]),
      };
    case 'reception-trend':
      return {
        quarters: part(r.quarters, [
          'quarter',
          'state',
          'institutionKind',
          'entries',
          'stanceChanges',
          'worsened',
          'improved',
          'partnershipsDeclined',
          'invitationsDeclined',
          'accessRestricted',
          'cancelledByHost',
        ]),
        worsened: part(r.worsenedMost, ['institutionId', 'name', 'state', 'institutionKind', 'stanceYearAgo', 'stanceNow', 'steps', 'declinesInYear']),
        states: part(r.byState, ['state', 'institutions', 'welcoming', 'neutral', 'cautious', 'restricted', 'hostile']),
      };
    case 'evidence':
      return {
        counts: part(r.rows, [
          'institutionKind',
          'state',
          'partnershipsDeclined',
          'invitationsDeclined',
          'accessRestricted',
          'hostCancellationsRecorded',
          'appearances',
          'appearancesCancelled',
          'cancelledByHost',
          'disrupted',
          'incidentsAimedAtUs',
          'severeIncidents',
        ]),
        examples: part(r.examples, ['category', 'date', 'institution', 'institutionKind', 'state', 'detail']),
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
  return { filename: `forewarn-${r.report}-${name}-${day(w.from)}-${day(w.to)}.csv`, body: p.csv() };
}

export function csvParts(r: AnyReport): string[] {
  return Object.keys(parts(r));
}
