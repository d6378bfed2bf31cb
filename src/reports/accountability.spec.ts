import { brier, brierByMonth, byLevel, LevelMonthSums, referenceBrier } from './accountability';

describe('brier and reference', () => {
  it.each([
    [0, 0, null],
    [0.5, 2, 0.25],
    [1.62, 4, 0.405],
  ])('brier(sumSq %p, n %p) = %p', (sq, n, expected) => {
    expect(brier(sq, n)).toBe(expected);
  });

  it.each([
    [1, 4, undefined, 0.1875], // base 0.25: 1·0.5625 + 3·0.0625 = 0.75 → /4
    [0, 4, undefined, 0],
    [2, 4, 0.25, 0.3125], // 2·0.5625 + 2·0.0625 = 1.25 → /4
    [0, 0, undefined, null],
  ])('referenceBrier(k %p, n %p, b %p) = %p', (k, n, b, expected) => {
    expect(referenceBrier(k, n, b)).toBe(expected);
  });
});

const rows: LevelMonthSums[] = [
  // January: two low appearances p 0.1, none disrupted; one high p 0.6, disrupted
  { month: '2026-01', level: 'low', n: 2, disrupted: 0, incidents: 0, sumP: 0.2, sumSq: 0.02 },
  { month: '2026-01', level: 'high', n: 1, disrupted: 1, incidents: 2, sumP: 0.6, sumSq: 0.16 },
  // February: one low p 0.1 disrupted
  { month: '2026-02', level: 'low', n: 1, disrupted: 1, incidents: 1, sumP: 0.1, sumSq: 0.81 },
];

describe('brierByMonth', () => {
  it('scores each month and the window, with skill against the window base rate', () => {
    const { byMonth, overall } = brierByMonth(rows, ['2026-01', '2026-02', '2026-03']);
    expect(byMonth.map((m) => m.appearances)).toEqual([3, 1, 0]);
    expect(byMonth[0].brier).toBeCloseTo(0.06, 10);
    expect(byMonth[1].brier).toBeCloseTo(0.81, 10);
    expect(byMonth[2].brier).toBeNull();
    // base rate 2/4 = 0.5 → reference 0.25 every month with cases
    expect(byMonth[0].reference).toBeCloseTo(0.25, 10);
    expect(overall.brier).toBeCloseTo(0.99 / 4, 10);
    expect(overall.skill).toBeCloseTo(1 - 0.2475 / 0.25, 10);
  });
});

describe('byLevel', () => {
  it('gives counts per cell, mean predicted, observed share with a Wilson interval, incidents per appearance', () => {
    const levels = byLevel(rows);
    expect(levels.map((l) => [l.level, l.appearances, l.disrupted, l.notDisrupted])).toEqual([
      ['low', 3, 1, 2],
      ['moderate', 0, 0, 0],
      ['high', 1, 1, 0],
      ['critical', 0, 0, 0],
    ]);
    expect(levels[0].meanPredicted).toBeCloseTo(0.1, 10);
    expect(levels[0].observedRate).toBeCloseTo(1 / 3, 10);
    expect(levels[0].observedLow).toBeCloseTo(0.0615, 3);
    expect(levels[0].observedHigh).toBeCloseTo(0.7923, 3);
    expect(levels[2].incidentsPerAppearance.rate).toBe(2);
    expect(levels[1]).toMatchObject({ meanPredicted: null, observedRate: null, observedLow: null });
  });

  it('widens the incidents-per-appearance interval when the incidents hit the same appearance', () => {
    const twoEach = byLevel([{ month: '2026-01', level: 'high', n: 2, disrupted: 2, incidents: 4, incidentsSq: 2 * 2 + 2 * 2, sumP: 1, sumSq: 0 }])[2];
    const fourAtOne = byLevel([{ month: '2026-01', level: 'high', n: 2, disrupted: 1, incidents: 4, incidentsSq: 4 * 4, sumP: 1, sumSq: 0 }])[2];
    // Σc²/Σc = 2 and 4: the exact interval for 2 (resp. 1) effective incidents over 1 (0.5) effective appearances.
    expect(twoEach.incidentsPerAppearance.high).toBeCloseTo(7.2247, 3);
    expect(fourAtOne.incidentsPerAppearance.high).toBeCloseTo((4 * 5.5716) / 2, 3);
  });
});
