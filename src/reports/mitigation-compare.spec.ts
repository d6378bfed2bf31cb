import reference from '../../test/fixtures/stats-reference.json';
import { compareMitigations, MITIGATION_CONFOUNDING, MitigationSetRow, stratifiedDifference } from './mitigation-compare';

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

  it('gives the −27-point difference its 95% interval and test: about −51 to +13 points, CMH p = 0.31', () => {
    const exit = out[0];
    expect(exit.differenceLow).toBeCloseTo(-0.5079, 4);
    expect(exit.differenceHigh).toBeCloseTo(0.1329, 4);
    expect(exit.p).toBeCloseTo(0.3089, 4);
    expect(exit.comparableUsed).toBe(12);
    expect(exit.comparableNotUsedEffective).toBeCloseTo(14.21, 2);
  });

  it('cautions when the estimate rests on about one comparable appearance, though 31 exist', () => {
    // High: 14 with it (3 disrupted) against ONE without (disrupted); low: 1 with it against 30 without.
    const [m] = compareMitigations(
      [
        { level: 'high', mitigations: ['exit_plan'], appearances: 14, disrupted: 3, incidents: 3, leads: 0 },
        { level: 'high', mitigations: [], appearances: 1, disrupted: 1, incidents: 1, leads: 0 },
        { level: 'low', mitigations: ['exit_plan'], appearances: 1, disrupted: 0, incidents: 0, leads: 0 },
        { level: 'low', mitigations: [], appearances: 30, disrupted: 3, incidents: 3, leads: 0 },
      ],
      catalogue,
    );
    expect(m.difference).toBeCloseTo(-0.74, 10);
    expect(m.caution).toMatch(/^Small numbers \(15 with, about 1\.1 comparable without, once weighted to the same levels\)/);
    expect(m.differenceHigh as number).toBeGreaterThan(0);
  });

  it('says which appearances with it were left out for want of a comparison', () => {
    const [m] = compareMitigations([...rows, { level: 'critical', mitigations: ['exit_plan'], appearances: 3, disrupted: 1, incidents: 1, leads: 0 }], catalogue);
    expect(m.caution).toMatch(/3 appearances with it at levels where nothing compares are left out\.$/);
  });

  it('carries the confounding warning in plain words', () => {
    expect(MITIGATION_CONFOUNDING).toMatch(/chosen for the riskier appearances.*association, not the effect/);
  });

  it.each([
    ['civilian_dress', /^Small numbers \(2 with, about 30 comparable without/],
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

// Reference values: NumPy from the published formulas and scipy.stats.chi2 (scripts/reference/stats_reference.py).
describe('stratifiedDifference against the reference', () => {
  it.each(reference.mitigations.map((c) => [JSON.stringify(c.strata), c]))('%s', (_name, c) => {
    const r = stratifiedDifference(c.strata.map(([n1, k1, n0, k0]) => ({ n1, k1, n0, k0 })));
    expect(r).not.toBeNull();
    for (const key of ['difference', 'low', 'high', 'p', 'usedN', 'notUsedEffective'] as const) expect(Math.abs((r as NonNullable<typeof r>)[key] - c[key])).toBeLessThan(1e-9);
  });
});
