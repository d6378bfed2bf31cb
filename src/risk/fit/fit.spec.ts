import { logitBetaGrid } from '../beta';
import { fitLogistic, FitRow, predictRow } from './logistic';
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
    for (const st of ['brier', 'logLoss'] as const) {
      expect(got[st].single.p.low).toBeCloseTo(q(draws[st], 0.025), 12);
      expect(got[st].single.p.high).toBeCloseTo(q(draws[st], 0.975), 12);
    }
  });
});
