import reference from '../../test/fixtures/stats-reference.json';
import { clusterDispersion, gammaP, lnGamma, normalQuantile, poissonInterval, rateWithInterval, wilsonInterval } from './rate-interval';

// Reference values: scipy.special.gammainc and scipy.stats.gamma.ppf, from
// scripts/reference/stats_reference.py (its output is test/fixtures/stats-reference.json).

describe('lnGamma', () => {
  it.each([
    [1, 0],
    [2, 0],
    [5, Math.log(24)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [10.5, 13.940625219403763],
  ])('lnGamma(%p) = %p', (x, expected) => {
    expect(lnGamma(x)).toBeCloseTo(expected, 10);
  });
});

describe('gammaP', () => {
  it.each([
    [1, 1, 1 - Math.exp(-1)],
    [1, 3, 1 - Math.exp(-3)],
    [2, 2, 1 - 3 * Math.exp(-2)],
    [3, 0, 0],
    [5, 20, 0.999983],
  ])('P(%p, %p) = %p', (a, x, expected) => {
    expect(gammaP(a, x)).toBeCloseTo(expected, 6);
  });

  it.each(reference.gammaP.map((c) => [c.a, c.x, c.p]))('P(%p, %p) = %p as SciPy has it, large arguments included', (a, x, p) => {
    expect(Math.abs(gammaP(a, x) - p)).toBeLessThan(1e-9);
  });
});

describe('poissonInterval (exact Garwood, 95%)', () => {
  // Reference values: Garwood (1936) / standard tables.
  it.each([
    [0, 0, 3.6889],
    [1, 0.0253, 5.5716],
    [2, 0.2422, 7.2247],
    [5, 1.6235, 11.6683],
    [10, 4.7954, 18.3904],
    [100, 81.364, 121.6268],
  ])('k = %p → [%p, %p]', (k, low, high) => {
    const ci = poissonInterval(k);
    expect(ci.low).toBeCloseTo(low, 3);
    expect(ci.high).toBeCloseTo(high, 3);
  });

  it('is narrower at 80%', () => {
    const ci = poissonInterval(5, 0.8);
    expect(ci.low).toBeCloseTo(2.4326, 3);
    expect(ci.high).toBeCloseTo(9.2747, 3);
  });

  it('refuses a negative or fractional count', () => {
    expect(() => poissonInterval(-1)).toThrow(RangeError);
    expect(() => poissonInterval(1.5)).toThrow(RangeError);
  });
});

describe('rateWithInterval', () => {
  it.each([
    [0, 0, null, null, null],
    [0, 10, 0, 0, 0.36889],
    [5, 10, 0.5, 0.16235, 1.16683],
    [10, 40, 0.25, 0.11989, 0.45976],
  ])('%p events over %p appearances', (k, n, rate, low, high) => {
    const r = rateWithInterval(k, n);
    if (rate === null) return expect(r).toEqual({ rate: null, low: null, high: null });
    expect(r.rate).toBeCloseTo(rate, 5);
    expect(r.low).toBeCloseTo(low as number, 4);
    expect(r.high).toBeCloseTo(high as number, 4);
  });
});

describe('rateWithInterval against SciPy (exact, and widened for clustered incidents)', () => {
  it.each(reference.rates.map((c) => [c.events, c.exposure, c.dispersion, c.low, c.high]))('%p events over %p appearances, dispersion %p', (k, n, phi, low, high) => {
    const r = rateWithInterval(k, n, 0.95, phi);
    expect(r.rate).toBe(k / n);
    expect(Math.abs((r.low as number) - low)).toBeLessThan(1e-8 * Math.max(1, high));
    expect(Math.abs((r.high as number) - high)).toBeLessThan(1e-8 * Math.max(1, high));
  });

  it('is wider when the same incidents hit fewer appearances: 2 at one appearance against 2 at two', () => {
    const apart = rateWithInterval(2, 1, 0.95, clusterDispersion(2, 1 + 1));
    const together = rateWithInterval(2, 1, 0.95, clusterDispersion(2, 2 * 2));
    expect(apart).toEqual(rateWithInterval(2, 1));
    expect(together.high as number).toBeGreaterThan((apart.high as number) * 1.4);
    expect(together.low as number).toBeLessThan(apart.low as number);
  });
});

describe('clusterDispersion', () => {
  it.each([
    [0, 0, 1],
    [3, 3, 1],
    [2, 4, 2],
    [6, 4 + 1 + 1 + 9 + 1, 16 / 6],
  ])('%p incidents with Σc² = %p → %p', (k, k2, phi) => {
    expect(clusterDispersion(k, k2)).toBeCloseTo(phi, 12);
  });
});

describe('normalQuantile', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959964],
    [0.025, -1.959964],
    [0.9, 1.281552],
    [0.001, -3.090232],
  ])('Φ⁻¹(%p) = %p', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 5);
  });
});

describe('wilsonInterval', () => {
  it.each([
    [0, 10, 0, 0.27753],
    [5, 10, 0.23659, 0.76341],
    [10, 10, 0.72247, 1],
    [1, 100, 0.00177, 0.05449],
  ])('%p of %p', (k, n, low, high) => {
    const ci = wilsonInterval(k, n) as { low: number; high: number };
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('is null without trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});
