import type { MitigationsReport } from '../reports/model-report.service';
import { rateText, signedPoints } from '../reports/report-format';
import { esc, pct, table } from './html';

/** Rates in the trend table: enough digits that two different rates never print alike. */
export const rate = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : rateText(v));

/** The mitigations section's content: the confounding warning, then each comparison with its interval and caution. */
export function mitigationsContent(m: MitigationsReport): string {
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
  return `<p class="verdict" id="mitigations-warning">${esc(m.warning)}</p>
${table(
  'table-mitigations',
  `Disrupted with and without each mitigation, at the same predicted level (${m.debriefedWithLevel} debriefed appearances)`,
  ['Mitigation', 'With it (comparable)', 'Disrupted with it', 'Without it (effective)', 'Disrupted without (same levels)', 'Difference', '95% range', 'Caution'],
  rows,
)}`;
}
