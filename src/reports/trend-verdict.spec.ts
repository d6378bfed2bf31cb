import fc from 'fast-check';
import { compareHalves, MonthCount, periodsOf, trendVerdict } from './trend-verdict';

const series = (pairs: Array<[number, number]>, start = 1, year = 2026): MonthCount[] =>
  pairs.map(([appearances, incidents], i) => {
    const m = start - 1 + i;
    return { month: `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`, appearances, incidents };
  });

describe('trendVerdict', () => {
  it.each<[string, MonthCount[], string, RegExp]>([
    [
      'thin data (few incidents)',
      series([
        [10, 1],
        [10, 0],
        [10, 1],
        [10, 1],
        [10, 0],
        [10, 1],
      ]),
      'not_enough_data',
      /^Not enough data to say: 4 incidents aimed at us over 6 months/,
    ],
    [
      'thin data (few months)',
      series([
        [0, 0],
        [0, 0],
        [10, 5],
        [10, 6],
        [0, 0],
        [0, 0],
      ]),
      'not_enough_data',
      /over 2 months/,
    ],
    [
      'a clear rise',
      series([
        [20, 1],
        [20, 2],
        [20, 4],
        [20, 6],
        [20, 9],
        [20, 14],
      ]),
      'worse',
      /^Getting worse: incidents aimed at us per appearance rose by about 61% a month over 2026-01 to 2026-06, from about 0\.067 to 0\.72 per appearance along the fitted line \(95% range \+18% to \+130% a month; p = 0\.011\)\.$/,
    ],
    [
      'a clear fall',
      series(
        [
          [20, 14],
          [20, 9],
          [20, 6],
          [20, 4],
          [20, 2],
          [20, 1],
        ],
        9,
        2025,
      ),
      'better',
      /^Getting better: incidents aimed at us per appearance fell by about 38% a month over 2025-09 to 2026-02, from about 0\.72 to 0\.067 per appearance along the fitted line \(95% range -56% to -15% a month; p = 0\.011\)\.$/,
    ],
    [
      'noise around a flat rate',
      series([
        [20, 4],
        [20, 6],
        [20, 3],
        [20, 5],
        [20, 6],
        [20, 4],
      ]),
      'no_clear_change',
      /^No clear change over 2026-01 to 2026-06: the estimated trend is \+1\.2% a month/,
    ],
    // The example: variance 8.2× Poisson. Plain Poisson regression called this "Getting worse… +1% to +49%".
    [
      'noise that swamps the trend',
      series([
        [20, 0],
        [20, 12],
        [20, 1],
        [20, 10],
        [20, 0],
        [20, 14],
      ]),
      'too_variable',
      /^Too variable to call over 2026-01 to 2026-06: .* vary about 8\.2 times more than chance .* 95% range -44% to \+215% a month/,
    ],
    // Five quiet months, then six incidents in ten appearances: a Newton fit diverged ("too uneven to fit a trend").
    [
      'a sudden onset',
      series([
        [10, 0],
        [10, 0],
        [10, 0],
        [10, 0],
        [10, 0],
        [10, 6],
      ]),
      'worse',
      /^Getting worse: a sudden rise over 2026-01 to 2026-06, 6 incidents in 10 appearances in 2026-06, none in the 50 appearances before \(95% range \+108% a month or more; p = 0\.0098\)\.$/,
    ],
  ])('%s → %s', (_name, months, direction, words) => {
    const v = trendVerdict(months);
    expect(v.direction).toBe(direction);
    expect(v.verdict).toMatch(words);
  });

  it('counts every incident in the window: months without appearances pass theirs on', () => {
    const months = series([
      [10, 1],
      [0, 3],
      [10, 1],
      [10, 2],
      [0, 2],
      [10, 0],
    ]);
    const v = trendVerdict(months);
    expect(periodsOf(months).periods.reduce((s, p) => s + p.y, 0)).toBe(9);
    expect(v.fit?.incidentsCarried).toBe(5);
    expect(v.verdict).toMatch(/5 incidents in months without appearances are counted with the next month that had appearances\.$/);
    expect(compareHalves(months)?.firstHalf.incidents).toBe(5);
  });

  it('does not read the summer lull as an improvement', () => {
    // December to August: a flat term-time rate, then fewer appearances and quieter campuses in June–August.
    const pairs: Array<[number, number]> = [
      [100, 30],
      [100, 31],
      [100, 29],
      [100, 30],
      [100, 30],
      [100, 29],
      [40, 4],
      [40, 3],
      [40, 4],
    ];
    const v = trendVerdict(series(pairs, 12, 2025));
    // The same numbers from September to May (no summer) read as a fall.
    expect(trendVerdict(series(pairs, 9, 2030)).direction).toBe('better');
    expect(v.direction).toBe('no_clear_change');
    expect(v.verdict).toMatch(/^No clear change outside the summer lull: the fall over 2025-12 to 2026-08 rests on 2026-06, 2026-07, 2026-08 .*without them the trend is -0\.67% a month/);
  });

  it('calls a fall that holds outside the summer too, and says the summer was left out', () => {
    const v = trendVerdict(
      series(
        [
          [40, 20],
          [40, 16],
          [40, 12],
          [40, 9],
          [40, 7],
          [20, 1],
          [20, 1],
          [20, 1],
          [40, 3],
          [40, 2],
        ],
        1,
        2026,
      ),
    );
    expect(v.direction).toBe('better');
    expect(v.verdict).toMatch(/The summer months \(2026-06, 2026-07, 2026-08\) are left out of the call/);
    expect(v.fit?.summerMonthsSetAside).toEqual(['2026-06', '2026-07', '2026-08']);
  });

  it('still calls a rise when the window ends in summer', () => {
    const v = trendVerdict(
      series([
        [10, 0],
        [10, 0],
        [10, 0],
        [10, 0],
        [10, 0],
        [10, 6],
      ]),
    );
    expect(v.direction).toBe('worse');
  });

  it('gives the fitted line for the months with appearances and a monthly change with its interval', () => {
    const v = trendVerdict(
      series([
        [20, 1],
        [20, 2],
        [0, 0],
        [20, 8],
        [20, 16],
        [20, 32],
      ]),
    );
    expect(v.fit?.fitted.map((f) => f.month)).toEqual(['2026-01', '2026-02', '2026-04', '2026-05', '2026-06']);
    expect(v.fit?.monthlyChange).toBeCloseTo(1, 1);
    expect((v.fit?.monthlyChangeLow as number) < (v.fit?.monthlyChange as number)).toBe(true);
  });

  // "Getting better… second half 0.25 against 0.21", "fell by about -38%", "0% to +5%" for +0.23%.
  it('never contradicts its own numbers (random series)', () => {
    const month = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 30 }));
    fc.assert(
      fc.property(fc.array(month, { minLength: 4, maxLength: 18 }), (pairs) => {
        const v = trendVerdict(series(pairs.map(([n, y]) => [n, n === 0 ? 0 : y] as [number, number])));
        const nums = (re: RegExp) => (v.verdict.match(re) ?? []).slice(1).map(Number);
        expect(v.verdict).not.toMatch(/by about -/);
        expect(v.verdict).not.toMatch(/[+-]0%|range 0%/);
        const range = nums(/95% range ([+-]?[\d.]+)% to ([+-]?[\d.]+)% a month/);
        const along = nums(/from about ([\d.]+) to ([\d.]+) per appearance/);
        if (v.direction === 'worse') {
          expect(v.verdict).toMatch(/^Getting worse: .*(rose by about|sudden rise)/);
          if (range.length) expect(range[0]).toBeGreaterThan(0);
          if (along.length) expect(along[1]).toBeGreaterThan(along[0]);
        } else if (v.direction === 'better') {
          expect(v.verdict).toMatch(/^Getting better: .*(fell by about|dropped away)/);
          if (range.length) expect(range[1]).toBeLessThan(0);
          if (along.length) expect(along[1]).toBeLessThan(along[0]);
        } else if (range.length) {
          expect(range[0]).toBeLessThanOrEqual(0);
          expect(range[1]).toBeGreaterThanOrEqual(0);
        }
      }),
      { seed: 15, numRuns: 3000 },
    );
  });
});

// Each wording and branch of the verdict, word for word (the numbers come from trend-fit.ts, whose
// arithmetic is checked against statsmodels in its own spec; here: which sentence is said, and when).
describe('trendVerdict: every branch says its own sentence', () => {
  it.each<[string, MonthCount[], string, string]>([
    [
      'an empty window',
      [],
      'not_enough_data',
      'Not enough data to say: 0 incidents aimed at us over 0 months with appearances (the window). A trend needs at least 5 incidents over 4 months; widen the window or wait.',
    ],
    [
      'one incident in one month (singular words)',
      series([[10, 1]]),
      'not_enough_data',
      'Not enough data to say: 1 incident aimed at us over 1 month with appearances (2026-01 to 2026-01). A trend needs at least 5 incidents over 4 months; widen the window or wait.',
    ],
    [
      'exactly 5 incidents over exactly 4 months is enough to fit',
      series(
        [
          [10, 1],
          [10, 1],
          [10, 2],
          [10, 1],
        ],
        9,
        2025,
      ),
      'no_clear_change',
      'No clear change over 2025-09 to 2025-12: the estimated trend is +8.3% a month, but the 95% range -85% to +828% a month includes no change.',
    ],
    [
      'incidents drop away after the first month (the falling step)',
      series(
        [
          [10, 6],
          [10, 0],
          [10, 0],
          [10, 0],
          [10, 0],
          [10, 0],
        ],
        9,
        2025,
      ),
      'better',
      'Getting better: incidents aimed at us dropped away over 2025-09 to 2026-02, 6 incidents in 10 appearances in 2025-09, none in the 50 appearances after (95% range -52% a month or less; p = 0.0098).',
    ],
    [
      'a sudden rise in one appearance (singular)',
      series(
        [
          [10, 0],
          [10, 0],
          [10, 0],
          [1, 5],
        ],
        9,
        2025,
      ),
      'worse',
      'Getting worse: a sudden rise over 2025-09 to 2025-12, 5 incidents in 1 appearance in 2025-12, none in the 30 appearances before (95% range +177% a month or more; p = 0.028).',
    ],
    [
      'a step too thin to call',
      series(
        [
          [1, 0],
          [1, 0],
          [1, 0],
          [1, 5],
        ],
        9,
        2025,
      ),
      'no_clear_change',
      'No clear change over 2025-09 to 2025-12: the estimated trend is a step at one end, but the 95% range -24% a month or more includes no change.',
    ],
    [
      'a rise whose months vary more than chance (the noise sentence)',
      series(
        [
          [20, 1],
          [20, 6],
          [20, 2],
          [20, 12],
          [20, 5],
          [20, 30],
        ],
        9,
        2025,
      ),
      'worse',
      'Getting worse: incidents aimed at us per appearance rose by about 72% a month over 2025-09 to 2026-02, from about 0.080 to 1.2 per appearance along the fitted line (95% range +7.5% to +219% a month; p = 0.032). Months vary about 3.6 times more than chance alone would make them; the range allows for it.',
    ],
    [
      'a rise that starts after a month without appearances (the line from its first month used)',
      series(
        [
          [0, 0],
          [20, 1],
          [20, 2],
          [20, 4],
          [20, 6],
          [20, 9],
          [20, 14],
        ],
        9,
        2025,
      ),
      'worse',
      'Getting worse: incidents aimed at us per appearance rose by about 61% a month over 2025-09 to 2026-03, from about 0.067 to 0.72 per appearance along the fitted line (95% range +18% to +130% a month; p = 0.011).',
    ],
    [
      'a rise out of an early summer that holds without it',
      series(
        [
          [20, 1],
          [20, 1],
          [20, 1],
          [20, 2],
          [20, 4],
          [20, 8],
          [20, 14],
          [20, 20],
        ],
        6,
        2026,
      ),
      'worse',
      'Getting worse: incidents aimed at us per appearance rose by about 71% a month over 2026-06 to 2027-01, from about 0.13 to 1.1 per appearance along the fitted line (95% range +19% to +160% a month; p = 0.017). The summer months (2026-06, 2026-07, 2026-08) are left out of the call: a lull there would pull the line the same way.',
    ],
    [
      'a rise that only the early summer lull makes',
      series(
        [
          [40, 1],
          [40, 1],
          [40, 1],
          [40, 10],
          [40, 10],
          [40, 10],
          [40, 10],
        ],
        6,
        2026,
      ),
      'no_clear_change',
      'No clear change outside the summer lull: the rise over 2026-06 to 2026-12 rests on 2026-06, 2026-07, 2026-08 (June to August, when campuses are quiet); without them the trend is 0% a month (95% range -46% to +87% a month).',
    ],
    [
      'a fall that rests on the summer, with too few other months to call',
      series(
        [
          [40, 12],
          [40, 12],
          [40, 12],
          [20, 1],
          [20, 1],
          [20, 1],
        ],
        3,
        2026,
      ),
      'no_clear_change',
      'No clear change outside the summer lull: the fall over 2026-03 to 2026-08 rests on 2026-06, 2026-07, 2026-08 (June to August, when campuses are quiet); without them there is too little to call.',
    ],
    [
      'a fall out of an early summer: a lull there would make a rise, so it is not set aside',
      series(
        [
          [20, 14],
          [20, 9],
          [20, 6],
          [20, 4],
          [20, 2],
          [20, 1],
        ],
        6,
        2026,
      ),
      'better',
      'Getting better: incidents aimed at us per appearance fell by about 38% a month over 2026-06 to 2026-11, from about 0.72 to 0.067 per appearance along the fitted line (95% range -56% to -15% a month; p = 0.011).',
    ],
    [
      'a fall with the summer in the middle of the window: neither early nor late, not set aside',
      series(
        [
          [20, 20],
          [20, 14],
          [20, 9],
          [20, 6],
          [20, 4],
          [20, 2],
          [20, 1],
        ],
        4,
        2026,
      ),
      'better',
      'Getting better: incidents aimed at us per appearance fell by about 36% a month over 2026-04 to 2026-10, from about 1.0 to 0.074 per appearance along the fitted line (95% range -49% to -21% a month; p = 0.0019).',
    ],
    [
      'a rise with the summer in the middle of the window: neither early nor late, not set aside',
      series(
        [
          [20, 1],
          [20, 2],
          [20, 4],
          [20, 6],
          [20, 9],
          [20, 14],
          [20, 20],
        ],
        4,
        2026,
      ),
      'worse',
      'Getting worse: incidents aimed at us per appearance rose by about 56% a month over 2026-04 to 2026-10, from about 0.074 to 1.0 per appearance along the fitted line (95% range +27% to +96% a month; p = 0.0019).',
    ],
    [
      'one incident carried from a month without appearances (singular)',
      series(
        [
          [10, 2],
          [0, 1],
          [10, 3],
          [10, 2],
          [10, 3],
        ],
        9,
        2025,
      ),
      'no_clear_change',
      'No clear change over 2025-09 to 2026-01: the estimated trend is +5.4% a month, but the 95% range -56% to +213% a month includes no change. 1 incident in months without appearances is counted with the next month that had appearances.',
    ],
  ])('%s', (_name, months, direction, verdict) => {
    const v = trendVerdict(months);
    expect(v.direction).toBe(direction);
    expect(v.verdict).toBe(verdict);
  });

  it('reports a step as a change of −100% a month (falling) or unbounded (rising), and the months it set aside', () => {
    const falling = trendVerdict(
      series(
        [
          [10, 6],
          [10, 0],
          [10, 0],
          [10, 0],
          [10, 0],
          [10, 0],
        ],
        9,
        2025,
      ),
    ).fit;
    expect(falling).toMatchObject({ monthlyChange: -1, monthlyChangeLow: -1, monthsUsed: 6, incidentsCarried: 0, summerMonthsSetAside: [], fitted: [] });
    expect(falling?.monthlyChangeHigh).toBeCloseTo(-0.5195, 4);
    expect(falling?.p).toBeCloseTo(0.00976, 5);
    const rising = trendVerdict(
      series(
        [
          [10, 0],
          [10, 0],
          [10, 0],
          [1, 5],
        ],
        9,
        2025,
      ),
    ).fit;
    expect(rising?.monthlyChange).toBeNull();
    expect(rising?.monthlyChangeHigh).toBeNull();
    const early = trendVerdict(
      series(
        [
          [20, 1],
          [20, 1],
          [20, 1],
          [20, 2],
          [20, 4],
          [20, 8],
          [20, 14],
          [20, 20],
        ],
        6,
        2026,
      ),
    ).fit;
    expect(early).toMatchObject({ summerMonthsSetAside: ['2026-06', '2026-07', '2026-08'], monthsUsed: 5 });
    expect(early?.fitted.map((f) => f.month)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    // the window ends in summer: a rise into June is not second-guessed
    expect(
      trendVerdict(
        series([
          [10, 0],
          [10, 0],
          [10, 0],
          [10, 0],
          [10, 0],
          [10, 6],
        ]),
      ).fit?.summerMonthsSetAside,
    ).toEqual([]);
  });

  it('gives a fitted rate that changes by the monthly change each month, also across a month without appearances', () => {
    const fit = trendVerdict(
      series(
        [
          [20, 1],
          [20, 2],
          [0, 0],
          [20, 8],
          [20, 16],
          [20, 32],
        ],
        9,
        2025,
      ),
    ).fit as NonNullable<ReturnType<typeof trendVerdict>['fit']>;
    const growth = 1 + (fit.monthlyChange as number);
    const [sep, oct, dec, jan] = fit.fitted.map((f) => f.rate);
    expect(oct / sep).toBeCloseTo(growth, 10);
    expect(dec / oct).toBeCloseTo(growth * growth, 10); // two months on: November had no appearances
    expect(jan / dec).toBeCloseTo(growth, 10);
    expect(fit.monthlyChangeLow).toBeLessThan(fit.monthlyChange as number);
    expect(fit.monthlyChangeHigh).toBeGreaterThan(fit.monthlyChange as number);
    expect(fit.dispersion).toBeGreaterThan(0);
    expect(fit.p).toBeLessThan(0.05);
  });
});

describe('periodsOf', () => {
  it('gives the incidents of trailing months without appearances to the last month that had some', () => {
    expect(
      periodsOf(
        series([
          [10, 1],
          [10, 2],
          [0, 3],
        ]),
      ),
    ).toEqual({
      periods: [
        { month: '2026-01', t: 0, n: 10, y: 1 },
        { month: '2026-02', t: 1, n: 10, y: 5 },
      ],
      carried: 3,
    });
  });
  it('with no month of appearances has nothing to carry to', () => {
    expect(
      periodsOf(
        series([
          [0, 2],
          [0, 1],
        ]),
      ),
    ).toEqual({ periods: [], carried: 0 });
    expect(
      trendVerdict(
        series([
          [0, 2],
          [0, 1],
        ]),
      ).direction,
    ).toBe('not_enough_data');
  });
});

describe('compareHalves', () => {
  it.each<[string, MonthCount[], number | null, number | null, number | null]>([
    [
      'even split',
      series([
        [10, 1],
        [10, 1],
        [10, 3],
        [10, 3],
      ]),
      0.1,
      0.3,
      3,
    ],
    [
      'odd: the middle month goes to the first half',
      series([
        [10, 1],
        [10, 2],
        [10, 3],
      ]),
      0.15,
      0.3,
      2,
    ],
    [
      'months without appearances are skipped',
      series([
        [10, 2],
        [0, 0],
        [10, 4],
      ]),
      0.2,
      0.4,
      2,
    ],
    [
      'zero first half: no ratio',
      series([
        [10, 0],
        [10, 3],
      ]),
      0,
      0.3,
      null,
    ],
  ])('%s', (_name, months, first, second, ratio) => {
    const h = compareHalves(months);
    expect(h?.firstHalf.rate).toBeCloseTo(first as number, 10);
    expect(h?.secondHalf.rate).toBeCloseTo(second as number, 10);
    if (ratio === null) expect(h?.rateRatio).toBeNull();
    else expect(h?.rateRatio).toBeCloseTo(ratio, 10);
  });

  it('is null with fewer than two months of appearances', () => {
    expect(
      compareHalves(
        series([
          [10, 1],
          [0, 0],
        ]),
      ),
    ).toBeNull();
  });
});
