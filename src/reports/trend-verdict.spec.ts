import { compareHalves, fitPoissonTrend, MonthCount, trendVerdict } from './trend-verdict';

const series = (pairs: Array<[number, number]>): MonthCount[] =>
  pairs.map(([appearances, incidents], i) => ({ month: `2026-${String(i + 1).padStart(2, '0')}`, appearances, incidents }));

describe('fitPoissonTrend', () => {
  it('recovers a flat rate with slope 0', () => {
    const fit = fitPoissonTrend([0, 1, 2, 3].map((t) => ({ t, n: 10, y: 2 })));
    expect(fit?.b1).toBeCloseTo(0, 8);
    expect(Math.exp(fit?.b0 as number)).toBeCloseTo(0.2, 8);
  });

  it('recovers a doubling rate exactly when the counts follow it', () => {
    const fit = fitPoissonTrend([0, 1, 2, 3].map((t) => ({ t, n: 10, y: 1 * 2 ** t })));
    expect(Math.exp(fit?.b1 as number)).toBeCloseTo(2, 6);
  });

  it('uses the exposure as offset: same counts over growing appearances is a falling rate', () => {
    const fit = fitPoissonTrend([0, 1, 2, 3].map((t) => ({ t, n: 10 * 2 ** t, y: 8 })));
    expect(Math.exp(fit?.b1 as number)).toBeCloseTo(0.5, 6);
  });

  it.each([
    ['no events', [0, 1, 2].map((t) => ({ t, n: 5, y: 0 }))],
    ['one point', [{ t: 0, n: 5, y: 3 }]],
  ])('returns null with %s', (_name, pts) => {
    expect(fitPoissonTrend(pts)).toBeNull();
  });
});

describe('trendVerdict', () => {
  it.each<[string, MonthCount[], string, RegExp]>([
    ['thin data (few incidents)', series([[10, 1], [10, 0], [10, 1], [10, 1], [10, 0], [10, 1]]), 'not_enough_data', /^Not enough data to say: 4 incidents aimed at us over 6 months/],
    ['thin data (few months)', series([[0, 0], [0, 0], [10, 5], [10, 6], [0, 0], [0, 0]]), 'not_enough_data', /over 2 months/],
    ['a clear rise', series([[20, 1], [20, 2], [20, 4], [20, 6], [20, 9], [20, 14]]), 'worse', /^Getting worse: .* rose by about \+\d+% a month over 2026-01 to 2026-06/],
    ['a clear fall', series([[20, 14], [20, 9], [20, 6], [20, 4], [20, 2], [20, 1]]), 'better', /^Getting better: .* fell by about -\d+% a month/],
    ['noise around a flat rate', series([[20, 4], [20, 6], [20, 3], [20, 5], [20, 6], [20, 4]]), 'no_clear_change', /^No clear change over 2026-01 to 2026-06/],
  ])('%s → %s', (_name, months, direction, words) => {
    const v = trendVerdict(months);
    expect(v.direction).toBe(direction);
    expect(v.verdict).toMatch(words);
  });

  it('gives the fitted line for the months with appearances and a monthly change with its interval', () => {
    const v = trendVerdict(series([[20, 1], [20, 2], [0, 0], [20, 8], [20, 16], [20, 32]]));
    expect(v.fit?.fitted.map((f) => f.month)).toEqual(['2026-01', '2026-02', '2026-04', '2026-05', '2026-06']);
    expect(v.fit?.monthlyChange).toBeCloseTo(1, 1);
    expect((v.fit?.monthlyChangeLow as number) < (v.fit?.monthlyChange as number)).toBe(true);
  });
});

describe('compareHalves', () => {
  it.each<[string, MonthCount[], number | null, number | null, number | null]>([
    ['even split', series([[10, 1], [10, 1], [10, 3], [10, 3]]), 0.1, 0.3, 3],
    ['odd: the middle month goes to the first half', series([[10, 1], [10, 2], [10, 3]]), 0.15, 0.3, 2],
    ['months without appearances are skipped', series([[10, 2], [0, 0], [10, 4]]), 0.2, 0.4, 2],
    ['zero first half: no ratio', series([[10, 0], [10, 3]]), 0, 0.3, null],
  ])('%s', (_name, months, first, second, ratio) => {
    const h = compareHalves(months);
    expect(h?.firstHalf.rate).toBeCloseTo(first as number, 10);
    expect(h?.secondHalf.rate).toBeCloseTo(second as number, 10);
    if (ratio === null) expect(h?.rateRatio).toBeNull();
    else expect(h?.rateRatio).toBeCloseTo(ratio, 10);
  });

  it('is null with fewer than two months of appearances', () => {
    expect(compareHalves(series([[10, 1], [0, 0]]))).toBeNull();
  });
});
