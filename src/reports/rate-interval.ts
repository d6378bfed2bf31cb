/**
 * Confidence intervals for counts and rates. Pure functions, no I/O.
 *
 * poissonInterval: the exact (Garwood) interval for a Poisson count k — the lower bound is the
 * α/2 quantile of Gamma(k, 1), the upper the 1−α/2 quantile of Gamma(k+1, 1). Dividing by the
 * exposure (appearances) turns it into an interval for the rate per appearance.
 * wilsonInterval: the Wilson score interval for a proportion (used for "share of appearances").
 *
 * Incidents cluster: several can hit one appearance, so a month's count varies more than a Poisson
 * count of independent events. With the cluster sizes c_j (incidents per appearance, 1 for an
 * incident recorded without one), a compound Poisson count has variance/mean φ = Σc²/Σc; the
 * interval is the exact one for the effective count k/φ over the effective exposure n/φ (the usual
 * scaling for overdispersed counts; φ = 1 gives back the exact Garwood interval).
 */

const LANCZOS = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = 0.99999999999980993;
  const t = y + 7.5;
  for (let i = 0; i < LANCZOS.length; i++) a += LANCZOS[i] / (y + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * log(xᵃ e⁻ˣ / Γ(a)), the prefactor of both expansions below. For large a the naive form loses
 * every digit to cancellation (a·log x and log Γ(a) are both ~10⁷ at a = 10⁶), so it is computed
 * as a·(log1p(u) − u) + ½·log(a / 2π) − (Stirling's correction), u = (x − a)/a.
 */
function logPrefix(a: number, x: number): number {
  if (a < 10) return -x + a * Math.log(x) - lnGamma(a);
  const u = (x - a) / a;
  const a2 = a * a;
  const stirling = (1 / (12 * a)) * (1 - (1 / (30 * a2)) * (1 - 2 / (7 * a2)));
  const core = Math.abs(u) < 1e-3 ? -a * u * u * (0.5 - u / 3 + (u * u) / 4 - (u * u * u) / 5) : a * (Math.log1p(u) - u);
  return core + 0.5 * Math.log(a / (2 * Math.PI)) - stirling;
}

/**
 * The regularised lower incomplete gamma function P(a, x): the series below a + 1, the continued
 * fraction for Q above, each run to convergence (both need on the order of √a terms near x ≈ a,
 * which is why a fixed cap of 1,000 terms gave 0.341 where the answer is 0.500 for large counts).
 */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const maxTerms = 1000 + 50 * Math.ceil(Math.sqrt(a));
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < maxTerms; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.min(1, sum * Math.exp(logPrefix(a, x)));
  }
  // Continued fraction for Q (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < maxTerms; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.max(0, 1 - Math.exp(logPrefix(a, x)) * h);
}

/** x such that P(a, x) = p (shape a > 0, scale 1), by bisection to a relative 1e-13. */
export function gammaQuantile(p: number, a: number): number {
  if (p <= 0) return 0;
  let lo = 0;
  let hi = Math.max(1, a);
  while (gammaP(a, hi) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (gammaP(a, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Interval {
  low: number;
  high: number;
}

/** Exact Poisson interval for a count k at the given confidence (default 95%). */
export function poissonInterval(k: number, confidence = 0.95): Interval {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${k}`);
  return gammaInterval(k, confidence);
}

/** Garwood's bounds for a (possibly fractional, effective) count k ≥ 0. */
function gammaInterval(k: number, confidence: number): Interval {
  const alpha = 1 - confidence;
  return { low: k === 0 ? 0 : gammaQuantile(alpha / 2, k), high: gammaQuantile(1 - alpha / 2, k + 1) };
}

/**
 * Variance-to-mean ratio of a clustered count from its cluster sizes: Σc² / Σc (≥ 1 when every
 * cluster has at least one incident). 1 when there are no incidents or every incident stands alone.
 */
export function clusterDispersion(events: number, sumOfSquaredClusterSizes: number): number {
  if (events <= 0) return 1;
  return Math.max(1, sumOfSquaredClusterSizes / events);
}

export interface RateEstimate {
  rate: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Events per unit of exposure with an exact Poisson interval, widened for clustering when the
 * dispersion φ (see clusterDispersion) is above 1; nulls when there is no exposure.
 */
export function rateWithInterval(events: number, exposure: number, confidence = 0.95, dispersion = 1): RateEstimate {
  if (exposure <= 0) return { rate: null, low: null, high: null };
  if (!Number.isInteger(events) || events < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${events}`);
  const phi = Math.max(1, dispersion);
  const ci = gammaInterval(events / phi, confidence);
  return { rate: events / exposure, low: (ci.low * phi) / exposure, high: (ci.high * phi) / exposure };
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new RangeError('p must be in (0, 1)');
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Wilson score interval for k successes in n trials. */
export function wilsonInterval(k: number, n: number, confidence = 0.95): Interval | null {
  if (n <= 0) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
