/**
 * Beta distribution helpers for the posterior interval: log-gamma (Lanczos), the regularized
 * incomplete beta I_x(a, b) (Lentz continued fraction), and its inverse by bisection.
 */
const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

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

/** The q-quantile of Beta(a, b) by bisection on I_x(a, b) (absolute tolerance 1e-7); memoised (pure). */
export function betaQuantile(q: number, a: number, b: number): number {
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  const key = `${q}|${a}|${b}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const lnB = logGamma(a + b) - logGamma(a) - logGamma(b);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(mid, a, b, lnB) < q) lo = mid;
    else hi = mid;
  }
  const x = (lo + hi) / 2;
  if (memo.size >= 50_000) memo.clear();
  memo.set(key, x);
  return x;
}
