import { SHIPPED_PARAMS } from '../src/risk/shipped-params';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvents, RiskLevelRoseEvent } from '../src/common/domain-events';
import { RiskScheduler } from '../src/risk/risk.scheduler';
import { RiskService } from '../src/risk/risk.service';
import { RISK_MITIGATIONS } from '../src/risk/mitigations';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;

/** Every RiskLevelRose event seen by a listener on the app's own emitter. */
const seen: Array<Omit<RiskLevelRoseEvent, 'manager'> & { hadManager: boolean }> = [];

describe('risk engine', () => {
  /** n quiet past appearances (no incident) at the institution: a base rate well under 20%. */
  async function pastHistory(institutionId: string, n: number): Promise<void> {
    const office = await t.factories.office();
    for (let i = 0; i < n; i++) {
      await t.factories.appearance({ institutionId, officeId: office.id, startsAt: t.clock.now() - (i + 1) * 7 * DAY, status: 'completed', createdAt: t.clock.now() - 400 * DAY });
    }
  }

  let t: TestApp;
  let risk: RiskService;
  let headers: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
    t.app.get(EventEmitter2).on(DomainEvents.RiskLevelRose, async (e: RiskLevelRoseEvent) => {
      const { manager, ...rest } = e;
      seen.push({ ...rest, hadManager: typeof manager?.query === 'function' });
    });
    risk = t.app.get(RiskService);
    headers = t.auth(await t.factories.user('recruiter'));
  });
  afterAll(() => t.close());

  it('assesses an appearance on demand and stores an immutable snapshot', async () => {
    const a = await t.factories.appearance({ visibleBranding: true });
    const res = await t.http().get(`/appearances/${a.id}/risk`).set(headers).expect(200);
    expect(res.body).toMatchObject({ appearanceId: a.id, trigger: 'on_demand', modelVersion: SHIPPED_PARAMS.version });
    expect(res.body.p).toBeGreaterThan(0);
    expect(res.body.p).toBeLessThan(1);
    expect(['low', 'moderate', 'high', 'critical']).toContain(res.body.level);
    expect(res.body.levelMeaning).toMatch(/^(Low|Moderate|High|Critical):/);
    expect(res.body.interval.low).toBeLessThanOrEqual(res.body.p);
    expect(res.body.interval.high).toBeGreaterThanOrEqual(res.body.p);
    expect(res.body.factors.map((f: { id: string }) => f.id)).toContain('visibleBranding');
    expect(res.body.reasons.length).toBeGreaterThan(0);
    // an empty install: the organisation prior (3%), Low — not the old Beta(1,1) 50% that said Critical — and it says so
    expect(res.body.level).toBe('low');
    expect(res.body.reasons[0]).toMatch(/^No recorded history here: no past appearances and no incidents/);
    expect(res.body.baseRate.organisation).toMatchObject({ n: 0, k: 0, rate: 0.03, priorStrength: 20 });
    const ids = RISK_MITIGATIONS.map((m) => m.id) as string[];
    for (const m of res.body.mitigations) expect(ids).toContain(m.id);
    // a second GET returns the same snapshot, not a new one
    const again = await t.http().get(`/appearances/${a.id}/risk`).set(headers).expect(200);
    expect(again.body.id).toBe(res.body.id);
    const hist = await t.http().get(`/appearances/${a.id}/risk/history`).set(headers).expect(200);
    expect(hist.body.total).toBe(1);
  });

  it('answers 404 for an unknown appearance', async () => {
    await t.http().get(`/appearances/00000000-0000-4000-8000-000000000000/risk`).set(headers).expect(404);
  });

  it('re-assesses every upcoming appearance at the institution after an incident, records the trigger, and emits a level rise', async () => {
    const inst = await t.factories.institution({ state: 'VT' });
    await pastHistory(inst.id, 30);
    const a1 = await t.factories.appearance({ institutionId: inst.id, visibleBranding: true });
    const a2 = await t.factories.appearance({ institutionId: inst.id, startsAt: t.clock.now() + 30 * DAY });
    const past = await t.factories.appearance({ institutionId: inst.id, startsAt: t.clock.now() - 30 * DAY, status: 'completed' });
    await t.write((m) => risk.assessAppearance(m, a1.id, 'appearance_created'));
    const before = await risk.latestView(a1.id);
    expect(before?.level).toBe('low');

    t.clock.advance(60_000);
    // a critical incident aimed at us at this institution, recorded now
    await t.factories.incident({ institutionId: inst.id, severity: 4, verification: 'corroborated', occurredAt: t.clock.now() - DAY, recordedAt: t.clock.now() });
    seen.length = 0;
    const result = await t.write((m) => risk.reassessInstitution(m, inst.id, 'incident_recorded'));
    expect(result.assessed).toBe(2);
    const after = await risk.latestView(a1.id);
    expect(after).toMatchObject({ trigger: 'incident_recorded', level: 'critical' });
    expect(after?.overrides).toContain('critical_incident_recent');
    expect((await risk.latestView(a2.id))?.trigger).toBe('incident_recorded');
    expect(await risk.latestView(past.id)).toBeNull();
    // a1 had a previous snapshot (low) → rose; a2 had none and is Critical at once → from null
    expect(seen).toHaveLength(2);
    expect(seen).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ appearanceId: a1.id, from: 'low', to: 'critical', previousSeq: 1, hadManager: true }),
        expect.objectContaining({ appearanceId: a2.id, from: null, to: 'critical', previousSeq: 0, hadManager: true }),
      ]),
    );
    const hist = await t.http().get(`/appearances/${a1.id}/risk/history`).set(headers).expect(200);
    expect(hist.body.items.map((i: { trigger: string }) => i.trigger)).toEqual(['incident_recorded', 'appearance_created']);
  });

  it('previews a what-if without saving anything, and respects asOf', async () => {
    const inst = await t.factories.institution({ state: 'NH' });
    await pastHistory(inst.id, 10);
    await t.factories.incident({ institutionId: inst.id, target: 'organisation', occurredAt: t.clock.now() - 20 * DAY, recordedAt: t.clock.now() - 10 * DAY });
    await t.factories.incident({ institutionId: inst.id, target: 'peer_recruiters', occurredAt: t.clock.now() - 5 * DAY, recordedAt: t.clock.now() - 4 * DAY });
    const count = async () => Number((await t.db.query('SELECT COUNT(*) AS c FROM risk_assessments'))[0].c);
    const n0 = await count();
    const body = {
      institutionId: inst.id,
      startsAt: new Date(t.clock.now() + 14 * DAY).toISOString(),
      kind: 'career_fair',
      format: 'in_person',
      audience: 'public',
      expectedAttendance: 300,
      visibleBranding: true,
    };
    const now = await t.http().post('/risk/preview').set(headers).send(body).expect(200);
    expect(now.body.id).toBeNull();
    expect(now.body.trigger).toBe('preview');
    expect(now.body.evidence.institution.k).toBeGreaterThan(0);
    // before the incident was recorded, it is invisible
    const earlier = await t
      .http()
      .post('/risk/preview')
      .set(headers)
      .send({ ...body, asOf: new Date(t.clock.now() - 15 * DAY).toISOString() })
      .expect(200);
    expect(earlier.body.evidence.institution.k).toBe(0);
    expect(earlier.body.p).toBeLessThan(now.body.p);
    // a later date: the recent action against peer recruiters has faded by then (decayToStart)
    const later = await t
      .http()
      .post('/risk/preview')
      .set(headers)
      .send({ ...body, startsAt: new Date(t.clock.now() + 120 * DAY).toISOString() })
      .expect(200);
    expect(later.body.p).toBeLessThan(now.body.p);
    const virtual = await t
      .http()
      .post('/risk/preview')
      .set(headers)
      .send({ ...body, format: 'virtual', visibleBranding: false })
      .expect(200);
    expect(virtual.body.p).toBeLessThan(now.body.p);
    expect(await count()).toBe(n0);
  });

  it('validates the preview body', async () => {
    const res = await t.http().post('/risk/preview').set(headers).send({ institutionId: 'x', kind: 'party', extra: 1 }).expect(400);
    expect(Object.keys(res.body.fields)).toEqual(expect.arrayContaining(['institutionId', 'kind', 'extra']));
    // without appearanceId a whole appearance is needed: the missing start is named
    const inst = await t.factories.institution();
    const noStart = await t
      .http()
      .post('/risk/preview')
      .set(headers)
      .send({ institutionId: inst.id, kind: 'career_fair', format: 'in_person', audience: 'public', visibleBranding: false })
      .expect(400);
    expect(Object.keys(noStart.body.fields)).toEqual(['startsAt']);
    const future = await t
      .http()
      .post('/risk/preview')
      .set(headers)
      .send({
        institutionId: (await t.factories.institution()).id,
        startsAt: '2026-02-01T10:00:00Z',
        kind: 'career_fair',
        format: 'in_person',
        audience: 'public',
        visibleBranding: false,
        asOf: '2027-01-01T00:00:00Z',
      })
      .expect(400);
    expect(future.body.fields).toHaveProperty('asOf');
  });

  it('refreshes all upcoming appearances in one batch', async () => {
    const a = await t.factories.appearance();
    const r = await risk.refreshAll('daily_refresh');
    expect(r.assessed).toBeGreaterThanOrEqual(1);
    expect((await risk.latestView(a.id))?.trigger).toBe('daily_refresh');
  });

  it('re-assesses the states of many institutions in one pass (imports)', async () => {
    const i1 = await t.factories.institution({ state: 'AK' });
    const i2 = await t.factories.institution({ state: 'HI' });
    const a1 = await t.factories.appearance({ institutionId: i1.id });
    const a2 = await t.factories.appearance({ institutionId: i2.id });
    const r = await t.write((m) => risk.reassessInstitutions(m, [i1.id, i2.id, i1.id], 'incident_import'));
    expect(r.assessed).toBe(2);
    expect((await risk.latestView(a1.id))?.trigger).toBe('incident_import');
    expect((await risk.latestView(a2.id))?.trigger).toBe('incident_import');
  });
});

describe('risk daily refresh scheduler', () => {
  it('refreshes at the configured UTC hour only when the scheduler is enabled', async () => {
    const t2 = await createTestApp({ now: '2026-01-15T02:00:00Z', app: { schedulerEnabled: true } });
    try {
      const a = await t2.factories.appearance();
      const scheduler = t2.app.get(RiskScheduler);
      await scheduler.hourly();
      expect(await t2.app.get(RiskService).latestView(a.id)).toBeNull();
      t2.clock.set('2026-01-15T03:00:00Z');
      await scheduler.hourly();
      expect((await t2.app.get(RiskService).latestView(a.id))?.trigger).toBe('daily_refresh');
    } finally {
      await t2.close();
    }
  });
});
