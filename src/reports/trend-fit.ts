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

interface Profile {
  b0: number;
  deviance: number;
  mu: number[];
}

function profileAt(points: TrendPoint[], b1: number, tc: number): Profile {
  const totalY = points.reduce((s, p) => s + p.y, 0);
  // log Σ n·e^{b1(t − tc)} by log-sum-exp, so large |b1| does not overflow.
  const logs = points.map((p) => Math.log(p.n) + b1 * (p.t - tc));
  const top = Math.max(...logs);
  const lse = top + Math.log(logs.reduce((s, l) => s + Math.exp(l - top), 0));
  const b0 = Math.log(totalY) - lse;
  const mu = logs.map((l) => Math.exp(b0 + l));
  let deviance = 0;
  points.forEach((p, i) => {
    if (p.y > 0) deviance += 2 * p.y * Math.log(p.y / mu[i]);
  });
  return { b0: b0 - b1 * tc, deviance: Math.max(0, deviance), mu };
}

/** Score of the profile likelihood, Σ y·t − Y·(exposure-weighted mean of t at b1): decreasing in b1. */
function score(points: TrendPoint[], b1: number, tc: number): number {
  const totalY = points.reduce((s, p) => s + p.y, 0);
  const logs = points.map((p) => Math.log(p.n) + b1 * (p.t - tc));
  const top = Math.max(...logs);
  let w = 0;
  let wt = 0;
  points.forEach((p, i) => {
    const e = Math.exp(logs[i] - top);
    w += e;
    wt += e * (p.t - tc);
  });
  return points.reduce((s, p) => s + p.y * (p.t - tc), 0) - (totalY * wt) / w;
}

function bisect(f: (x: number) => number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  const fa = f(a);
  for (let i = 0; i < 100 && Math.abs(b - a) > 1e-13; i++) {
    const mid = (a + b) / 2;
    if (f(mid) > 0 === fa > 0) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
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
  const s = (b: number) => score(used, b, tc);
  let slope: number;
  let clipped: number;
  if (s(B_MAX) > 0) {
    slope = Infinity;
    clipped = B_MAX;
  } else if (s(-B_MAX) < 0) {
    slope = -Infinity;
    clipped = -B_MAX;
  } else {
    slope = bisect(s, -B_MAX, B_MAX);
    clipped = slope;
  }
  const best = profileAt(used, clipped, tc);
  let x2 = 0;
  used.forEach((p, i) => {
    if (best.mu[i] > 0) x2 += ((p.y - best.mu[i]) * (p.y - best.mu[i])) / best.mu[i];
  });
  const dispersion = x2 / df;
  const dispersionP = 1 - chisquareCdf(x2, df);
  const scale = Math.max(1, dispersion);
  const gain = (b1: number) => (profileAt(used, b1, tc).deviance - best.deviance) / scale;
  const p = 1 - fCdf(gain(0), 1, df);
  const crit = fQuantile(confidence, 1, df);
  const edge = (to: number) => (gain(to) <= crit ? (to > 0 ? Infinity : -Infinity) : bisect((b) => gain(b) - crit, clipped, to));
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
