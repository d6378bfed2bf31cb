import poisson from '@stdlib/random-base-poisson';
import gamma from '@stdlib/random-base-gamma';
import { MonthCount, trendVerdict } from './trend-verdict';

/**
 * How often the verdict is wrong, measured by simulation (seeded, so every run draws the same
 * series). Months run from January; each month's incidents are drawn from one of two overdispersed
 * models around the month's expected count μ = appearances × rate:
 *  - clustered: Poisson(μ / (1 + c)) disrupted appearances, each with 1 + Poisson(c) incidents
 *    (variance/mean (1 + 3c + c²)/(1 + c): 1.67 for c = 0.5, 2.5 for c = 1, 3.67 for c = 2);
 *  - mixed: Poisson(μ·G), G ~ Gamma(3, 3) — the month's rate itself wanders (sd 58%).
 */
type Model = { kind: 'clustered'; c: number } | { kind: 'mixed'; shape: number } | { kind: 'poisson' };

function simulate(months: number, appearances: number, rate: (t: number) => number, model: Model, runs: number, seed: number) {
  const P = poisson.factory({ seed });
  const G = gamma.factory({ seed: seed + 1 });
  const counts = { worse: 0, better: 0, other: 0 };
  for (let r = 0; r < runs; r++) {
    const series: MonthCount[] = [];
    for (let t = 0; t < months; t++) {
      const mu = appearances * rate(t);
      let y = 0;
      if (model.kind === 'clustered') {
        const clusters = P(mu / (1 + model.c));
        for (let j = 0; j < clusters; j++) y += 1 + P(model.c);
      } else if (model.kind === 'mixed') y = P(mu * G(model.shape, model.shape));
      else y = P(mu);
      series.push({ month: `${2025 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`, appearances, incidents: y });
    }
    const d = trendVerdict(series).direction;
    if (d === 'worse') counts.worse++;
    else if (d === 'better') counts.better++;
    else counts.other++;
  }
  return counts;
}

describe('trend verdict by simulation', () => {
  it('on flat overdispersed series says "worse" or "better" at most 6% of the time (24 scenarios × 300 series = 7,200)', () => {
    const models: Model[] = [
      { kind: 'clustered', c: 0.5 },
      { kind: 'clustered', c: 1 },
      { kind: 'clustered', c: 2 },
      { kind: 'mixed', shape: 3 },
    ];
    let calls = 0;
    let total = 0;
    let worst = 0;
    let seed = 1;
    for (const months of [6, 12, 24])
      for (const rate of [0.1, 0.3])
        for (const model of models) {
          const c = simulate(months, 20, () => rate, model, 300, seed++);
          calls += c.worse + c.better;
          total += 300;
          worst = Math.max(worst, (c.worse + c.better) / 300);
        }
    expect(calls / total).toBeLessThanOrEqual(0.06);
    // No single scenario strays far either (300 series: a true 5% reads above 8.4% one time in a hundred).
    expect(worst).toBeLessThanOrEqual(0.09);
  });

  it.each<[string, number, number, number, Model]>([
    ['12 months × 30 appearances, 0.5 → 1 incident per appearance, independent incidents', 12, 30, 0.5, { kind: 'poisson' }],
    ['12 months × 60 appearances, 0.5 → 1, clustered (variance 1.67× Poisson)', 12, 60, 0.5, { kind: 'clustered', c: 0.5 }],
    ['24 months × 40 appearances, 0.5 → 1, clustered (variance 2.5× Poisson)', 24, 40, 0.5, { kind: 'clustered', c: 1 }],
  ])('on a true doubling says "worse" at least 80% of the time: %s (300 series)', (_name, months, appearances, r0, model) => {
    const c = simulate(months, appearances, (t) => r0 * 2 ** (t / (months - 1)), model, 300, 99);
    expect(c.worse / 300).toBeGreaterThanOrEqual(0.8);
    expect(c.better).toBe(0);
  });
});
