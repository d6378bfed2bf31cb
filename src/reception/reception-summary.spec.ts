import { summarise, SummaryInput } from './reception-summary';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 12);
let n = 0;
const e = (stance: SummaryInput['stance'], daysAgo: number, recordedDaysAgo = daysAgo): SummaryInput => ({
  id: `e${n++}`,
  stance,
  effectiveAt: NOW - daysAgo * DAY,
  recordedAt: NOW - recordedDaysAgo * DAY,
});

describe('summarise (derived stance)', () => {
  it.each<[string, SummaryInput[], { currentStance: string | null; trend: string | null; sinceDaysAgo: number | null }]>([
    ['nothing recorded', [], { currentStance: null, trend: null, sinceDaysAgo: null }],
    ['one entry', [e('neutral', 10)], { currentStance: 'neutral', trend: 'same', sinceDaysAgo: 10 }],
    ['worse within the year', [e('welcoming', 400), e('restricted', 30)], { currentStance: 'restricted', trend: 'worse', sinceDaysAgo: 30 }],
    ['better within the year', [e('hostile', 400), e('cautious', 30)], { currentStance: 'cautious', trend: 'better', sinceDaysAgo: 30 }],
    ['only entries inside the window: first vs last', [e('welcoming', 200), e('cautious', 20)], { currentStance: 'cautious', trend: 'worse', sinceDaysAgo: 20 }],
    [
      'same stance repeated: since the first of the run (hostile a year ago: better)',
      [e('hostile', 500), e('neutral', 300), e('neutral', 100), e('neutral', 5)],
      { currentStance: 'neutral', trend: 'better', sinceDaysAgo: 300 },
    ],
    ['order is by effective date, not entry order', [e('restricted', 5), e('welcoming', 50)], { currentStance: 'restricted', trend: 'worse', sinceDaysAgo: 5 }],
    ['same effective date: the later recorded wins', [e('welcoming', 10, 10), e('hostile', 10, 2)], { currentStance: 'hostile', trend: 'worse', sinceDaysAgo: 10 }],
    ['future-dated entries do not count yet', [e('neutral', 10), e('hostile', -5)], { currentStance: 'neutral', trend: 'same', sinceDaysAgo: 10 }],
  ])('%s', (_name, entries, want) => {
    const s = summarise('i1', entries, NOW);
    expect(s.currentStance).toBe(want.currentStance);
    expect(s.trend).toBe(want.trend);
    expect(s.stanceSince).toBe(want.sinceDaysAgo === null ? null : new Date(NOW - want.sinceDaysAgo * DAY).toISOString());
    expect(s.entries).toBe(entries.length);
  });
});
