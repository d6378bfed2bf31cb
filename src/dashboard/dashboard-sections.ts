import type { MitigationsReport } from '../reports/model-report.service';
import { rateText, signedPoints } from '../reports/report-format';
import { pct, table, TableView } from './dashboard-views';

/** Rates in the trend table: enough digits that two different rates never print alike. */
export const rate = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : rateText(v));

/** The mitigations section's table: each comparison with its interval and caution (the confounding warning goes above it). */
export function mitigationsTable(m: MitigationsReport): TableView {
  const rows = m.mitigations.map((x) => [
    x.text,
    x.comparableUsed,
    // The users' rate at the levels the comparison rests on (= comparable rate + difference).
    x.difference === null || x.comparableNotUsedRate === null ? '—' : pct(x.comparableNotUsedRate + x.difference),
    x.comparableNotUsedEffective ? Number(x.comparableNotUsedEffective.toFixed(1)) : '—',
    pct(x.comparableNotUsedRate),
    x.difference === null ? '—' : signedPoints(x.difference),
    x.differenceLow === null ? '—' : `${signedPoints(x.differenceLow).replace(' points', '')} to ${signedPoints(x.differenceHigh as number)}`,
    x.caution ?? '',
  ]);
  return table(
    'table-mitigations',
    `Disrupted with and without each mitigation, at the same predicted level (${m.debriefedWithLevel} debriefed appearances)`,
    ['Mitigation', 'With it (comparable)', 'Disrupted with it', 'Without it (effective)', 'Disrupted without (same levels)', 'Difference', '95% range', 'Caution'],
    rows,
  );
}
