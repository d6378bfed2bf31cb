/**
 * Penalised logistic regression for the risk model (RISK_MODEL §4, §7): maximum a posteriori with a
 * Gaussian prior on each coefficient (mean = the starting odds ratio's log, sd = its room), by Fisher
 * scoring. The link is the model's own: p = E over the row's own-rate posterior grid of
 * σ(η + b_own·t), so what is fitted is exactly what assessRisk computes. A coefficient whose
 * feature never varies gets no information from the data and stays at its prior — never pinned.
 * Pure (no database).
 */
import { expectSigmoid, LogitBetaGrid } from '../beta';

export interface FitRow {
  /** Feature values, in the order of the fit's coefficient list (without the intercept). */
  x: Float64Array;
  y: 0 | 1;
  /** Case weight (1, or 1/q for a negative kept with probability q). */
  w: number;
  /** The row's posterior grid over logit(own rate); rows may share one. */
  grid: LogitBetaGrid;
  /** −b_own·logit(r̄): the own-record term's constant (added to η). */
  offset: number;
}

export interface FitOptions {
  /** Prior means and sds, intercept first. */
  prior: number[];
  priorSd: number[];
  /** The own-record coefficient b_own (held fixed). */
  bOwn: number;
  maxIterations?: number;
  tolerance?: number;
}

export interface FitResult {
  beta: number[];
  /** Posterior sd of each coefficient (from the penalised information). */
  sd: number[];
  /** How much of each coefficient's information comes from the data: data / (data + prior), 0..1. */
  dataShare: number[];
  iterations: number;
  converged: boolean;
  /** Mean log loss on the rows (weighted). */
  logLoss: number;
}

/**
 * E[σ(η + b·t)] over the grid and its slope in η, E[σ·(1 − σ)], both with the grid's right-tail
 * mass (written to `out`). The mean is expectSigmoid's, term by term (the same value to the last
 * bit); the slope is its exact derivative.
 */
export function meanAndSlope(g: LogitBetaGrid, eta: number, b: number, out: Float64Array): void {
  let p = 0;
  let dp = 0;
  const n = g.w.length;
  const tail = g.tail ?? 0;
  if (g.f && g.b === b && eta > -700) {
    // σ = 1 / (1 + e^(−η)·e^(−b·t)) from the grid's table: no exp per point
    const ec = Math.exp(-eta);
    for (let i = 0; i < n; i++) {
      const d = 1 + ec * g.f[i];
      p += g.w[i] / d;
      dp += (g.w[i] / d) * (1 - 1 / d);
    }
    const dHi = 1 + ec * g.f[n - 1];
    out[0] = p + tail / dHi;
    out[1] = dp + (tail / dHi) * (1 - 1 / dHi);
    return;
  }
  for (let i = 0; i < n; i++) {
    const z = eta + b * g.t[i];
    const s = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    p += g.w[i] * s;
    dp += g.w[i] * s * (1 - s);
  }
  const dHi = 1 + Math.exp(-(eta + b * g.t[n - 1]));
  out[0] = p + tail / dHi;
  out[1] = dp + (tail / dHi) * (1 - 1 / dHi);
}

const EPS = 1e-12;

/** The predicted probability of a row under β (intercept first). */
export function predictRow(row: FitRow, beta: number[], bOwn: number): number {
  let eta = beta[0] + row.offset;
  for (let j = 0; j < row.x.length; j++) eta += beta[j + 1] * row.x[j];
  return expectSigmoid(row.grid, eta, bOwn);
}

function objective(rows: FitRow[], beta: number[], o: FitOptions): { nll: number; penalty: number; weight: number } {
  let nll = 0;
  let weight = 0;
  for (const r of rows) {
    const p = Math.min(1 - EPS, Math.max(EPS, predictRow(r, beta, o.bOwn)));
    nll -= r.w * (r.y ? Math.log(p) : Math.log(1 - p));
    weight += r.w;
  }
  let penalty = 0;
  for (let j = 0; j < beta.length; j++) penalty += (beta[j] - o.prior[j]) ** 2 / (2 * o.priorSd[j] ** 2);
  return { nll, penalty, weight };
}

/** Solves A·x = b for a symmetric positive-definite A (Cholesky); A is d×d row-major. */
export function solveSpd(A: Float64Array, b: number[], d: number): number[] {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j];
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      if (i === j) L[i * d + i] = Math.sqrt(Math.max(s, 1e-300));
      else L[i * d + j] = s / L[j * d + j];
    }
  }
  const y = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * y[k];
    y[i] = s / L[i * d + i];
  }
  const x = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= L[k * d + i] * x[k];
    x[i] = s / L[i * d + i];
  }
  return x;
}

export function fitLogistic(rows: FitRow[], o: FitOptions): FitResult {
  const d = o.prior.length;
  const beta = [...o.prior];
  const maxIt = o.maxIterations ?? 50;
  const tol = o.tolerance ?? 1e-7;
  let current = objective(rows, beta, o);
  let converged = false;
  let it = 0;
  let dataInfo = new Float64Array(d * d);
  for (; it < maxIt; it++) {
    const score = new Array<number>(d).fill(0);
    const info = new Float64Array(d * d);
    const xi = new Float64Array(d);
    const ps = new Float64Array(2);
    xi[0] = 1;
    for (const r of rows) {
      let eta = beta[0] + r.offset;
      for (let j = 0; j < r.x.length; j++) {
        eta += beta[j + 1] * r.x[j];
        xi[j + 1] = r.x[j];
      }
      meanAndSlope(r.grid, eta, o.bOwn, ps);
      const p = Math.min(1 - EPS, Math.max(EPS, ps[0]));
      const dp = ps[1];
      const v = p * (1 - p);
      const res = (r.w * (r.y - p) * dp) / v;
      const W = (r.w * dp * dp) / v;
      for (let a = 0; a < d; a++) {
        if (xi[a] === 0) continue;
        score[a] += res * xi[a];
        const wa = W * xi[a];
        for (let b = 0; b <= a; b++) info[a * d + b] += wa * xi[b];
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) info[b * d + a] = info[a * d + b];
    dataInfo = Float64Array.from(info);
    for (let a = 0; a < d; a++) {
      score[a] -= (beta[a] - o.prior[a]) / o.priorSd[a] ** 2;
      info[a * d + a] += 1 / o.priorSd[a] ** 2;
    }
    const step = solveSpd(info, score, d);
    // step halving keeps every iteration an improvement of the penalised likelihood
    let scale = 1;
    let next = beta.map((b, j) => b + step[j]);
    let obj = objective(rows, next, o);
    while (obj.nll + obj.penalty > current.nll + current.penalty + 1e-12 && scale > 1 / 1024) {
      scale /= 2;
      next = beta.map((b, j) => b + scale * step[j]);
      obj = objective(rows, next, o);
    }
    const moved = Math.max(...next.map((b, j) => Math.abs(b - beta[j])));
    for (let j = 0; j < d; j++) beta[j] = next[j];
    current = obj;
    if (moved < tol) {
      converged = true;
      it++;
      break;
    }
  }
  // posterior sd and data share from the information at the optimum
  const full = Float64Array.from(dataInfo);
  for (let a = 0; a < d; a++) full[a * d + a] += 1 / o.priorSd[a] ** 2;
  const sd = beta.map((_, j) => {
    const e = new Array<number>(d).fill(0);
    e[j] = 1;
    return Math.sqrt(Math.max(0, solveSpd(full, e, d)[j]));
  });
  const dataShare = beta.map((_, j) => {
    const data = dataInfo[j * d + j];
    return data / (data + 1 / o.priorSd[j] ** 2);
  });
  return { beta, sd, dataShare, iterations: it, converged, logLoss: current.nll / (current.weight || 1) };
}
