import { RiskService } from '../src/risk/risk.service';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;

/**
 * A single re-assessment reads only its own state and takes the other states' organisation-wide
 * sums from the stored per-state totals (no organisation-wide pass on the request path). The organisation
 * totals it stores must still equal a full pass (the preview): the written state exactly at once,
 * another state once the background renewal (RiskScheduler, one stale state per tick) has re-read
 * it after its entry grew older than RISK_ORG_CACHE_SECONDS (600 s by default).
 */
describe('risk: organisation totals of a state-scoped re-assessment', () => {
  let t: TestApp;
  let risk: RiskService;
  let headers: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
    risk = t.app.get(RiskService);
    headers = t.auth(await t.factories.user('admin'));
  });
  afterAll(() => t.close());

  const previewOrganisation = async (institutionId: string) =>
    (
      await t
        .http()
        .post('/risk/preview')
        .set(headers)
        .send({ institutionId, startsAt: new Date(t.clock.now() + 7 * DAY).toISOString(), kind: 'info_session', format: 'in_person', audience: 'public', visibleBranding: false })
        .expect(200)
    ).body.evidence.organisation as { n: number; k: number; severity: number[] };

  it('matches a full pass after an incident in its own state, and renews a stale other state', async () => {
    const now = t.clock.now();
    const office = await t.factories.office();
    const a = await t.factories.institution({ state: 'OH' });
    const b = await t.factories.institution({ state: 'MI' });
    for (const inst of [a, b]) {
      await t.factories.appearance({ institutionId: inst.id, officeId: office.id, startsAt: now - 30 * DAY, status: 'completed', createdAt: now - 60 * DAY });
      await t.factories.incident({ institutionId: inst.id, kind: 'protest', severity: 2, verification: 'corroborated', occurredAt: now - 40 * DAY, recordedAt: now - 39 * DAY });
    }
    const upcoming = await t.factories.appearance({ institutionId: a.id, officeId: office.id, startsAt: now + 10 * DAY, status: 'confirmed' });
    await risk.refreshAll('test'); // a full pass: every state's entry as of now

    const check = async () => {
      const stored = (await risk.latestView(upcoming.id))?.evidence.organisation as { n: number; k: number; severity: number[] };
      const full = await previewOrganisation(a.id);
      expect(stored.n).toBeCloseTo(full.n, 5);
      expect(stored.k).toBeCloseTo(full.k, 5);
      stored.severity.forEach((s, c) => expect(s).toBeCloseTo(full.severity[c], 5));
    };

    // a new incident aimed at us in A's state, re-assessed at once: counted exactly
    t.clock.advance(60_000);
    await t.factories.incident({ institutionId: a.id, kind: 'protest', severity: 3, verification: 'reported', occurredAt: t.clock.now() - 3_600_000, recordedAt: t.clock.now() });
    await t.write((m) => risk.reassessInstitution(m, a.id, 'incident_recorded'));
    await check();

    // one recorded in B's state without a re-assessment there: a fresh entry is not re-read, a stale one is
    await t.factories.incident({ institutionId: b.id, kind: 'protest', severity: 4, verification: 'corroborated', occurredAt: t.clock.now() - 1000, recordedAt: t.clock.now() });
    expect(await risk.renewStaleState()).toBeNull();
    t.clock.advance(601_000);
    // the request path never re-reads another state: B's incident is not counted yet
    await t.write((m) => risk.reassessInstitution(m, a.id, 'incident_recorded'));
    await expect(check()).rejects.toThrow();
    // the scheduler's tick renews the stalest entry (B's: A's was renewed by the re-assessment)
    expect(await risk.renewStaleState()).toBe('MI');
    expect(await risk.renewStaleState()).toBeNull();
    await t.write((m) => risk.reassessInstitution(m, a.id, 'incident_recorded'));
    await check();
  });
});
