import { emptySums, summaryRow, totalRow } from './outcomes-summary';

describe('summaryRow', () => {
  it.each([
    [{ held: 4, incidents: 2, debriefed: 2, leads: 10, applications: 3 }, 0.5, 5, 1.5],
    [{ held: 0, incidents: 0, debriefed: 0, leads: 0, applications: 0 }, null, null, null],
    [{ held: 3, incidents: 1, debriefed: 0, leads: 0, applications: 0 }, 1 / 3, null, null],
  ])('%p → per appearance %p, leads %p, yield %p', (s, ipa, lpa, ypa) => {
    const r = summaryRow({ ...emptySums('k', 'K'), ...s });
    expect(r.incidentsPerAppearance).toBe(ipa);
    expect(r.leadsPerAppearance).toBe(lpa);
    expect(r.yieldPerAppearance).toBe(ypa);
  });
});

describe('totalRow', () => {
  it('adds the sums and recomputes the ratios from them (not an average of ratios)', () => {
    const t = totalRow([
      { ...emptySums('a', 'A'), appearances: 2, held: 2, incidents: 2, debriefed: 1, applications: 1 },
      { ...emptySums('b', 'B'), appearances: 8, held: 8, incidents: 0, debriefed: 4, applications: 1 },
    ]);
    expect(t).toMatchObject({ key: 'total', appearances: 10, held: 10, incidents: 2, incidentsPerAppearance: 0.2, yieldPerAppearance: 0.4 });
  });
});
