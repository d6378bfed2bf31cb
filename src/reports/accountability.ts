import { RISK_LEVELS, RiskLevel } from '../common/enums';
import { clusterDispersion, rateWithInterval, RateEstimate, wilsonInterval } from './rate-interval';

/**
 * Model accountability arithmetic. SQL returns sums per (month, level); these pure functions turn
 * them into Brier scores, calibration per level and the predicted × observed table.
 */

export interface LevelMonthSums {
  month: string;
  level: RiskLevel;
  /** Appearances judged (held, with an assessment made before they started). */
  n: number;
  /** Appearances where a disruption aimed at the organisation was observed. */
  disrupted: number;
  /** Incidents aimed at the organisation linked to those appearances. */
  incidents: number;
  /** Σ over those appearances of (incidents at it)²: how clustered the incidents are (omitted = each alone). */
  incidentsSq?: number;
  sumP: number;
  /** Σ (p − y)², y = 1 when disrupted. */
  sumSq: number;
}

export interface BrierRow {
  month: string;
  appearances: number;
  brier: number | null;
  /** Brier of always predicting that month's observed rate: the no-skill reference. */
  reference: number | null;
  /** 1 − brier / reference of the whole window's base rate (null when undefined). */
  skill: number | null;
}

export interface LevelRow {
  level: RiskLevel;
  appearances: number;
  disrupted: number;
  notDisrupted: number;
  meanPredicted: number | null;
  observedRate: number | null;
  observedLow: number | null;
  observedHigh: number | null;
  incidents: number;
  incidentsPerAppearance: RateEstimate;
}

/** Brier score of predictions with mean p̄ against outcomes with k of n positive, from sums. */
export function brier(sumSq: number, n: number): number | null {
  return n > 0 ? sumSq / n : null;
}

/** Brier of a constant forecast equal to base rate b over n cases with k positives. */
export function referenceBrier(k: number, n: number, b = n > 0 ? k / n : 0): number | null {
  if (n <= 0) return null;
  // Σ (b − y)² = k(1 − b)² + (n − k) b²
  return (k * (1 - b) * (1 - b) + (n - k) * b * b) / n;
}

export function brierByMonth(rows: LevelMonthSums[], months: string[]): { byMonth: BrierRow[]; overall: BrierRow } {
  const agg = new Map<string, { n: number; k: number; sq: number }>();
  for (const m of months) agg.set(m, { n: 0, k: 0, sq: 0 });
  for (const r of rows) {
    const a = agg.get(r.month);
    if (!a) continue;
    a.n += r.n;
    a.k += r.disrupted;
    a.sq += r.sumSq;
  }
  let n = 0;
  let k = 0;
  let sq = 0;
  for (const a of agg.values()) {
    n += a.n;
    k += a.k;
    sq += a.sq;
  }
  const base = n > 0 ? k / n : 0;
  const skill = (b: number | null, ref: number | null) => (b === null || ref === null || ref === 0 ? null : 1 - b / ref);
  const byMonth = months.map((month) => {
    const a = agg.get(month) as { n: number; k: number; sq: number };
    const b = brier(a.sq, a.n);
    const ref = referenceBrier(a.k, a.n, base);
    return { month, appearances: a.n, brier: b, reference: ref, skill: skill(b, ref) };
  });
  const ob = brier(sq, n);
  const oref = referenceBrier(k, n, base);
  return { byMonth, overall: { month: 'all', appearances: n, brier: ob, reference: oref, skill: skill(ob, oref) } };
}

export function byLevel(rows: LevelMonthSums[]): LevelRow[] {
  return RISK_LEVELS.map((level) => {
    const mine = rows.filter((r) => r.level === level);
    const n = mine.reduce((s, r) => s + r.n, 0);
    const k = mine.reduce((s, r) => s + r.disrupted, 0);
    const sumP = mine.reduce((s, r) => s + r.sumP, 0);
    const incidents = mine.reduce((s, r) => s + r.incidents, 0);
    const incidentsSq = mine.reduce((s, r) => s + (r.incidentsSq ?? r.incidents), 0);
    const share = wilsonInterval(k, n);
    return {
      level,
      appearances: n,
      disrupted: k,
      notDisrupted: n - k,
      meanPredicted: n > 0 ? sumP / n : null,
      observedRate: n > 0 ? k / n : null,
      observedLow: share?.low ?? null,
      observedHigh: share?.high ?? null,
      incidents,
      // Several incidents can hit one appearance: the interval allows for it (rate-interval.ts).
      incidentsPerAppearance: rateWithInterval(incidents, n, 0.95, clusterDispersion(incidents, incidentsSq)),
    };
  });
}
