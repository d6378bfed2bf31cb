import { Arena, expectSigmoid, logitBetaGrid } from '../beta';
import { fitLogistic, FitRow, meanAndSlope, predictRow } from './logistic';
import { auc, bootstrap, brierSkill, calibrate, logLoss, prng } from './scores';
import { estimatePriorStrength } from './fit';

/** The seeded generator of the scores module: the synthetic data is the same every run. */
const rng = prng;

const POINT = { t: Float64Array.of(0), w: Float64Array.of(1) };

describe('penalised logistic fit — recovers known coefficients', () => {
  // y ~ Bernoulli(σ(−3 + 0.8·x1 + 1.5·x2 − 0.7·x3)), x1 ~ log1p(counts), x2, x3 binary; 60,000 rows
  const truth = [-3, 0.8, 1.5, -0.7];
  const r = rng(42);
  const rows: FitRow[] = [];
  for (let i = 0; i < 60_000; i++) {
    const x = Float64Array.of(Math.log1p(Math.floor(-Math.log(r()) * 3)), r() < 0.3 ? 1 : 0, r() < 0.5 ? 1 : 0, 0);
    const eta = truth[0] + truth[1] * x[0] + truth[2] * x[1] + truth[3] * x[2];
    rows.push({ x, y: r() < 1 / (1 + Math.exp(-eta)) ? 1 : 0, w: 1, grid: POINT, offset: 0 });
  }
  // a fourth feature that never varies (always 0): the data says nothing about it
  const prior = [0, 0, 0, 0, Math.log(1.8)];
  const fit = fitLogistic(rows, { prior, priorSd: [3, 1, 1, 1, 0.5], bOwn: 0 });

  it.each([
    ['intercept', 0],
    ['log count', 1],
    ['flag', 2],
    ['protective flag', 3],
  ])('%s within 0.12 of the truth', (_, j) => {
    expect(Math.abs(fit.beta[j as number] - truth[j as number])).toBeLessThan(0.12);
  });

  it('converges, and leaves a coefficient without data at its prior (never pinned at "no effect")', () => {
    expect(fit.converged).toBe(true);
    expect(fit.beta[4]).toBeCloseTo(Math.log(1.8), 8);
    expect(fit.dataShare[4]).toBe(0);
    expect(fit.dataShare[1]).toBeGreaterThan(0.95);
  });

  it('shrinks toward the prior when the data is thin (100 rows): between the truth and the prior', () => {
    const thin = fitLogistic(rows.slice(0, 100), { prior: [-3, 0, 0, 0, 0], priorSd: [3, 0.3, 0.3, 0.3, 0.3], bOwn: 0 });
    expect(Math.abs(thin.beta[2])).toBeLessThan(Math.abs(fit.beta[2]));
  });

  it('fits through the posterior-averaged link (a non-canonical link: the mean is matched closely, not exactly)', () => {
    const grid = logitBetaGrid(0.15, 4.85, -20, 1);
    const g = rows.slice(0, 20_000).map((row) => ({ ...row, grid, offset: -Math.log(0.03 / 0.97) }));
    const f = fitLogistic(g, { prior: [0, 0, 0, 0, 0], priorSd: [5, 1, 1, 1, 1], bOwn: 1 });
    const mean = g.reduce((s, row) => s + predictRow(row, f.beta, 1), 0) / g.length;
    const observed = g.reduce((s, row) => s + row.y, 0) / g.length;
    expect(Math.abs(mean / observed - 1)).toBeLessThan(0.02);
    expect(f.converged).toBe(true);
  });

  it("the fit's slope is the derivative of the mean it fits, the grid's right-tail mass included", () => {
    // β ≪ 1 (nearly every past appearance disrupted): a long right tail, much of its mass past the grid's end
    const out = new Float64Array(2);
    const end = (a: number, b: number, bOwn: number) => logitBetaGrid(a, b, -20, bOwn).t[63];
    for (const [a, b, bOwn, eta] of [
      // η where σ at the grid's right end is ½: there the tail's share of the slope is largest
      [3, 0.01, 1, -end(3, 0.01, 1)],
      [3, 0.01, 0.6, -0.6 * end(3, 0.01, 0.6) + 1],
      [3, 0.01, 1, -2],
      [0.15, 4.85, 1, -3],
      [2, 2, 1.3, 0.5],
    ]) {
      const grid = logitBetaGrid(a, b, -20, bOwn);
      const h = 1e-5;
      const numeric = (expectSigmoid(grid, eta + h, bOwn) - expectSigmoid(grid, eta - h, bOwn)) / (2 * h);
      meanAndSlope(grid, eta, bOwn, out);
      // the mean is expectSigmoid's to the last bit (the fit's steps and its objective agree)
      expect(out[0]).toBe(expectSigmoid(grid, eta, bOwn));
      expect(out[1]).toBeCloseTo(numeric, 8);
      // the same on the path without the grid's table: a grid without one, and a b_own other than the grid's
      const slow = { t: grid.t, w: grid.w, tail: grid.tail };
      meanAndSlope(slow, eta, bOwn, out);
      expect(out[0]).toBe(expectSigmoid(slow, eta, bOwn));
      expect(out[1]).toBeCloseTo(numeric, 8);
      const other = 0.9 * bOwn;
      const numericOther = (expectSigmoid(grid, eta + h, other) - expectSigmoid(grid, eta - h, other)) / (2 * h);
      meanAndSlope(grid, eta, other, out);
      expect(out[0]).toBe(expectSigmoid(grid, eta, other));
      expect(out[1]).toBeCloseTo(numericOther, 8);
    }
    // the mean to the last bit on many grids (a rounding that differs shows on some of them)
    const r = rng(23);
    for (let i = 0; i < 300; i++) {
      const grid = logitBetaGrid(0.05 + r() * 20, 0.05 + r() * 60, -20, 1);
      const eta = -8 + r() * 12;
      meanAndSlope(grid, eta, 1, out);
      expect(out[0]).toBe(expectSigmoid(grid, eta, 1));
    }
    // far below the table's range (η ≤ −700): the slope is e^η-small, not NaN
    meanAndSlope(logitBetaGrid(2, 2, -20, 1), -800, 1, out);
    expect(out[0]).toBe(expectSigmoid(logitBetaGrid(2, 2, -20, 1), -800, 1));
    expect(out[1]).toBeGreaterThanOrEqual(0);
    expect(out[1]).toBeLessThan(1e-300);
    expect(logitBetaGrid(3, 0.01, -20, 1).tail).toBeGreaterThan(0.01);
  });

  it('grids carved from an arena are the grids made alone, and never share memory', () => {
    const arena = new Arena();
    const params = Array.from({ length: 2000 }, (_, i) => [0.1 + i / 100, 5 - i / 500] as const);
    const carved = params.map(([a, b]) => logitBetaGrid(a, b, -20, 1, arena));
    const floats = arena.floats(20);
    expect([...floats]).toEqual(new Array(20).fill(0));
    carved.forEach((g, i) => {
      const alone = logitBetaGrid(params[i][0], params[i][1], -20, 1);
      expect([...g.t, ...g.w, ...g.f!, g.tail]).toEqual([...alone.t, ...alone.w, ...alone.f!, alone.tail]);
    });
    // 2,000 grids of 1.5 KiB span several buffers; none overlaps another
    const spans = carved.flatMap((g) => [g.t, g.w, g.f!]).map((a) => ({ buffer: a.buffer, from: a.byteOffset, to: a.byteOffset + a.byteLength }));
    expect(new Set(spans.map((x) => x.buffer)).size).toBeGreaterThan(1);
    const byBuffer = new Map<ArrayBufferLike, { from: number; to: number }[]>();
    for (const x of spans) {
      const list = byBuffer.get(x.buffer) ?? [];
      list.push(x);
      byBuffer.set(x.buffer, list);
    }
    for (const list of byBuffer.values()) {
      list.sort((a, b) => a.from - b.from);
      for (let i = 1; i < list.length; i++) expect(list[i].from).toBeGreaterThanOrEqual(list[i - 1].to);
    }
  });
});

describe('prior strength by Beta-binomial marginal likelihood', () => {
  it('recovers m from institutions whose rates vary as Beta(m·p, m·(1 − p))', () => {
    const r = rng(7);
    const gamma = (shape: number): number => {
      // Marsaglia–Tsang
      if (shape < 1) return gamma(shape + 1) * Math.pow(r(), 1 / shape);
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        const x = Math.sqrt(-2 * Math.log(r() || 1e-300)) * Math.cos(2 * Math.PI * r());
        const v = (1 + c * x) ** 3;
        if (v > 0 && Math.log(r()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
      }
    };
    for (const m of [4, 40]) {
      const pairs = Array.from({ length: 600 }, () => {
        const a = gamma(m * 0.2);
        const rate = a / (a + gamma(m * 0.8));
        let k = 0;
        for (let i = 0; i < 30; i++) if (r() < rate) k++;
        return { n: 30, k, parent: 0.2 };
      });
      const est = estimatePriorStrength(pairs) as number;
      expect(est / m).toBeGreaterThan(0.6);
      expect(est / m).toBeLessThan(1.6);
    }
  });

  it('says nothing with too little own record', () => {
    expect(estimatePriorStrength([{ n: 3, k: 1, parent: 0.1 }])).toBeNull();
    expect(estimatePriorStrength(Array.from({ length: 20 }, () => ({ n: 5, k: 0, parent: 0.1 })))).toBeNull();
  });
});

describe('scores', () => {
  it.each([
    [[0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.75],
    [[0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1], 0.5],
    [[0.1, 0.2, 0.2, 0.9], [0, 0, 1, 1], 0.875],
  ])('AUC of %j against %j is %p (ties count half)', (p, y, want) => expect(auc(p, y)).toBeCloseTo(want, 10));

  it('AUC is undefined without both classes; Brier skill is undefined against a perfect reference', () => {
    expect(auc([0.1, 0.2], [0, 0])).toBeNull();
    expect(brierSkill(0.1, 0)).toBeNull();
    expect(brierSkill(0.05, 0.1)).toBeCloseTo(0.5, 12);
  });

  it('log loss matches the formula', () => expect(logLoss([0.8, 0.1], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.9)) / 2, 12));

  it('calibration recovers two group rates (one 0/1 score)', () => {
    const s = [...Array(100).fill(1), ...Array(900).fill(0)];
    const y = [...Array(85).fill(1), ...Array(15).fill(0), ...Array(63).fill(1), ...Array(837).fill(0)];
    const cal = calibrate(s, y);
    expect(cal(1)).toBeCloseTo(0.85, 4);
    expect(cal(0)).toBeCloseTo(0.07, 4);
  });

  it('the bootstrap is deterministic and its interval holds the estimate', () => {
    const r = rng(3);
    const y = Array.from({ length: 400 }, () => (r() < 0.3 ? 1 : 0));
    const p = y.map((v) => Math.min(0.99, Math.max(0.01, 0.3 + (v ? 0.2 : -0.1) + (r() - 0.5) * 0.3)));
    const q = y.map(() => 0.3);
    const units = y.map((_, i) => Math.floor(i / 4));
    const a = bootstrap(units, y, { p, q }, ['auc', 'logLoss'], [['p', 'q']], 200, 1);
    const b = bootstrap(units, y, { p, q }, ['auc', 'logLoss'], [['p', 'q']], 200, 1);
    expect(a).toEqual(b);
    const i = a.auc.single.p;
    expect(i.low!).toBeLessThanOrEqual(i.estimate!);
    expect(i.high!).toBeGreaterThanOrEqual(i.estimate!);
    expect(a.logLoss.diff['p−q'].high!).toBeLessThan(0);
  });

  it("the bootstrap's Brier and log loss (summed per unit) are those of resampling the cases themselves", () => {
    const r = rng(11);
    const n = 300;
    const y = Array.from({ length: n }, () => (r() < 0.25 ? 1 : 0));
    const p = y.map((v) => Math.min(0.99, Math.max(0.01, 0.25 + (v ? 0.15 : -0.05) + (r() - 0.5) * 0.4)));
    // units of unequal size, in no order
    const units = y.map((_, i) => (i * 7919) % 37);
    const B = 150;
    const seed = 5;
    const got = bootstrap(units, y, { p }, ['brier', 'logLoss'], [], B, seed);
    // the reference: B resamples of the units with the same generator, each case weighted by its unit's draws
    const ids = [...new Set(units)];
    const rnd = rng(seed);
    const draws = { brier: [] as number[], logLoss: [] as number[] };
    for (let b = 0; b < B; b++) {
      const mult = new Array<number>(ids.length).fill(0);
      for (let k = 0; k < ids.length; k++) mult[Math.floor(rnd() * ids.length)]++;
      const w = units.map((u) => mult[ids.indexOf(u)]);
      const tw = w.reduce((a, x) => a + x, 0);
      draws.brier.push(w.reduce((a, wi, i) => a + wi * (p[i] - y[i]) ** 2, 0) / tw);
      draws.logLoss.push(w.reduce((a, wi, i) => a - wi * (y[i] ? Math.log(p[i]) : Math.log(1 - p[i])), 0) / tw);
    }
    const q = (xs: number[], at: number) => {
      const s = [...xs].sort((a, b) => a - b);
      const pos = (s.length - 1) * at;
      const lo = Math.floor(pos);
      return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
    };
    expect(got.brier.single.p.estimate).toBeCloseTo(p.reduce((a, pi, i) => a + (pi - y[i]) ** 2, 0) / n, 14);
    expect(got.logLoss.single.p.estimate).toBeCloseTo(logLoss(p, y), 14);
    for (const st of ['brier', 'logLoss'] as const) {
      expect(got[st].single.p.low).toBeCloseTo(q(draws[st], 0.025), 12);
      expect(got[st].single.p.high).toBeCloseTo(q(draws[st], 0.975), 12);
    }
  });

  it("the bootstrap's AUC of each resample is the weighted AUC of the cases by their units' draws (ties count half)", () => {
    const r = rng(17);
    const n = 240;
    const y = Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
    // coarse forecasts, so runs of equal p hold both classes
    const p = y.map((v) => Math.round((0.3 + (v ? 0.15 : 0) + (r() - 0.5) * 0.5) * 10) / 10);
    const units = y.map((_, i) => (i * 7919) % 29);
    const B = 120;
    const seed = 9;
    const got = bootstrap(units, y, { p }, ['auc'], [], B, seed);
    const ids = [...new Set(units)];
    const rnd = rng(seed);
    const draws: number[] = [];
    for (let b = 0; b < B; b++) {
      const mult = new Array<number>(ids.length).fill(0);
      for (let k = 0; k < ids.length; k++) mult[Math.floor(rnd() * ids.length)]++;
      const w = units.map((u) => mult[ids.indexOf(u)]);
      let sum = 0;
      let pos = 0;
      let neg = 0;
      for (let i = 0; i < n; i++) {
        if (y[i]) pos += w[i];
        else neg += w[i];
        if (!y[i]) continue;
        for (let j = 0; j < n; j++) if (!y[j]) sum += w[i] * w[j] * (p[i] > p[j] ? 1 : p[i] === p[j] ? 0.5 : 0);
      }
      if (pos > 0 && neg > 0) draws.push(sum / (pos * neg));
    }
    const s = [...draws].sort((a, b) => a - b);
    const at = (q: number) => {
      const x = (s.length - 1) * q;
      const lo = Math.floor(x);
      return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (x - lo);
    };
    expect(draws.length).toBe(B);
    expect(got.auc.single.p.estimate).toBe(auc(p, y));
    expect(got.auc.single.p.low).toBeCloseTo(at(0.025), 12);
    expect(got.auc.single.p.high).toBeCloseTo(at(0.975), 12);
  });
});
