import { magnitudePct, pText, ratePair, rateText, signedPct, signedPoints } from './report-format';

describe('report-format', () => {
  it.each([
    [0.1, '+10%'],
    [-0.38, '-38%'],
    [0.0023, '+0.23%'],
    [-0.042, '-4.2%'],
    [1.7139, '+171%'],
    [0, '0%'],
  ])('signedPct(%p) = %p', (x, s) => expect(signedPct(x)).toBe(s));

  it.each([
    [-0.38, '38%'],
    [0.025, '2.5%'],
    [0.00061, '0.061%'],
  ])('magnitudePct(%p) = %p', (x, s) => expect(magnitudePct(x)).toBe(s));

  it.each([
    [0.004, '0.0040'],
    [0.01, '0.010'],
    [0.25, '0.25'],
    [1.25, '1.25'],
    [0, '0'],
    [null, 'n/a'],
  ])('rateText(%p) = %p', (x, s) => expect(rateText(x)).toBe(s));

  it.each<[number, number, [string, string]]>([
    [0.004, 0.01, ['0.0040', '0.010']],
    [0.25, 0.2512, ['0.250', '0.251']],
    [0.3, 0.3, ['0.30', '0.30']],
  ])('ratePair(%p, %p) tells unequal rates apart', (a, b, out) => expect(ratePair(a, b)).toEqual(out));

  it.each([
    [0.0000214, 'p < 0.001'],
    [0.009756, 'p = 0.0098'],
    [0.31, 'p = 0.31'],
  ])('pText(%p) = %p', (p, s) => expect(pText(p)).toBe(s));

  it.each([
    [-0.2667, '-27 points'],
    [0.004, '+0.40 points'],
  ])('signedPoints(%p) = %p', (x, s) => expect(signedPoints(x)).toBe(s));
});
