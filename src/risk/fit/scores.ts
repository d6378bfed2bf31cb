/**
 * Proper scores and their uncertainty (RISK_MODEL §7): Brier, log loss, AUC (Mann–Whitney with
 * average ranks), Brier skill against a reference (undefined when the reference is perfect),
 * reliability table, and a seeded bootstrap over units for 95% intervals of a score and of the
 * difference between two forecasters on the same cases. Pure and deterministic.
 */
export interface Scores {
  n: number;
  positives: number;
  brier: number;
  logLoss: number;
  auc: number | null;
}

const EPS = 1e-9;

export function brier(p: number[], y: number[], w?: number[]): number {
  let s = 0;
  let tw = 0;
  for (let i = 0; i < p.length; i++) {
    const wi = w ? w[i] : 1;
    s += wi * (p[i] - y[i]) ** 2;
    tw += wi;
  }
  return s / (tw || 1);
}

export function logLoss(p: number[], y: number[], w?: number[]): number {
  let s = 0;
  let tw = 0;
  for (let i = 0; i < p.length; i++) {
    const wi = w ? w[i] : 1;
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]));
    s -= wi * (y[i] ? Math.log(q) : Math.log(1 - q));
    tw += wi;
  }
  return s / (tw || 1);
}

/** AUC by the rank-sum statistic with average ranks for ties (weights: case weights); null without both classes. */
export function auc(p: number[], y: number[], w?: number[]): number | null {
  const idx = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
  let pos = 0;
  let neg = 0;
  let sum = 0; // Σ over positives of (weight of negatives below + half the tied ones)
  let negBelow = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    let tiePos = 0;
    let tieNeg = 0;
    while (j < idx.length && p[idx[j]] === p[idx[i]]) {
      const wi = w ? w[idx[j]] : 1;
      if (y[idx[j]]) tiePos += wi;
      else tieNeg += wi;
      j++;
    }
    sum += tiePos * (negBelow + tieNeg / 2);
    negBelow += tieNeg;
    pos += tiePos;
    neg += tieNeg;
    i = j;
  }
  return pos > 0 && neg > 0 ? sum / (pos * neg) : null;
}

export function scores(p: number[], y: number[], w?: number[]): Scores {
  return { n: p.length, positives: y.filter((v) => v === 1).length, brier: brier(p, y, w), logLoss: logLoss(p, y, w), auc: auc(p, y, w) };
}

/** 1 − Brier / Brier_ref; null (undefined) when the reference Brier is 0. */
export function brierSkill(b: number, ref: number): number | null {
  return ref > 0 ? 1 - b / ref : null;
}

export const RELIABILITY_BINS = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0000001];

export interface ReliabilityBin {
  bin: string;
  count: number;
  predicted: number | null;
  observed: number | null;
}

export function reliability(p: number[], y: number[], bins = RELIABILITY_BINS): ReliabilityBin[] {
  return bins.slice(0, -1).map((lo, b) => {
    const hi = bins[b + 1];
    const ix = p.map((_, i) => i).filter((i) => p[i] >= lo && p[i] < hi);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);
    return { bin: `${(lo * 100).toFixed(1)}–${(Math.min(1, hi) * 100).toFixed(1)}%`, count: ix.length, predicted: mean(ix.map((i) => p[i])), observed: mean(ix.map((i) => y[i])) };
  });
}

/** mulberry32: a small seeded PRNG (the bootstrap must give the same interval every run). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return null;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
};

export type Stat = 'logLoss' | 'brier' | 'auc';

/**
 * A forecaster's cases in ascending order of p, prepared for the bootstrap's AUCs: each case's unit
 * and label in that order, and where each run of tied p ends. A resample's AUC is then one pass
 * reading the unit weights (a few thousand, in cache), not the cases' p.
 */
interface SortedCases {
  unit: Int32Array;
  y: Uint8Array;
  /** For the first position of each run of equal p, the position after its last; unused elsewhere. */
  runEnd: Int32Array;
}

function sortedCases(order: Int32Array, p: number[], y: number[], unitIx: Int32Array): SortedCases {
  const n = order.length;
  const unit = new Int32Array(n);
  const ys = new Uint8Array(n);
  const runEnd = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    unit[j] = unitIx[order[j]];
    ys[j] = y[order[j]] ? 1 : 0;
  }
  for (let i = 0; i < n;) {
    let j = i;
    while (j < n && p[order[j]] === p[order[i]]) j++;
    runEnd[i] = j;
    i = j;
  }
  return { unit, y: ys, runEnd };
}

/** The AUC of the cases, each weighted by how often its unit was drawn (`mult`); ties count half; null without both classes. */
function aucOfDraw(c: SortedCases, mult: Float64Array): number | null {
  let pos = 0;
  let neg = 0;
  let sum = 0;
  let negBelow = 0;
  const n = c.unit.length;
  for (let i = 0; i < n;) {
    const j = c.runEnd[i];
    let tp = 0;
    let tn = 0;
    for (let k = i; k < j; k++) {
      const wi = mult[c.unit[k]];
      if (c.y[k]) tp += wi;
      else tn += wi;
    }
    sum += tp * (negBelow + tn / 2);
    negBelow += tn;
    pos += tp;
    neg += tn;
    i = j;
  }
  return pos > 0 && neg > 0 ? sum / (pos * neg) : null;
}

/** One case's Brier or log-loss term. */
function caseLoss(stat: 'brier' | 'logLoss', p: number, y: number): number {
  if (stat === 'brier') return (p - y) ** 2;
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return -(y ? Math.log(q) : Math.log(1 - q));
}

/** Mean Brier or log-loss term over the cases, each case weighted by its unit's draws. */
function meanLoss(stat: 'brier' | 'logLoss', p: number[], y: number[], unitIx: Int32Array, mult: Float64Array): number {
  let t = 0;
  let tw = 0;
  for (let i = 0; i < p.length; i++) {
    const w = mult[unitIx[i]];
    if (!w) continue;
    t += w * caseLoss(stat, p[i], y[i]);
    tw += w;
  }
  return t / (tw || 1);
}

/**
 * Percentile bootstrap (B resamples of the units, seeded) of each stat for each forecaster, and of
 * forecaster − reference for each pair. Units (e.g. institutions) are drawn whole, so clustered
 * cases do not make intervals too narrow; a resample is a weight per unit (how often it was drawn),
 * so nothing is copied, and each AUC is one pass over the forecaster's cases sorted once.
 */
export function bootstrap(
  units: number[],
  y: number[],
  forecasts: Record<string, number[]>,
  stats: Stat[],
  pairs: [string, string][],
  B = 400,
  seed = 20241016,
): Record<Stat, { single: Record<string, Interval>; diff: Record<string, Interval> }> {
  const ids = [...new Set(units)];
  const index = new Map(ids.map((u, i) => [u, i]));
  const unitIx = Int32Array.from(units.map((u) => index.get(u) as number));
  const ascending = (p: number[]) => Int32Array.from(p.map((_, i) => i).sort((a, b) => p[a] - p[b]));
  const sorted = stats.includes('auc') ? Object.fromEntries(Object.entries(forecasts).map(([k, p]) => [k, sortedCases(ascending(p), p, y, unitIx)])) : {};
  const rnd = prng(seed);
  const draws: Record<string, number[]> = {};
  const mult = new Float64Array(ids.length);
  // Brier and log loss are sums over cases: each unit's sum (and case count) once, so a resample
  // costs one pass over the units instead of one over the cases; the AUC needs the cases.
  const unitCases = new Float64Array(ids.length);
  for (let i = 0; i < y.length; i++) unitCases[unitIx[i]]++;
  const unitSums: Record<string, Float64Array> = {};
  for (const st of stats) {
    if (st === 'auc') continue;
    for (const [name, p] of Object.entries(forecasts)) {
      const sums = new Float64Array(ids.length);
      for (let i = 0; i < y.length; i++) sums[unitIx[i]] += caseLoss(st, p[i], y[i]);
      unitSums[`${st}|${name}`] = sums;
    }
  }
  const byUnits = (sums: Float64Array): number => {
    let t = 0;
    let n = 0;
    for (let k = 0; k < mult.length; k++) {
      if (!mult[k]) continue;
      t += mult[k] * sums[k];
      n += mult[k] * unitCases[k];
    }
    return t / (n || 1);
  };
  for (let b = 0; b < B; b++) {
    mult.fill(0);
    for (let k = 0; k < ids.length; k++) mult[Math.floor(rnd() * ids.length)]++;
    for (const st of stats) {
      const vals: Record<string, number | null> = {};
      for (const name of Object.keys(forecasts)) {
        vals[name] = st === 'auc' ? aucOfDraw(sorted[name], mult) : byUnits(unitSums[`${st}|${name}`]);
        if (vals[name] !== null) (draws[`${st}|${name}`] ??= []).push(vals[name] as number);
      }
      for (const [a, c] of pairs) if (vals[a] !== null && vals[c] !== null) (draws[`${st}|${a}−${c}`] ??= []).push((vals[a] as number) - (vals[c] as number));
    }
  }
  // the estimates: every unit drawn once
  const once = new Float64Array(ids.length).fill(1);
  const out = {} as Record<Stat, { single: Record<string, Interval>; diff: Record<string, Interval> }>;
  for (const st of stats) {
    const single: Record<string, Interval> = {};
    const est: Record<string, number | null> = {};
    for (const [name, p] of Object.entries(forecasts)) {
      est[name] = st === 'auc' ? aucOfDraw(sorted[name], once) : meanLoss(st, p, y, unitIx, once);
      const d = draws[`${st}|${name}`] ?? [];
      single[name] = { estimate: est[name], low: quantile(d, 0.025), high: quantile(d, 0.975) };
    }
    const diff: Record<string, Interval> = {};
    for (const [a, c] of pairs) {
      const d = draws[`${st}|${a}−${c}`] ?? [];
      diff[`${a}−${c}`] = { estimate: est[a] !== null && est[c] !== null ? (est[a] as number) - (est[c] as number) : null, low: quantile(d, 0.025), high: quantile(d, 0.975) };
    }
    out[st] = { single, diff };
  }
  return out;
}

/**
 * A one-feature logistic calibration p = σ(a + b·s), fitted by Newton's method with step halving
 * (every step raises the likelihood) on (s, y): how a baseline score becomes a probability.
 */
export function calibrate(s: number[], y: number[], w?: number[]): (x: number) => number {
  const ll = (a: number, b: number) => {
    let t = 0;
    for (let i = 0; i < s.length; i++) {
      const z = a + b * s[i];
      const lp = z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
      const lq = z >= 0 ? -z - Math.log1p(Math.exp(-z)) : -Math.log1p(Math.exp(z));
      t += (w ? w[i] : 1) * (y[i] ? lp : lq);
    }
    return t - 1e-6 * b * b;
  };
  const tw = w ? w.reduce((t, v) => t + v, 0) : s.length;
  const mean = y.reduce((t, v, i) => t + v * (w ? w[i] : 1), 0) / (tw || 1);
  let a = Math.log(Math.max(mean, 1e-6) / Math.max(1 - mean, 1e-6));
  let b = 0;
  let cur = ll(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = 0;
    let gb = -2e-6 * b;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 2e-6;
    for (let i = 0; i < s.length; i++) {
      const wi = w ? w[i] : 1;
      const p = 1 / (1 + Math.exp(-(a + b * s[i])));
      const r = wi * (y[i] - p);
      const v = wi * p * (1 - p);
      ga += r;
      gb += r * s[i];
      haa += v;
      hab += v * s[i];
      hbb += v * s[i] * s[i];
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    let next = ll(a + da, b + db);
    for (let k = 0; k < 30 && !(next >= cur); k++) {
      da /= 2;
      db /= 2;
      next = ll(a + da, b + db);
    }
    if (!(next >= cur)) break;
    a += da;
    b += db;
    const moved = Math.abs(da) + Math.abs(db);
    cur = next;
    if (moved < 1e-10) break;
  }
  return (x: number) => 1 / (1 + Math.exp(-(a + b * x)));
}
