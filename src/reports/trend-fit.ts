import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import fQuantile from '@stdlib/stats-base-dists-f-quantile';

/**
 * The trend test behind "is it getting worse?", as pure arithmetic.
 *
 * Model: y_t ~ quasi-Poisson with mean n_t · exp(b0 + b1·t) (n_t appearances, t the month index),
 * variance φ·mean. For a fixed slope b1 the intercept has a closed form, b0 = log(Σy / Σ n·e^{b1·t}),
 * so the profile deviance D(b1) = 2 Σ y·log(y/μ) is one-dimensional and convex; its minimum may be
 * at ±∞ (every incident in the last month: a sudden onset), which a Newton fit cannot reach but a
 * likelihood-ratio test handles.
 *
 * φ is estimated by Pearson's X² / (m − 2) over the m months and never taken below 1. The slope is
 * tested by the quasi-likelihood F test, F = (D(0) − D(b̂)) / φ on (1, m − 2) degrees of freedom,
 * and its interval is the set of slopes that test does not reject (the profile-likelihood interval
 * scaled by φ), so the interval excludes 0 exactly when p < 1 − confidence.
 */

export interface TrendPoint {
  t: number;
  n: number;
  y: number;
}

export interface QuasiPoissonTrend {
  /** Maximum-likelihood slope (log change per month); ±Infinity when the data sit at one end. */
  slope: number;
  /** Intercept at the slope (at the clipped slope when it is infinite). */
  intercept: number;
  /** Slope interval ends; ±Infinity when that side is not bounded by the data. */
  low: number;
  high: number;
  /** Quasi-likelihood F-test p-value of "no trend". */
  p: number;
  /** Pearson X² / (m − 2): how many times more than Poisson the months vary around the fit. */
  dispersion: number;
  /** p-value of the X² test of "no more variation than Poisson". */
  dispersionP: number;
  /** The φ used: max(1, dispersion). */
  scale: number;
  df: number;
}

/** Slopes are searched in [−B_MAX, B_MAX]: e^10 ≈ 22,000-fold a month, beyond anything finite data can tell apart. */
const B_MAX = 10;

/**
 * The profile likelihood at a slope b, with b0 = log Y − L(b), L(b) = log Σ n·e^{b(t − tc)}:
 * D(b) = 2 [Σ y·log(y/n) − Y·log Y + Y·L(b) − b·Σ y(t − tc)], its score Σ y(t − tc) − Y·t̄(b)
 * (t̄ the exposure-weighted mean of t − tc at b; the score falls as b grows) and the score's
 * slope −Y·var(t). L by log-sum-exp, so a large |b| does not overflow.
 */
class ProfileLikelihood {
  private readonly logN: number[];
  private readonly dt: number[];
  readonly totalY: number;
  private readonly sumYdt: number;
  private readonly constant: number;

  constructor(
    private readonly points: TrendPoint[],
    readonly tc: number,
  ) {
    this.logN = points.map((p) => Math.log(p.n));
    this.dt = points.map((p) => p.t - tc);
    this.totalY = points.reduce((s, p) => s + p.y, 0);
    this.sumYdt = points.reduce((s, p, i) => s + p.y * this.dt[i], 0);
    this.constant = points.reduce((s, p, i) => s + (p.y > 0 ? p.y * (Math.log(p.y) - this.logN[i]) : 0), 0) - this.totalY * Math.log(this.totalY);
  }

  /** [L(b), t̄(b), var(t)(b)] */
  private moments(b: number): [number, number, number] {
    let top = -Infinity;
    for (let i = 0; i < this.dt.length; i++) top = Math.max(top, this.logN[i] + b * this.dt[i]);
    let w = 0;
    let wt = 0;
    let wtt = 0;
    for (let i = 0; i < this.dt.length; i++) {
      const e = Math.exp(this.logN[i] + b * this.dt[i] - top);
      w += e;
      wt += e * this.dt[i];
      wtt += e * this.dt[i] * this.dt[i];
    }
    const mean = wt / w;
    return [top + Math.log(w), mean, Math.max(0, wtt / w - mean * mean)];
  }

  deviance(b: number): number {
    return Math.max(0, 2 * (this.constant + this.totalY * this.moments(b)[0] - b * this.sumYdt));
  }

  /** [score, d score / d b] */
  score(b: number): [number, number] {
    const [, mean, variance] = this.moments(b);
    return [this.sumYdt - this.totalY * mean, -this.totalY * variance];
  }

  /** Intercept (on the original t scale) and fitted means at b. */
  fitted(b: number): { b0: number; mu: number[] } {
    const b0 = Math.log(this.totalY) - this.moments(b)[0];
    return { b0: b0 - b * this.tc, mu: this.points.map((_p, i) => Math.exp(b0 + this.logN[i] + b * this.dt[i])) };
  }
}

/**
 * Root of f in the bracket [lo, hi] (either order; f changes sign across it): Newton steps where
 * they stay inside the bracket, bisection where they would not, to 1e-12.
 */
function solve(f: (x: number) => [number, number], lo: number, hi: number): number {
  let a = Math.min(lo, hi);
  let b = Math.max(lo, hi);
  const fa = f(a)[0];
  let x = (a + b) / 2;
  for (let i = 0; i < 200; i++) {
    const [v, dv] = f(x);
    if (v === 0) return x;
    if (v > 0 === fa > 0) a = x;
    else b = x;
    const newton = dv !== 0 ? x - v / dv : NaN;
    const next = newton > a && newton < b ? newton : (a + b) / 2;
    if (Math.abs(next - x) < 1e-12 || b - a < 1e-12) return next;
    x = next;
  }
  return x;
}

/**
 * Fits the trend and tests it. Null when it cannot be fitted at all: fewer than three months with
 * appearances (no degrees of freedom for φ) or no incidents.
 */
export function quasiPoissonTrend(points: TrendPoint[], confidence = 0.95): QuasiPoissonTrend | null {
  const used = points.filter((p) => p.n > 0);
  const totalY = used.reduce((s, p) => s + p.y, 0);
  const df = used.length - 2;
  if (df < 1 || totalY <= 0) return null;
  const tc = used.reduce((s, p) => s + p.n * p.t, 0) / used.reduce((s, p) => s + p.n, 0);
  const lik = new ProfileLikelihood(used, tc);
  const score = (b: number) => lik.score(b);
  let slope: number;
  let clipped: number;
  if (score(B_MAX)[0] > 0) {
    slope = Infinity;
    clipped = B_MAX;
  } else if (score(-B_MAX)[0] < 0) {
    slope = -Infinity;
    clipped = -B_MAX;
  } else {
    slope = solve(score, -B_MAX, B_MAX);
    clipped = slope;
  }
  const best = lik.fitted(clipped);
  const dMin = lik.deviance(clipped);
  let x2 = 0;
  used.forEach((p, i) => {
    if (best.mu[i] > 0) x2 += ((p.y - best.mu[i]) * (p.y - best.mu[i])) / best.mu[i];
  });
  const dispersion = x2 / df;
  const dispersionP = 1 - chisquareCdf(x2, df);
  const scale = Math.max(1, dispersion);
  const gain = (b1: number) => (lik.deviance(b1) - dMin) / scale;
  const p = 1 - fCdf(gain(0), 1, df);
  const crit = fQuantile(confidence, 1, df);
  // gain(b) − crit is convex with slope −2·score(b)/scale.
  const edge = (to: number) => (gain(to) <= crit ? (to > 0 ? Infinity : -Infinity) : solve((b) => [gain(b) - crit, (-2 * score(b)[0]) / scale], clipped, to));
  return {
    slope,
    intercept: best.b0,
    low: edge(-B_MAX),
    high: edge(B_MAX),
    p: Math.min(1, Math.max(0, p)),
    dispersion,
    dispersionP,
    scale,
    df,
  };
}
