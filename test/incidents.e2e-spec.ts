import { Appearance } from '../src/appearances/appearance.entity';
import { createTestApp, TestApp } from './helpers/test-app';

describe('incidents', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  it('records an incident against an appearance: severe, reported, appearance marked disrupted, audited, risk re-assessed', async () => {
    const rec = await t.factories.user('recruiter');
    const kent = await t.factories.institution({ name: 'Kent State University at Kent', city: 'Kent', state: 'OH' });
    const fair = await t.factories.appearance({ institutionId: kent.id, officeId: rec.officeId!, startsAt: Date.parse('2026-02-20T15:00:00Z'), status: 'completed' });
    const upcoming = await t.factories.appearance({ institutionId: kent.id, startsAt: Date.parse('2026-03-20T15:00:00Z') });
    const res = await t
      .http()
      .post('/incidents')
      .set(t.auth(rec))
      .send({
        institutionId: kent.id,
        appearanceId: fair.id,
        kind: 'table_blocked',
        occurredAt: '2026-02-20T16:10:00-05:00',
        severity: 3,
        crowdSize: '10_49',
        impact: 'ended_early',
        target: 'organisation',
        source: 'first_hand',
        description: 'Students blocked the table and heckled the agents; the agents left after 40 minutes.',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      institutionId: kent.id,
      institution: { id: kent.id, name: 'Kent State University at Kent', city: 'Kent', state: 'OH' },
      state: 'OH',
      appearanceId: fair.id,
      kind: 'table_blocked',
      occurredAt: '2026-02-20T21:10:00.000Z',
      recordedAt: '2026-03-01T12:00:00.000Z',
      severity: 3,
      severityLabel: 'severe',
      target: 'organisation',
      verification: 'reported',
      dispute: null,
      recordedById: rec.id,
      version: 1,
    });
    const a = await t.db.getRepository(Appearance).findOneByOrFail({ id: fair.id });
    expect(a.disrupted).toBe(true);
    expect(a.version).toBe(fair.version + 1);
    // The upcoming appearance at the same institution got a fresh assessment in the same transaction.
    const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM risk_assessments WHERE appearance_id = '${upcoming.id}'`);
    expect(Number(n)).toBeGreaterThan(0);
    const admin = await t.factories.user('admin');
    const audit = await t.http().get(`/audit?entityType=incident&entityId=${res.body.id}&action=create`).set(t.auth(admin)).expect(200);
    expect(audit.body.total).toBe(1);
  });

  it('refuses an appearance at another institution, a future date, and unknown values', async () => {
    const rec = await t.factories.user('recruiter');
    const a = await t.factories.appearance();
    const other = await t.factories.institution();
    const base = { institutionId: other.id, kind: 'protest', occurredAt: '2026-02-01T10:00:00Z', severity: 2, target: 'organisation', source: 'first_hand' };
    const wrong = await t
      .http()
      .post('/incidents')
      .set(t.auth(rec))
      .send({ ...base, appearanceId: a.id })
      .expect(422);
    expect(wrong.body).toMatchObject({ code: 'APPEARANCE_AT_OTHER_INSTITUTION' });
    expect(wrong.body.fields).toHaveProperty('appearanceId');
    expect(
      (
        await t
          .http()
          .post('/incidents')
          .set(t.auth(rec))
          .send({ ...base, occurredAt: '2026-04-01T00:00:00Z' })
          .expect(400)
      ).body.fields,
    ).toHaveProperty('occurredAt');
    const bad = await t
      .http()
      .post('/incidents')
      .set(t.auth(rec))
      .send({ ...base, severity: 5, target: 'protesters', protesterName: 'x' })
      .expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['protesterName', 'severity', 'target']);
  });

  it("dispute workflow: reported → disputed keeps the institution's statement, who and when; → corroborated keeps it; illegal moves refused", async () => {
    const rec = await t.factories.user('recruiter');
    const coord = await t.factories.user('coordinator');
    const dmv = await t.factories.institution({ name: 'New York State Department of Motor Vehicles', kind: 'local_government', city: 'Albany', state: 'NY' });
    const created = await t
      .http()
      .post('/incidents')
      .set(t.auth(rec))
      .send({
        institutionId: dmv.id,
        kind: 'access_denied',
        occurredAt: '2026-01-10T15:00:00Z',
        severity: 2,
        target: 'organisation',
        source: 'partner',
        description: 'Records access for a background check was refused by the DMV.',
      })
      .expect(201);
    const id = created.body.id;
    // Recruiters may not rule on verification.
    await t.http().post(`/incidents/${id}/verification`).set(t.auth(rec)).send({ verification: 'corroborated' }).expect(403);
    // A dispute needs the statement.
    expect((await t.http().post(`/incidents/${id}/verification`).set(t.auth(coord)).send({ verification: 'disputed' }).expect(400)).body.fields).toHaveProperty('statement');
    t.clock.set('2026-03-02T09:00:00Z');
    const statement = 'The DMV states that it has no record of a refused request and disputes the account.';
    const disputed = await t.http().post(`/incidents/${id}/verification`).set(t.auth(coord)).set('If-Match', '"1"').send({ verification: 'disputed', statement }).expect(200);
    expect(disputed.body).toMatchObject({ verification: 'disputed', version: 2, dispute: { statement, recordedById: coord.id, recordedAt: '2026-03-02T09:00:00.000Z' } });
    // Stale version refused.
    expect((await t.http().post(`/incidents/${id}/verification`).set(t.auth(coord)).set('If-Match', '"1"').send({ verification: 'corroborated' }).expect(409)).body.code).toBe('STALE_VERSION');
    // disputed → disputed is not a transition.
    expect((await t.http().post(`/incidents/${id}/verification`).set(t.auth(coord)).send({ verification: 'disputed', statement }).expect(422)).body.code).toBe('ILLEGAL_TRANSITION');
    t.clock.advance(60_000);
    const corroborated = await t.http().post(`/incidents/${id}/verification`).set(t.auth(coord)).send({ verification: 'corroborated' }).expect(200);
    expect(corroborated.body).toMatchObject({ verification: 'corroborated', dispute: { statement, recordedById: coord.id } });
    const admin = await t.factories.user('admin');
    const audit = await t.http().get(`/audit?entityType=incident&entityId=${id}&action=status`).set(t.auth(admin)).expect(200);
    expect(audit.body.items.map((i: any) => i.after.verification)).toEqual(['corroborated', 'disputed']);
    t.clock.set('2026-03-01T12:00:00Z');
  });

  it('updates facts with optimistic concurrency, audited with before and after', async () => {
    const coord = await t.factories.user('coordinator');
    const inc = await t.factories.incident({ severity: 2, description: 'Heckling at the booth' });
    const res = await t.http().patch(`/incidents/${inc.id}`).set(t.auth(coord)).send({ severity: 3, impact: 'ended_early', version: 1 }).expect(200);
    expect(res.body).toMatchObject({ severity: 3, impact: 'ended_early', version: 2, description: 'Heckling at the booth' });
    expect((await t.http().patch(`/incidents/${inc.id}`).set(t.auth(coord)).send({ severity: 1, version: 1 }).expect(409)).body.code).toBe('STALE_VERSION');
    const admin = await t.factories.user('admin');
    const audit = await t.http().get(`/audit?entityType=incident&entityId=${inc.id}&action=update`).set(t.auth(admin)).expect(200);
    expect(audit.body.items[0].before.severity).toBe(2);
    expect(audit.body.items[0].after.severity).toBe(3);
    // Re-targeting an incident at an appearance to the organisation marks the appearance disrupted.
    const a = await t.factories.appearance({ institutionId: inc.institutionId, officeId: coord.officeId!, startsAt: Date.parse('2026-02-10T15:00:00Z'), status: 'completed' });
    await t.http().patch(`/incidents/${inc.id}`).set(t.auth(coord)).send({ appearanceId: a.id, target: 'general_activism' }).expect(200);
    expect((await t.db.getRepository(Appearance).findOneByOrFail({ id: a.id })).disrupted).toBe(false);
    await t.http().patch(`/incidents/${inc.id}`).set(t.auth(coord)).send({ target: 'organisation' }).expect(200);
    expect((await t.db.getRepository(Appearance).findOneByOrFail({ id: a.id })).disrupted).toBe(true);
    const hr = await t.factories.user('hr');
    await t.http().patch(`/incidents/${inc.id}`).set(t.auth(hr)).send({ severity: 1 }).expect(403);
    await t.http().post('/incidents').set(t.auth(hr)).send({}).expect(403);
  });

  it('lists with filters; every read (list and record) is audited with the filter and visible to admin only', async () => {
    const hr = await t.factories.user('hr');
    const inst = await t.factories.institution({ state: 'WA', city: 'Seattle' });
    const a = await t.factories.appearance({ institutionId: inst.id });
    const mk = (o: any) => t.factories.incident({ institutionId: inst.id, ...o });
    const i1 = await mk({ kind: 'protest', severity: 1, target: 'general_activism', occurredAt: Date.parse('2025-10-01T12:00:00Z') });
    const i2 = await mk({ kind: 'heckling', severity: 3, target: 'organisation', occurredAt: Date.parse('2025-12-01T12:00:00Z'), appearanceId: a.id });
    const i3 = await mk({ kind: 'protest', severity: 2, target: 'peer_recruiters', verification: 'corroborated', occurredAt: Date.parse('2026-01-15T12:00:00Z') });
    const q = async (qs: string) => (t.clock.advance(1000), await t.http().get(`/incidents?institutionId=${inst.id}&${qs}`).set(t.auth(hr)).expect(200)).body.items.map((i: any) => i.id);
    expect(await q('')).toEqual([i3.id, i2.id, i1.id]);
    expect(await q('kind=protest')).toEqual([i3.id, i1.id]);
    expect(await q('target=organisation')).toEqual([i2.id]);
    expect(await q('minSeverity=2')).toEqual([i3.id, i2.id]);
    expect(await q('severity=1')).toEqual([i1.id]);
    expect(await q('verification=corroborated')).toEqual([i3.id]);
    expect(await q(`appearanceId=${a.id}`)).toEqual([i2.id]);
    expect(await q('from=2025-11-01T00:00:00Z&to=2026-01-01T00:00:00Z')).toEqual([i2.id]);
    t.clock.advance(1000);
    expect((await t.http().get('/incidents?state=wa&pageSize=500').set(t.auth(hr)).expect(200)).body.items.map((i: any) => i.id)).toEqual(expect.arrayContaining([i1.id, i2.id, i3.id]));
    t.clock.advance(1000);
    await t.http().get(`/incidents/${i2.id}`).set(t.auth(hr)).expect(200);

    const admin = await t.factories.user('admin');
    const audit = await t.http().get(`/audit?entityType=incident&action=read&actorId=${hr.id}&pageSize=50`).set(t.auth(admin)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ entityId: i2.id, meta: { kind: 'record' } });
    expect(audit.body.items[1].meta).toMatchObject({ kind: 'list', filter: { state: 'wa' } });
    expect(audit.body.items.find((i: any) => i.meta.filter?.kind === 'heckling' || i.meta.filter?.target === 'organisation').meta.filter).toMatchObject({
      institutionId: inst.id,
      target: 'organisation',
    });
    await t
      .http()
      .get('/audit')
      .set(t.auth(await t.factories.user('recruiter')))
      .expect(403);
    await t.http().get('/incidents').expect(401);
  });

  it('exports CSV (Accept: text/csv) with formula-injection protection; the export is audited', async () => {
    const coord = await t.factories.user('coordinator');
    const inst = await t.factories.institution({ name: '@risky name', state: 'VT' });
    await t.factories.incident({ institutionId: inst.id, description: '=1+2 chanted' });
    const res = await t.http().get(`/incidents?institutionId=${inst.id}`).set(t.auth(coord)).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = res.text.trim().split('\n');
    expect(header.split(',')).toEqual([
      'id',
      'occurred_at',
      'institution_id',
      'institution',
      'city',
      'state',
      'appearance_id',
      'kind',
      'severity',
      'crowd_size',
      'impact',
      'target',
      'topics',
      'source',
      'verification',
      'dispute_statement',
      'description',
      'recorded_at',
      'import_key',
    ]);
    expect(row).toContain("'@risky name");
    expect(row).toContain("'=1+2 chanted");
    const admin = await t.factories.user('admin');
    const audit = await t.http().get(`/audit?entityType=incident&action=read&actorId=${coord.id}`).set(t.auth(admin)).expect(200);
    expect(audit.body.items[0].meta).toEqual({ kind: 'export', filter: { institutionId: inst.id, page: 1, pageSize: 50 } });
  });
});
