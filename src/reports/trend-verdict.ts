import { normalQuantile } from './rate-interval';

/**
 * "Is it getting worse?" as pure arithmetic. Input: per month, the appearances held (exposure) and
 * the incidents aimed at the organisation. Method: Poisson regression of the monthly count on the
 * month index with log(appearances) as offset (Newton–Raphson on two parameters), a Wald interval
 * on the slope, and — as a plainer cross-check — the rate in the second half of the window against
 * the first. The verdict is honest about thin data.
 */

export interface MonthCount {
  month: string; // YYYY-MM
  appearances: number;
  incidents: number;
}

export type TrendDirection = 'worse' | 'better' | 'no_clear_change' | 'not_enough_data';

export interface TrendFit {
  /** Multiplicative change of the rate per month, minus 1 (0.1 = +10% a month). */
  monthlyChange: number;
  monthlyChangeLow: number;
  monthlyChangeHigh: number;
  /** exp(intercept + slope·t) for each used month: the fitted rate per appearance. */
  fitted: Array<{ month: string; rate: number }>;
}

export interface HalvesComparison {
  firstHalf: { months: string[]; appearances: number; incidents: number; rate: number | null };
  secondHalf: { months: string[]; appearances: number; incidents: number; rate: number | null };
  rateRatio: number | null;
}

export interface TrendVerdict {
  direction: TrendDirection;
  verdict: string;
  fit: TrendFit | null;
  halves: HalvesComparison | null;
}

/** Below these, the report says it cannot tell. */
export const MIN_MONTHS_WITH_APPEARANCES = 4;
export const MIN_INCIDENTS = 5;

/** Poisson regression y_t ~ Poisson(n_t · exp(b0 + b1·t)). Returns null when it does not converge. */
export function fitPoissonTrend(points: Array<{ t: number; n: number; y: number }>): { b0: number; b1: number; se1: number } | null {
  const totalY = points.reduce((s, p) => s + p.y, 0);
  const totalN = points.reduce((s, p) => s + p.n, 0);
  if (totalY === 0 || totalN === 0 || points.length < 2) return null;
  let b0 = Math.log(totalY / totalN);
  let b1 = 0;
  for (let iter = 0; iter < 100; iter++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    for (const p of points) {
      const mu = p.n * Math.exp(b0 + b1 * p.t);
      g0 += p.y - mu;
      g1 += (p.y - mu) * p.t;
      h00 += mu;
      h01 += mu * p.t;
      h11 += mu * p.t * p.t;
    }
    const det = h00 * h11 - h01 * h01;
    if (!(det > 0)) return null;
    const d0 = (h11 * g0 - h01 * g1) / det;
    const d1 = (h00 * g1 - h01 * g0) / det;
    b0 += d0;
    b1 += d1;
    if (!Number.isFinite(b0) || !Number.isFinite(b1) || Math.abs(b1) > 50) return null;
    if (Math.abs(d0) < 1e-10 && Math.abs(d1) < 1e-10) {
      let f00 = 0;
      let f01 = 0;
      let f11 = 0;
      for (const p of points) {
        const mu = p.n * Math.exp(b0 + b1 * p.t);
        f00 += mu;
        f01 += mu * p.t;
        f11 += mu * p.t * p.t;
      }
      const fdet = f00 * f11 - f01 * f01;
      if (!(fdet > 0)) return null;
      return { b0, b1, se1: Math.sqrt(f00 / fdet) };
    }
  }
  return null;
}

function pct(x: number): string {
  const v = Math.round(x * 100);
  return `${v > 0 ? '+' : ''}${v}%`;
}

function r2(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(2);
}

export function compareHalves(months: MonthCount[]): HalvesComparison | null {
  const used = months.filter((m) => m.appearances > 0);
  if (used.length < 2) return null;
  const mid = Math.floor(used.length / 2);
  const sum = (xs: MonthCount[]) => {
    const appearances = xs.reduce((s, m) => s + m.appearances, 0);
    const incidents = xs.reduce((s, m) => s + m.incidents, 0);
    return { months: xs.map((m) => m.month), appearances, incidents, rate: appearances > 0 ? incidents / appearances : null };
  };
  const firstHalf = sum(used.slice(0, used.length - mid));
  const secondHalf = sum(used.slice(used.length - mid));
  const rateRatio = firstHalf.rate && secondHalf.rate !== null ? secondHalf.rate / firstHalf.rate : null;
  return { firstHalf, secondHalf, rateRatio };
}

/** The plain-words verdict on the monthly series (months in order, zeros included). */
export function trendVerdict(months: MonthCount[], confidence = 0.95): TrendVerdict {
  const used = months.map((m, t) => ({ ...m, t })).filter((m) => m.appearances > 0);
  const incidents = used.reduce((s, m) => s + m.incidents, 0);
  const halves = compareHalves(months);
  const span = months.length ? `${months[0].month} to ${months[months.length - 1].month}` : 'the window';
  if (used.length < MIN_MONTHS_WITH_APPEARANCES || incidents < MIN_INCIDENTS) {
    return {
      direction: 'not_enough_data',
      verdict:
        `Not enough data to say: ${incidents} incident${incidents === 1 ? '' : 's'} aimed at us over ${used.length} month${used.length === 1 ? '' : 's'} ` +
        `with appearances (${span}). A trend needs at least ${MIN_INCIDENTS} incidents over ${MIN_MONTHS_WITH_APPEARANCES} months; widen the window or wait.`,
      fit: null,
      halves,
    };
  }
  const fit = fitPoissonTrend(used.map((m) => ({ t: m.t, n: m.appearances, y: m.incidents })));
  if (!fit) {
    return { direction: 'not_enough_data', verdict: `The numbers over ${span} are too uneven to fit a trend; read the monthly table.`, fit: null, halves };
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const change = Math.exp(fit.b1) - 1;
  const low = Math.exp(fit.b1 - z * fit.se1) - 1;
  const high = Math.exp(fit.b1 + z * fit.se1) - 1;
  const trendFit: TrendFit = {
    monthlyChange: change,
    monthlyChangeLow: low,
    monthlyChangeHigh: high,
    fitted: used.map((m) => ({ month: m.month, rate: Math.exp(fit.b0 + fit.b1 * m.t) })),
  };
  const range = `${Math.round(confidence * 100)}% range ${pct(low)} to ${pct(high)} a month`;
  const halvesWords = halves ? ` Second half ${r2(halves.secondHalf.rate)} per appearance against ${r2(halves.firstHalf.rate)} in the first.` : '';
  let direction: TrendDirection;
  let verdict: string;
  if (low > 0) {
    direction = 'worse';
    verdict = `Getting worse: incidents aimed at us per appearance rose by about ${pct(change)} a month over ${span} (${range}).${halvesWords}`;
  } else if (high < 0) {
    direction = 'better';
    verdict = `Getting better: incidents aimed at us per appearance fell by about ${pct(change)} a month over ${span} (${range}).${halvesWords}`;
  } else {
    direction = 'no_clear_change';
    verdict = `No clear change over ${span}: the estimated trend is ${pct(change)} a month, but the ${range} includes no change.${halvesWords}`;
  }
  return { direction, verdict, fit: trendFit, halves };
}
