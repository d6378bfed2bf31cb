/**
 * Beta distribution helpers for the posterior interval: log-gamma (Lanczos), the regularized
 * incomplete beta I_x(a, b) (Lentz continued fraction), its inverse by safeguarded Newton, and the
 * logit-grid average of the model over a Beta posterior.
 */
const LANCZOS = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let s = 0.99999999999980993;
  for (let i = 0; i < 8; i++) s += LANCZOS[i] / (z + i + 1);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

function continuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 200; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-12) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b), a, b > 0. `lnB` = ln Γ(a+b) − ln Γ(a) − ln Γ(b) if known. */
export function incompleteBeta(x: number, a: number, b: number, lnB = logGamma(a + b) - logGamma(a) - logGamma(b)): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnB + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * continuedFraction(x, a, b)) / a;
  return 1 - (front * continuedFraction(1 - x, b, a)) / b;
}

const memo = new Map<string, number>();

/**
 * The q-quantile of Beta(a, b): safeguarded Newton on t = logit(x) (dF/dt = x^a·(1 − x)^b / B(a, b)),
 * kept inside a bracket that halves whenever a step would leave it; about six evaluations of I_x
 * instead of bisection's 24, to |Δx| < 1e-9 or |ΔF| < 1e-12. Memoised (pure).
 */
export function betaQuantile(q: number, a: number, b: number): number {
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  const key = `${q}|${a}|${b}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const lnB = logGamma(a + b) - logGamma(a) - logGamma(b);
  const sig = (t: number) => 1 / (1 + Math.exp(-t));
  let lo = -60;
  let hi = 60;
  // start at the logit of the mean, inside the bracket
  let t = Math.max(lo + 1, Math.min(hi - 1, Math.log(a / b)));
  let x = sig(t);
  for (let i = 0; i < 60; i++) {
    const F = incompleteBeta(x, a, b, lnB);
    const gap = F - q;
    if (Math.abs(gap) < 1e-12) break;
    if (gap < 0) lo = t;
    else hi = t;
    // dF/dt = exp(lnB + a·ln x + b·ln(1 − x)) with ln x = −softplus(−t), ln(1 − x) = −softplus(t)
    const lnx = t > 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t));
    const ln1x = t > 0 ? -t - Math.log1p(Math.exp(-t)) : -Math.log1p(Math.exp(t));
    const dF = Math.exp(lnB + a * lnx + b * ln1x);
    let next = dF > 0 ? t - gap / dF : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const nx = sig(next);
    const done = Math.abs(nx - x) < 1e-9 && Math.abs(next - t) < 1e-6;
    t = next;
    x = nx;
    if (done || hi - lo < 1e-10) break;
  }
  if (memo.size >= 50_000) memo.clear();
  memo.set(key, x);
  return x;
}

/**
 * A grid over t = logit(r) for r ~ Beta(α, β) — the logit-beta density e^(αt) / (1 + e^t)^(α+β) / B(α, β)
 * is log-concave and smooth, so the trapezoid rule on an even grid around its mode is accurate —
 * with the exact normaliser B(α, β). The grid spans 12 standard deviations each side of the mode,
 * or less where the density has already fallen by e^(−35). Used to average the model over the
 * posterior of the institution's own rate instead of plugging in its mean.
 */
export interface LogitBetaGrid {
  t: Float64Array;
  w: Float64Array;
  /** e^(−b·t) at each point for the grid's b (so σ(c + b·t) = 1 / (1 + e^(−c)·f) needs no exp per point). */
  f?: Float64Array;
  b?: number;
  /** The mass beyond the right end (where σ(c + b·t) is at its largest): added at the right end's value. */
  tail?: number;
}

const GRID_POINTS = 64;
const GRID_BYTES = 3 * GRID_POINTS * Float64Array.BYTES_PER_ELEMENT;

/**
 * Memory for many small typed arrays that live and die together (a fit's rows and their grids):
 * carved from 1 MiB buffers, so about 680 grids (2,000 arrays) share one backing store instead of
 * having one each. A buffer lives while any array carved from it does: for short-lived sets only.
 */
export class Arena {
  private buffer = new ArrayBuffer(0);
  private used = 0;

  /** `bytes` of zeroed memory (rounded up to a multiple of 8, so every Float64Array view is aligned): its buffer and byte offset. */
  take(bytes: number): [ArrayBuffer, number] {
    bytes = Math.ceil(bytes / 8) * 8;
    if (this.used + bytes > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(Math.max(1 << 20, bytes));
      this.used = 0;
    }
    const at = this.used;
    this.used += bytes;
    return [this.buffer, at];
  }

  floats(n: number): Float64Array {
    const [buffer, at] = this.take(n * Float64Array.BYTES_PER_ELEMENT);
    return new Float64Array(buffer, at, n);
  }
}
/** Grid points between exact exps in logitBetaGrid's step-by-step powers. */
const RESYNC = 8;

/**
 * With `cMin` (the smallest c the grid will be used with, for b > 0), the left end stops where
 * σ(c + b·t) < e^(−40): for a ≪ 1 the density's long left tail no longer spreads the 64 points thin.
 */
export function logitBetaGrid(alpha: number, beta: number, cMin = -Infinity, b = 1, arena?: Arena): LogitBetaGrid {
  const a = Math.max(alpha, 1e-6);
  const bb = Math.max(beta, 1e-6);
  const mode = Math.log(a / bb);
  const sd = Math.sqrt(1 / a + 1 / bb);
  // tails: the log-density falls by about α·|Δt| on the left and β·Δt on the right
  // cMin in steps of 10, so nearby c (an appearance with and without a factor) share one grid
  const cFloor = Number.isFinite(cMin) ? Math.floor(cMin / 10) * 10 : -Infinity;
  const lo = Math.max(mode - Math.min(12 * sd, 35 / a + 4 * sd), b > 0 && Number.isFinite(cFloor) ? (-cFloor - 40) / b : -Infinity);
  const hi = mode + Math.min(12 * sd, 35 / bb + 4 * sd);
  const step = (hi - lo) / (GRID_POINTS - 1);
  const lnB = logGamma(a) + logGamma(bb) - logGamma(a + bb);
  // three views on one buffer (a fit's grids share the buffers of an arena): a fit holds hundreds of
  // thousands of grids (nearly one per row: posteriors rarely repeat exactly), and every buffer is a
  // backing store for the garbage collector to track
  const [buffer, at] = arena ? arena.take(GRID_BYTES) : [new ArrayBuffer(GRID_BYTES), 0];
  const t = new Float64Array(buffer, at, GRID_POINTS);
  const w = new Float64Array(buffer, at + GRID_BYTES / 3, GRID_POINTS);
  const f = new Float64Array(buffer, at + (2 * GRID_BYTES) / 3, GRID_POINTS);
  // e^x and e^(−b·x) step by step (one multiplication a point, an exact exp every RESYNC points so
  // the rounding cannot build up past a few ulps) where neither can overflow; else one exp a point
  const stepwise = Math.max(Math.abs(lo), Math.abs(hi)) < 700 && Math.max(Math.abs(b * lo), Math.abs(b * hi)) < 700;
  const eStep = Math.exp(step);
  const fStep = Math.exp(-b * step);
  let ex = 0;
  let fx = 0;
  for (let i = 0; i < GRID_POINTS; i++) {
    const x = lo + i * step;
    let softplus: number;
    if (stepwise) {
      if (i % RESYNC === 0) {
        ex = Math.exp(x);
        fx = Math.exp(-b * x);
      } else {
        ex *= eStep;
        fx *= fStep;
      }
      softplus = Math.log1p(ex);
      f[i] = fx;
    } else {
      // log(1 + e^x) without overflow
      softplus = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
      f[i] = Math.exp(-b * x);
    }
    t[i] = x;
    w[i] = Math.exp(a * x - (a + bb) * softplus - lnB) * step * (i === 0 || i === GRID_POINTS - 1 ? 0.5 : 1);
  }
  // Not renormalised: with a ≪ 1 the grid leaves out part of a long left tail, where σ(c + b·t) ≈ 0
  // for any c the model reaches; scaling the rest up would overstate p. The right tail (long when
  // b ≪ 1: nearly every past appearance disrupted) is where σ is largest: its exact mass is kept and
  // counted at the right end.
  // 1 − I_x(a, b) = I_(1−x)(b, a), with 1 − x = σ(−hi) computed without rounding to 0
  const tail = Math.max(0, incompleteBeta(1 / (1 + Math.exp(hi)), bb, a, -lnB));
  return { t, w, f, b, tail };
}

/** E[σ(c + b·t)] over the grid. */
export function expectSigmoid(g: LogitBetaGrid, c: number, b: number): number {
  if (g.f && g.b === b && c > -700) {
    // σ(c + b·t) = 1 / (1 + e^(−c)·e^(−b·t)); an overflow to Infinity reads 0, an underflow 1: both right
    const ec = Math.exp(-c);
    let s = 0;
    for (let i = 0; i < g.w.length; i++) s += g.w[i] / (1 + ec * g.f[i]);
    return s + (g.tail ?? 0) / (1 + ec * g.f[g.f.length - 1]);
  }
  let s = 0;
  for (let i = 0; i < g.t.length; i++) {
    const z = c + b * g.t[i];
    s += g.w[i] * (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
  }
  const zHi = c + b * g.t[g.t.length - 1];
  return s + (g.tail ?? 0) / (1 + Math.exp(-zHi));
}
