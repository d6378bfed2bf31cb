import { compareMitigations, MitigationSetRow } from './mitigation-compare';

const catalogue = [
  { id: 'exit_plan', text: 'Exit plan' },
  { id: 'civilian_dress', text: 'Civilian dress' },
  { id: 'buddy_system', text: 'Buddy' },
];

describe('compareMitigations', () => {
  const rows: MitigationSetRow[] = [
    // high: 10 with exit_plan (2 disrupted), 10 without (5 disrupted)
    { level: 'high', mitigations: ['exit_plan'], appearances: 10, disrupted: 2, incidents: 3, leads: 0 },
    { level: 'high', mitigations: [], appearances: 10, disrupted: 5, incidents: 6, leads: 0 },
    // low: 30 without anything (3 disrupted), 2 with civilian_dress and exit_plan (0 disrupted)
    { level: 'low', mitigations: [], appearances: 30, disrupted: 3, incidents: 3, leads: 0 },
    { level: 'low', mitigations: ['civilian_dress', 'exit_plan'], appearances: 2, disrupted: 0, incidents: 0, leads: 0 },
  ];
  const out = compareMitigations(rows, catalogue);

  it('compares within each predicted level', () => {
    const exit = out[0];
    expect(exit.byLevel.find((l) => l.level === 'high')).toMatchObject({
      used: { appearances: 10, disrupted: 2, disruptedRate: 0.2 },
      notUsed: { appearances: 10, disrupted: 5, disruptedRate: 0.5 },
    });
    expect(exit.byLevel.find((l) => l.level === 'low')).toMatchObject({
      used: { appearances: 2, disrupted: 0 },
      notUsed: { appearances: 30, disrupted: 3, disruptedRate: 0.1 },
    });
    expect(exit.used).toMatchObject({ appearances: 12, disrupted: 2 });
  });

  it("standardises the non-users' rate to the users' level mix", () => {
    const exit = out[0];
    // (10·0.5 + 2·0.1) / 12
    expect(exit.comparableNotUsedRate).toBeCloseTo(5.2 / 12, 10);
    expect(exit.difference).toBeCloseTo(2 / 12 - 5.2 / 12, 10);
    expect(exit.caution).toBeNull();
  });

  it.each([
    ['civilian_dress', /^Small numbers \(2 with, 30 comparable without\)/],
    ['buddy_system', /^Never recorded as used/],
  ])('cautions for %s', (id, re) => {
    expect(out.find((m) => m.mitigationId === id)?.caution).toMatch(re);
  });

  it('says so when there is nothing comparable at the same level', () => {
    const [m] = compareMitigations([{ level: 'critical', mitigations: ['exit_plan'], appearances: 12, disrupted: 3, incidents: 3, leads: 0 }], catalogue);
    expect(m.comparableNotUsedRate).toBeNull();
    expect(m.caution).toMatch(/No comparable appearances/);
  });
});
