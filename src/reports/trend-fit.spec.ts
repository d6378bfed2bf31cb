import reference from '../../test/fixtures/stats-reference.json';
import { quasiPoissonTrend } from './trend-fit';

// Reference values: SciPy (BFGS on the Poisson likelihood, bounded profile, f.sf / f.ppf, brentq),
// from scripts/reference/stats_reference.py; its output is test/fixtures/stats-reference.json.
const asNumber = (v: number | string) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));

describe('quasiPoissonTrend against SciPy', () => {
  it.each(reference.trends.map((c) => [c.name, c]))('%s', (_name, c) => {
    const points = c.series.map(([n, y], t) => ({ t, n, y }));
    const f = quasiPoissonTrend(points);
    expect(f).not.toBeNull();
    const fit = f as NonNullable<typeof f>;
    const close = (got: number, want: number | string, tol: number) => {
      const w = asNumber(want);
      if (!Number.isFinite(w)) expect(got).toBe(w);
      else expect(Math.abs(got - w)).toBeLessThan(tol);
    };
    close(fit.slope, c.slope, 1e-6);
    close(fit.low, c.low, 1e-6);
    close(fit.high, c.high, 1e-6);
    expect(Math.abs(fit.p - c.p)).toBeLessThan(1e-6);
    expect(Math.abs(fit.dispersion - c.dispersion)).toBeLessThan(1e-5 * Math.max(1, c.dispersion));
    // The interval and the test agree: 0 is outside the range exactly when p < 0.05.
    expect(fit.low > 0 || fit.high < 0).toBe(fit.p < 0.05);
  });

  it.each([
    ['no incidents', [0, 1, 2].map((t) => ({ t, n: 5, y: 0 }))],
    ['two months (no degrees of freedom left for the dispersion)', [0, 1].map((t) => ({ t, n: 5, y: 3 }))],
  ])('is null with %s', (_name, pts) => {
    expect(quasiPoissonTrend(pts)).toBeNull();
  });

  it('ignores months without appearances', () => {
    const pts = [
      { t: 0, n: 10, y: 1 },
      { t: 1, n: 0, y: 0 },
      { t: 2, n: 10, y: 3 },
      { t: 3, n: 10, y: 5 },
    ];
    expect(quasiPoissonTrend(pts)?.df).toBe(1);
  });
});
