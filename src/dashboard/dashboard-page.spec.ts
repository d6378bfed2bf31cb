import { humanUtc, toDateInput } from './dashboard-page';

describe('dashboard window words', () => {
  it.each([
    ['2025-12-01T00:00:00.000Z', '1 Dec 2025'],
    ['2026-11-16T15:04:59.000Z', '16 Nov 2026, 15:04 UTC'],
    [null, '—'],
  ])('humanUtc(%p) is %p', (iso, words) => {
    expect(humanUtc(iso)).toBe(words);
  });

  it.each([
    ['2026-07-01T00:00:00.000Z', '2026-07-01'],
    ['2026-11-16T15:00:00.000Z', '2026-11-17'],
    [undefined, ''],
  ])('the "to (exclusive)" field for %p is %p, so Show keeps today', (iso, value) => {
    expect(toDateInput(iso)).toBe(value);
  });
});
