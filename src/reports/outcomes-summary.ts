/**
 * Outcomes summary arithmetic: from the sums SQL returns per group to the rows HR reads.
 * Pure; the ratios' denominators are spelled out in OUTCOMES_DEFINITIONS.
 */

export interface SummarySums {
  key: string;
  label: string;
  appearances: number;
  held: number;
  completed: number;
  cancelled: number;
  debriefed: number;
  debriefDue: number;
  disrupted: number;
  endedEarly: number;
  cancelledByHost: number;
  incidents: number;
  attendance: number;
  leads: number;
  applications: number;
}

export interface SummaryRow extends SummarySums {
  incidentsPerAppearance: number | null;
  leadsPerAppearance: number | null;
  yieldPerAppearance: number | null;
}

export const OUTCOMES_DEFINITIONS = {
  appearances: 'appearances starting in the window (any status)',
  held: 'appearances not cancelled that had started by now',
  completed: 'appearances with status completed',
  cancelled: 'appearances with status cancelled (by anyone)',
  debriefed: 'appearances with a debrief (outcome)',
  debriefDue: 'completed, or ended and not cancelled, without a debrief',
  disrupted: 'debrief says disrupted, or an incident aimed at the organisation flagged the appearance as disrupted',
  endedEarly: 'debrief says ended early',
  cancelledByHost: 'debrief says cancelled by host',
  incidents: 'incidents aimed at the organisation recorded against these appearances',
  incidentsPerAppearance: 'incidents / held',
  leadsPerAppearance: 'leads / debriefed',
  yieldPerAppearance: 'applications started / debriefed',
};

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function summaryRow(s: SummarySums): SummaryRow {
  return {
    ...s,
    incidentsPerAppearance: ratio(s.incidents, s.held),
    leadsPerAppearance: ratio(s.leads, s.debriefed),
    yieldPerAppearance: ratio(s.applications, s.debriefed),
  };
}

const SUMMED: Array<keyof Omit<SummarySums, 'key' | 'label'>> = [
  'appearances',
  'held',
  'completed',
  'cancelled',
  'debriefed',
  'debriefDue',
  'disrupted',
  'endedEarly',
  'cancelledByHost',
  'incidents',
  'attendance',
  'leads',
  'applications',
];

export function emptySums(key: string, label: string): SummarySums {
  const s = { key, label } as SummarySums;
  for (const k of SUMMED) s[k] = 0;
  return s;
}

export function totalRow(rows: SummarySums[]): SummaryRow {
  const t = emptySums('total', 'All');
  for (const r of rows) for (const k of SUMMED) t[k] += r[k];
  return summaryRow(t);
}

export const SUMMARY_FIELDS = SUMMED;
