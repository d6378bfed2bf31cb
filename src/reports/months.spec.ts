import { addMonths, monthKeys, monthStart, quarterKeys } from './months';

describe('month and quarter keys', () => {
  it.each([
    [Date.UTC(2026, 0, 1), Date.UTC(2026, 3, 1), ['2026-01', '2026-02', '2026-03']],
    [Date.UTC(2025, 10, 15), Date.UTC(2026, 1, 2), ['2025-11', '2025-12', '2026-01', '2026-02']],
    [Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 0, 1), ['2026-01']],
  ])('monthKeys(%p, %p)', (from, to, keys) => {
    expect(monthKeys(from, to)).toEqual(keys);
  });

  it('quarterKeys', () => {
    expect(quarterKeys(Date.UTC(2025, 10, 1), Date.UTC(2026, 6, 1))).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
  });

  it.each([
    [Date.UTC(2026, 4, 17, 13), 0, Date.UTC(2026, 4, 1)],
    [Date.UTC(2026, 0, 31), -1, Date.UTC(2025, 11, 1)],
    [Date.UTC(2026, 0, 31), -11, Date.UTC(2025, 1, 1)],
  ])('addMonths(monthStart(%p), %p)', (ms, n, expected) => {
    expect(addMonths(monthStart(ms), n)).toBe(expected);
  });
});
