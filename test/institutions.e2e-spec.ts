import { createTestApp, TestApp } from './helpers/test-app';

describe('institutions', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let coordinator: { Authorization: string };
  let recruiter: { Authorization: string };
  let hr: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.auth(await t.factories.user('admin'));
    coordinator = t.auth(await t.factories.user('coordinator'));
    recruiter = t.auth(await t.factories.user('recruiter'));
    hr = t.auth(await t.factories.user('hr'));
  });
  afterAll(() => t.close());

  const kent = {
    name: 'Kent State University at Kent',
    kind: 'university',
    city: 'Kent',
    state: 'oh',
    timeZone: 'America/New_York',
    externalId: '203517',
    ownership: 'public',
    requiresAdvanceNotice: true,
    advanceNoticeDays: 14,
  };

  it('creates an institution with policy flags, normalised state, version 1 and an ETag, and audits it', async () => {
    const res = await t.http().post('/institutions').set(recruiter).send(kent).expect(201);
    expect(res.body).toMatchObject({ name: kent.name, state: 'OH', country: 'US', requiresAdvanceNotice: true, advanceNoticeDays: 14, limitsImmigrationCooperation: false, version: 1 });
    expect(res.headers.etag).toBe('"1"');
    const audit = await t.http().get(`/audit?entityType=institution&entityId=${res.body.id}`).set(admin).expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'create', after: { name: kent.name } });
  });

  it('refuses a duplicate (same normalised name, city, state) with 409 pointing at the existing record', async () => {
    const first = await t.http().get('/institutions?q=kent%20state').set(hr).expect(200);
    const existingId = first.body.items[0].id;
    const res = await t
      .http()
      .post('/institutions')
      .set(coordinator)
      .send({ ...kent, name: 'KENT STATE University — at Kent!', city: ' kent ', state: 'OH', externalId: undefined })
      .expect(409);
    expect(res.body).toMatchObject({ code: 'DUPLICATE_INSTITUTION', details: { existingId } });
    expect(res.body.fields.name).toContain(existingId);
  });

  it('lets only one of several simultaneous identical additions through; the others get 409 with the winner', async () => {
    const same = { name: 'Race Condition College', kind: 'college', city: 'Akron', state: 'OH', timeZone: 'America/New_York' };
    const results = await Promise.all([0, 1, 2, 3].map(() => t.http().post('/institutions').set(admin).send(same)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!.body.id;
    for (const r of results.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ code: 'DUPLICATE_INSTITUTION', details: { existingId: winner } });
  });

  it('validates the zone, kind and unknown fields with per-field reasons', async () => {
    const res = await t.http().post('/institutions').set(admin).send({ name: 'X College', kind: 'castle', timeZone: 'Mars/Olympus', colour: 'red' }).expect(400);
    expect(Object.keys(res.body.fields).sort()).toEqual(['colour', 'kind', 'timeZone']);
    expect(res.body.fields.timeZone).toMatch(/IANA/);
  });

  it('searches by name ignoring case and punctuation, filters by kind, state, city and paginates with totals', async () => {
    const names = ["St. Mary's College", 'Saint Marys Academy', 'Ohio Police Dept.', 'Ohio University', 'Cleveland State University'];
    for (const [i, name] of names.entries()) {
      const body = { name, kind: i === 2 ? 'police_department' : 'college', city: i < 2 ? 'South Bend' : 'Athens', state: i < 2 ? 'IN' : 'OH', timeZone: 'America/New_York' };
      await t.http().post('/institutions').set(admin).send(body).expect(201);
    }
    const stMarys = await t.http().get('/institutions?q=ST%20MARYS').set(hr).expect(200);
    expect(stMarys.body.items.map((i: any) => i.name)).toEqual(["St. Mary's College"]);
    const marys = await t.http().get("/institutions?q=mary's").set(hr).expect(200);
    expect(marys.body.total).toBe(2);
    const police = await t.http().get('/institutions?kind=police_department&state=oh').set(hr).expect(200);
    expect(police.body.items.map((i: any) => i.name)).toEqual(['Ohio Police Dept.']);
    const athens = await t.http().get('/institutions?city=ATHENS&pageSize=1&page=2').set(hr).expect(200);
    expect(athens.body).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(athens.body.items).toHaveLength(1);
    const bad = await t.http().get('/institutions?pageSize=0&kind=zoo').set(hr).expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['kind', 'pageSize']);
  });

  it('updates with optimistic concurrency (If-Match or body.version), refusing stale writes with 409', async () => {
    const inst = await t.factories.institution({ name: 'Concurrency College' });
    const ok = await t.http().patch(`/institutions/${inst.id}`).set(coordinator).set('If-Match', '"1"').send({ limitsImmigrationCooperation: true }).expect(200);
    expect(ok.body).toMatchObject({ version: 2, limitsImmigrationCooperation: true });
    expect(ok.headers.etag).toBe('"2"');
    const stale = await t.http().patch(`/institutions/${inst.id}`).set(admin).set('If-Match', '"1"').send({ city: 'Akron' }).expect(409);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', details: { expected: 1, actual: 2 } });
    await t.http().patch(`/institutions/${inst.id}`).set(admin).send({ city: 'Akron', version: 1 }).expect(409);
    const byBody = await t.http().patch(`/institutions/${inst.id}`).set(admin).send({ city: 'Akron', version: 2 }).expect(200);
    expect(byBody.body).toMatchObject({ city: 'Akron', version: 3 });
    const audit = await t.http().get(`/audit?entityType=institution&entityId=${inst.id}&action=update`).set(hr).expect(200);
    expect(audit.body.items.find((e: any) => e.after.version === 3)).toMatchObject({ before: { city: 'Kent', version: 2 }, after: { city: 'Akron' } });
  });

  it('refuses a rename onto an existing institution', async () => {
    const a = await t.factories.institution({ name: 'Alpha College', city: 'Dayton', state: 'OH' });
    const b = await t.factories.institution({ name: 'Beta College', city: 'Dayton', state: 'OH' });
    const res = await t.http().patch(`/institutions/${b.id}`).set(admin).send({ name: 'alpha college' }).expect(409);
    expect(res.body.details.existingId).toBe(a.id);
  });

  it('enforces roles: hr reads only, recruiters cannot update, only admin deletes', async () => {
    const inst = await t.factories.institution();
    await t.http().post('/institutions').set(hr).send(kent).expect(403);
    await t.http().patch(`/institutions/${inst.id}`).set(recruiter).send({ city: 'X' }).expect(403);
    await t.http().delete(`/institutions/${inst.id}`).set(coordinator).expect(403);
    await t.http().get(`/institutions/${inst.id}`).set(hr).expect(200);
    await t.http().delete(`/institutions/${inst.id}`).set(admin).expect(204);
    const gone = await t.http().get(`/institutions/${inst.id}`).set(hr).expect(404);
    expect(gone.body.code).toBe('NOT_FOUND');
  });

  it('refuses to delete an institution that appearances refer to', async () => {
    const a = await t.factories.appearance();
    const res = await t.http().delete(`/institutions/${a.institutionId}`).set(admin).expect(409);
    expect(res.body.code).toBe('INSTITUTION_IN_USE');
  });
});
