import { RiskService } from '../src/risk/risk.service';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;

/**
 * Two instances on one database, only one of them running the scheduler. A state-scoped
 * re-assessment takes the other states' organisation-wide sums from risk_state_totals, which every
 * instance reads and each re-assessment writes in its own transaction: both instances give the same
 * `p` for the same appearance at the same moment, whichever of them saw the last incident, and a
 * transaction that rolls back leaves the totals as they were.
 */
describe('risk: per-state totals shared by two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let riskA: RiskService;
  let riskB: RiskService;

  beforeAll(async () => {
    a = await createTestApp({ now: '2026-01-15T12:00:00Z', app: { schedulerEnabled: true } });
    b = await createTestApp({ now: '2026-01-15T12:00:00Z', database: a.database });
    riskA = a.app.get(RiskService);
    riskB = b.app.get(RiskService);
  });
  afterAll(async () => {
    await b.close({ keepDatabase: true });
    await a.close();
  });

  const advance = (ms: number) => {
    a.clock.advance(ms);
    b.clock.advance(ms);
  };
  const totals = (t: TestApp) => t.db.query('SELECT state, totals_key, as_of, n, k, s1, s2, s3, s4, wave, recent30 FROM risk_state_totals ORDER BY state');
  /** The same appearance assessed on both instances at the same instant. */
  const assessBoth = async (appearanceId: string) => {
    const va = await a.write((m) => riskA.assessAppearance(m, appearanceId, 'test'));
    const vb = await b.write((m) => riskB.assessAppearance(m, appearanceId, 'test'));
    return { va, vb };
  };

  it('gives the same p on both instances after incidents seen by either, and a rollback changes no total', async () => {
    const now = a.clock.now();
    const office = await a.factories.office();
    const oh = await a.factories.institution({ state: 'OH' });
    const mi = await a.factories.institution({ state: 'MI' });
    for (const inst of [oh, mi]) {
      await a.factories.appearance({ institutionId: inst.id, officeId: office.id, startsAt: now - 30 * DAY, status: 'completed', createdAt: now - 60 * DAY });
      await a.factories.incident({ institutionId: inst.id, kind: 'protest', severity: 2, verification: 'corroborated', occurredAt: now - 40 * DAY, recordedAt: now - 39 * DAY });
    }
    const upcoming = await a.factories.appearance({ institutionId: oh.id, officeId: office.id, startsAt: now + 10 * DAY, status: 'confirmed' });
    // both instances have made a full pass (each would have had its own totals as of now)
    await riskA.refreshAll('test');
    await riskB.refreshAll('test');
    expect((await totals(a)).map((r: { state: string }) => r.state)).toEqual(['MI', 'OH']);

    // an incident aimed at us in MI, recorded and re-assessed on A
    advance(60_000);
    await a.write(async (m) => {
      await a.factories.incident({ institutionId: mi.id, kind: 'protest', severity: 4, verification: 'corroborated', occurredAt: a.clock.now() - 3_600_000, recordedAt: a.clock.now() }, m);
      await riskA.reassessInstitution(m, mi.id, 'incident_recorded');
    });
    // then one in OH, re-assessed on B (no scheduler): B's organisation sums must include A's MI incident
    advance(60_000);
    await b.write(async (m) => {
      await b.factories.incident({ institutionId: oh.id, kind: 'protest', severity: 3, verification: 'reported', occurredAt: b.clock.now() - 3_600_000, recordedAt: b.clock.now() }, m);
      await riskB.reassessInstitution(m, oh.id, 'incident_recorded');
    });
    const first = await assessBoth(upcoming.id);
    expect(first.vb.p).toBe(first.va.p);
    expect(first.vb.evidence.organisation).toEqual(first.va.evidence.organisation);

    // a transaction on B that records an MI incident, re-assesses MI and then fails: nothing stays
    advance(60_000);
    const before = await totals(a);
    await expect(
      b.write(async (m) => {
        await b.factories.incident({ institutionId: mi.id, kind: 'protest', severity: 4, verification: 'corroborated', occurredAt: b.clock.now() - 1000, recordedAt: b.clock.now() }, m);
        const r = await riskB.reassessInstitution(m, mi.id, 'incident_recorded');
        expect(r.assessed).toBe(0);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await totals(b)).toEqual(before);
    const second = await assessBoth(upcoming.id);
    expect(second.vb.p).toBe(second.va.p);
    expect(second.vb.evidence.organisation).toEqual(second.va.evidence.organisation);
    // the rolled-back incident is in neither: the organisation's own record decayed, it did not grow
    expect((second.vb.evidence.organisation as { k: number }).k).toBeLessThan((first.vb.evidence.organisation as { k: number }).k);
  });

  it('a full pass replaces totals stored as of a later instant (a clock that was ahead), so scoped passes use the table again', async () => {
    const office = await a.factories.office();
    const wi = await a.factories.institution({ state: 'WI' });
    await a.factories.appearance({ institutionId: wi.id, officeId: office.id, startsAt: a.clock.now() + 5 * DAY, status: 'planned' });
    const back = a.clock.now();
    a.clock.advance(DAY);
    await a.write((m) => riskA.reassessInstitution(m, wi.id, 'incident_recorded'));
    expect(Math.max(...(await totals(a)).map((r: { as_of: string | number }) => Number(r.as_of)))).toBe(a.clock.now());
    a.clock.set(back + 60_000);
    // rows ahead of this instant are unusable: this re-assessment reads everything and rewrites every row as of now
    await a.write((m) => riskA.reassessInstitution(m, wi.id, 'incident_recorded'));
    const rows = await totals(a);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r: { as_of: string | number }) => Number(r.as_of) === back + 60_000)).toBe(true);
  });
});
