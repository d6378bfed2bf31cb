import { Incident } from '../src/incidents/incident.entity';
import { RetentionService } from '../src/incidents/retention.service';
import { createTestApp, TestApp } from './helpers/test-app';

describe('retention of incident descriptions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  it('blanks descriptions older than 24 months at the injected clock, keeps the structured facts, audits the run', async () => {
    const inst = await t.factories.institution();
    const old = await t.factories.incident({
      institutionId: inst.id,
      occurredAt: Date.parse('2024-02-15T12:00:00Z'),
      severity: 3,
      kind: 'table_blocked',
      verification: 'disputed',
      disputeStatement: 'The university disputes this',
      description: 'Table blocked for an hour',
    });
    const young = await t.factories.incident({ institutionId: inst.id, occurredAt: Date.parse('2024-03-15T12:00:00Z'), description: 'Heckling at the booth' });
    const retention = t.app.get(RetentionService);

    expect(await retention.expireDescriptions(t.clock.now())).toEqual({ expired: 1, cutoff: '2024-03-01T12:00:00.000Z' });
    const o = await t.db.getRepository(Incident).findOneByOrFail({ id: old.id });
    expect(o).toMatchObject({
      description: null,
      descriptionExpiredAt: t.clock.now(),
      kind: 'table_blocked',
      severity: 3,
      verification: 'disputed',
      disputeStatement: 'The university disputes this',
      occurredAt: old.occurredAt,
      version: 2,
    });
    expect((await t.db.getRepository(Incident).findOneByOrFail({ id: young.id })).description).toBe('Heckling at the booth');

    // Running again at the same time changes nothing; a month later the second one expires.
    expect((await retention.expireDescriptions(t.clock.now())).expired).toBe(0);
    t.clock.set('2026-04-01T12:00:00Z');
    const admin = await t.factories.user('admin');
    const run = await t.http().post('/incidents/retention').set(t.auth(admin)).expect(200);
    expect(run.body).toEqual({ expired: 1, cutoff: '2024-04-01T12:00:00.000Z' });
    const view = await t.http().get(`/incidents/${young.id}`).set(t.auth(admin)).expect(200);
    expect(view.body).toMatchObject({ description: null, descriptionExpiredAt: '2026-04-01T12:00:00.000Z' });

    const audit = await t.http().get('/audit?action=retention').set(t.auth(admin)).expect(200);
    expect(audit.body.items.map((a: any) => a.meta.ids)).toEqual([[young.id], [old.id]]);
    expect(audit.body.items[0].meta).toMatchObject({ field: 'description', retentionMonths: 24, count: 1 });
    await t
      .http()
      .post('/incidents/retention')
      .set(t.auth(await t.factories.user('coordinator')))
      .expect(403);
  });

  it('refuses a description for an incident already past the retention period', async () => {
    const u = await t.factories.user('recruiter');
    const inst = await t.factories.institution();
    const res = await t
      .http()
      .post('/incidents')
      .set(t.auth(u))
      .send({ institutionId: inst.id, kind: 'protest', occurredAt: '2020-02-27T15:00:00Z', severity: 3, target: 'organisation', source: 'news', description: 'Table blocked' })
      .expect(422);
    expect(res.body).toMatchObject({ code: 'RETENTION_EXPIRED', fields: { description: expect.any(String) } });
    await t
      .http()
      .post('/incidents')
      .set(t.auth(u))
      .send({ institutionId: inst.id, kind: 'protest', occurredAt: '2020-02-27T15:00:00Z', severity: 3, target: 'organisation', source: 'news' })
      .expect(201);
  });

  it('runs on schedule only where SCHEDULER_ENABLED: at start-up and then every RETENTION_INTERVAL_SECONDS', async () => {
    const off = await createTestApp({ now: '2026-03-01T12:00:00Z' });
    const inst = await off.factories.institution();
    const old = await off.factories.incident({ institutionId: inst.id, occurredAt: Date.parse('2023-01-01T12:00:00Z'), description: 'Old description' });
    expect(off.app.get(RetentionService).lastRun).toBeNull();
    expect((await off.db.getRepository(Incident).findOneByOrFail({ id: old.id })).description).toBe('Old description');
    await off.close({ keepDatabase: true });
    const on = await createTestApp({ now: '2026-03-01T12:00:00Z', database: off.database, app: { schedulerEnabled: true } });
    try {
      await on.app.get(RetentionService).lastRun;
      expect((await on.db.getRepository(Incident).findOneByOrFail({ id: old.id })).description).toBeNull();
    } finally {
      await on.close();
    }
  });
});
