import fc from 'fast-check';
import { Institution } from '../src/institutions/institution.entity';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, TestApp } from './helpers/test-app';

const MISSING = '00000000-0000-4000-8000-000000000000';
const TABLES = ['appearances', 'appearance_recruiters', 'audit_entries', 'risk_assessments', 'notifications', 'institutions', 'incidents'];
/** 1,700 levels of nesting in 3.4 KB: class-transformer's recursion overflowed the stack on it. */
const DEEP = '['.repeat(1700) + ']'.repeat(1700);
const LONE_SURROGATE = 'a\\ud800b';

/** A placeholder the generators use for a deeply nested value (JSON.stringify itself overflows on one). */
const deepToken = fc.integer({ min: 30, max: 1800 }).chain((n) => fc.constantFrom(`__DEEP_A${n}__`, `__DEEP_O${n}__`));
const withDeep = (raw: string) => raw.replace(/"__DEEP_([AO])(\d+)__"/g, (_m, k: string, n: string) => (k === 'A' ? '['.repeat(+n) + ']'.repeat(+n) : '{"a":'.repeat(+n) + '1' + '}'.repeat(+n)));

/** Values the outside probe found 500s with, and their neighbours. */
const hostile = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom('', ' ', 'Mars/Olympus', '2026-03-08T02:30', '2026-02-30T10:00:00Z', '2026-03-02T09:00:00-05:00', '9999-99-99T99:99', MISSING, 'x'.repeat(1000), '\u0000', '{}'),
  fc.constantFrom('a\ud800@x.org', '\udc00', 'x\ud83d', 'nul\u0000byte', 'a@x.org\u0000', '%', '_', '\u200b=1+1', '\uff1dSUM(A1)'),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(1e20, -1e20, 2 ** 53, 2 ** 31, Number('99999999999999999999'), 0.5, -0),
  deepToken,
  fc.integer(),
  fc.constant(null),
);

describe('bad input: always a clear 4xx naming the field, never a half-write or a crash', () => {
  let t: TestApp;
  let office: Office;
  let inst: Institution;
  let rec: User;
  let rec2: User;
  let H: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ app: { bodyLimit: 64 * 1024 } });
    office = await t.factories.office();
    inst = await t.factories.institution();
    rec = await t.factories.user('recruiter', { officeId: office.id });
    rec2 = await t.factories.user('recruiter', { officeId: office.id });
    H = t.auth(rec);
  });
  afterAll(() => t.close());

  const valid = () => ({
    institutionId: inst.id,
    kind: 'career_fair',
    title: 'Fair',
    startsAt: '2026-03-02T10:00:00-05:00',
    endsAt: '2026-03-02T14:00:00-05:00',
    format: 'in_person',
    audience: 'public',
    // no team: a recruiter who names none is assigned, and would be double-booked by the next valid body
    recruiterIds: [],
  });

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return out;
  }

  const post = (path: string, raw: string, type = 'application/json') => t.http().post(path).set(H).set('Content-Type', type).send(raw);

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    for (const raw of ['{"title": ', '{title: 1}', '[1,2', '{"a":1}{"b":2}']) {
      const res = await post('/appearances', raw).expect(400);
      expect(res.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    }
  });

  it('a prototype-poisoning body is refused', async () => {
    const res = await post('/appearances', '{"__proto__": {"admin": true}, "title": "x"}');
    expect(res.status).toBe(400);
  });

  it('wrong types → 400 with a reason per field', async () => {
    const res = await t
      .http()
      .post('/appearances')
      .set(H)
      .send({ ...valid(), title: 42, expectedAttendance: '300', visibleBranding: 'yes', recruiterIds: 'all', briefingOffsets: [1.5], kind: ['career_fair'] })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.fields).sort()).toEqual(['briefingOffsets', 'expectedAttendance', 'kind', 'recruiterIds', 'title', 'visibleBranding']);
    const inst2 = await t
      .http()
      .post('/institutions')
      .set(H)
      .send({ name: ['x'], kind: 'college', timeZone: 5, advanceNoticeDays: -1 })
      .expect(400);
    expect(Object.keys(inst2.body.fields).sort()).toEqual(['advanceNoticeDays', 'name', 'timeZone']);
  });

  it('unknown fields → 400 naming them', async () => {
    const res = await t
      .http()
      .post('/appearances')
      .set(H)
      .send({ ...valid(), protesterName: 'x', status: 'completed' })
      .expect(400);
    expect(res.body.fields).toEqual({ protesterName: 'protesterName is not a known field', status: 'status is not a known field' });
    const q = await t.http().get('/appearances?colour=red').set(H).expect(400);
    expect(Object.keys(q.body.fields)).toEqual(['colour']);
  });

  it('oversized body → 413', async () => {
    const res = await t
      .http()
      .post('/appearances')
      .set(H)
      .send({ ...valid(), title: 'x'.repeat(100 * 1024) })
      .expect(413);
    expect(res.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('a body type the API does not read → 415', async () => {
    const res = await post('/appearances', '<appearance/>', 'application/xml');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('unknown ids → 404 naming the field; malformed ids → 400', async () => {
    const before = await counts();
    let res = await t
      .http()
      .post('/appearances')
      .set(H)
      .send({ ...valid(), institutionId: MISSING })
      .expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', fields: { institutionId: expect.any(String) } });
    res = await t
      .http()
      .post('/appearances')
      .set(H)
      .send({ ...valid(), recruiterIds: [rec.id, MISSING] })
      .expect(404);
    expect(Object.keys(res.body.fields)).toEqual(['recruiterIds[1]']);
    res = await t
      .http()
      .post('/appearances')
      .set(H)
      .send({ ...valid(), institutionId: 'not-a-uuid' })
      .expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['institutionId']);
    res = await t.http().get(`/appearances/${MISSING}`).set(H).expect(404);
    expect(res.body.details).toMatchObject({ entity: 'Appearance', id: MISSING });
    res = await t.http().get('/appearances/123').set(H).expect(400);
    expect(res.body.fields).toEqual({ id: 'must be a UUID' });
    res = await t
      .http()
      .patch(`/institutions/${MISSING}`)
      .set(t.auth(await t.factories.user('admin')))
      .send({ city: 'X' })
      .expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('bad zones → 400 naming timeZone', async () => {
    for (const timeZone of ['Mars/Olympus', 'EST5EDT6', '', 'America/New York', 'x'.repeat(100)]) {
      const res = await t
        .http()
        .post('/appearances')
        .set(H)
        .send({ ...valid(), timeZone })
        .expect(400);
      expect(Object.keys(res.body.fields)).toEqual(['timeZone']);
      const i = await t.http().post('/institutions').set(H).send({ name: 'Zone College', kind: 'college', timeZone }).expect(400);
      expect(Object.keys(i.body.fields)).toEqual(['timeZone']);
    }
  });

  it('JSON nested 1,700 deep → 400 naming the field, also on anonymous /auth/login; nothing written', async () => {
    const before = await counts();
    const anon = (path: string, raw: string) => t.http().post(path).set('Content-Type', 'application/json').send(raw);
    let res = await anon('/auth/login', DEEP).expect(400);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', fields: { body: 'is nested deeper than 32 levels' } });
    res = await anon('/auth/login', `{"email":${DEEP},"password":"x"}`).expect(400);
    expect(res.body.fields).toEqual({ email: 'is nested deeper than 32 levels' });
    res = await post('/appearances', JSON.stringify({ ...valid(), recruiterIds: JSON.parse('['.repeat(40) + ']'.repeat(40)) })).expect(400);
    expect(res.body.fields).toEqual({ recruiterIds: 'is nested deeper than 32 levels' });
    res = await post('/institutions', `{"name":"Deep College","kind":"college","city":${'{"a":'.repeat(1700)}1${'}'.repeat(1700)}}`).expect(400);
    expect(res.body.fields).toEqual({ city: 'is nested deeper than 32 levels' });
    // Nesting the API really takes is still fine.
    await post('/appearances', JSON.stringify({ ...valid(), title: 'Shallow enough' })).expect(201);
    expect(await counts()).toEqual({ ...before, appearances: before.appearances + 1, audit_entries: expect.any(Number), risk_assessments: expect.any(Number) });
  });

  it('a lone surrogate in an e-mail (or any string) → 400 naming the field', async () => {
    const admin = t.auth(await t.factories.user('admin'));
    const before = await counts();
    let res = await t.http().post('/auth/login').set('Content-Type', 'application/json').send(`{"email":"${LONE_SURROGATE}@x.org","password":"whatever-123"}`).expect(400);
    expect(res.body.fields).toEqual({ email: 'must be valid Unicode text (it contains an unpaired surrogate)' });
    res = await t
      .http()
      .post('/users')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send(`{"email":"${LONE_SURROGATE}@x.org","password":"long-enough-password","role":"hr","displayName":"HR desk"}`)
      .expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['email']);
    res = await post('/appearances', JSON.stringify(valid()).replace('"Fair"', `"F\\udc00air"`)).expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['title']);
    res = await post('/appearances', JSON.stringify(valid()).replace('"title"', `"ti\\ud800tle"`)).expect(400);
    expect(res.body.fields).toEqual({ body: 'has a field name with a NUL character or invalid Unicode' });
    expect(await counts()).toEqual(before);
  });

  it('?page=99999999999999999999 → 400 naming page on every paged list', async () => {
    const admin = t.auth(await t.factories.user('admin'));
    for (const path of ['/institutions', '/appearances', '/incidents', '/users', '/audit', '/notifications', `/institutions/${inst.id}/reception`]) {
      for (const page of ['99999999999999999999', '1e21', '1000001']) {
        const res = await t.http().get(`${path}?page=${page}`).set(admin);
        expect([path, page, res.status, Object.keys(res.body.fields ?? {})]).toEqual([path, page, 400, ['page']]);
      }
      const ok = await t.http().get(`${path}?page=1000000`).set(admin);
      expect([path, ok.status, ok.body.items]).toEqual([path, 200, []]);
    }
  });

  it('a NUL byte in a body, a query parameter, a path parameter or a CSV cell → 400 naming it; nothing stored', async () => {
    const admin = t.auth(await t.factories.user('admin'));
    const before = await counts();
    let res = await t.http().post('/institutions').set(admin).send({ name: 'Nul\u0000 College', kind: 'college', timeZone: 'America/New_York' }).expect(400);
    expect(res.body.fields).toEqual({ name: 'must not contain NUL characters (U+0000)' });
    res = await t.http().post('/auth/login').send({ email: 'a@x.org', password: 'pass\u0000word-123' }).expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['password']);
    res = await t.http().get('/institutions?q=kent%00state').set(admin).expect(400);
    expect(res.body.fields).toEqual({ q: 'must not contain NUL characters (U+0000)' });
    res = await t.http().get('/users?q=%00').set(admin).expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['q']);
    res = await t.http().get('/calendar/abc%00def.ics').expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['file']);
    const csv = 'name,city,state,ownership,highest_degree\nGood College,Kent,OH,1,4\nBad\u0000 College,Kent,OH,1,4\n';
    res = await t.http().post('/institutions/import').set(admin).set('Content-Type', 'text/csv').send(csv).expect(422);
    expect(res.body.fields).toEqual({ 'row 3': 'name: must not contain NUL characters (U+0000)' });
    const inc = 'date,institution,city,state,about_recruiting\n2024-10-01,Kent State University,Kent,OH,no\n2024-10-02,Kent\u0000 State,Kent,OH,yes\n';
    res = await t.http().post('/incidents/import').set(admin).set('Content-Type', 'text/csv').send(inc).expect(422);
    expect(res.body.fields['row 3']).toBe('institution: must not contain NUL characters (U+0000)');
    expect(await counts()).toEqual(before);
  });

  it('property: random bodies at POST /appearances get only 2xx/4xx, and a 4xx changes nothing', async () => {
    const base = valid();
    const weird = hostile;
    const field = <T>(valid: T) => fc.oneof({ weight: 3, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: weird }, { weight: 1, arbitrary: fc.constant(undefined) });
    const body = fc.oneof(
      { weight: 1, arbitrary: fc.jsonValue() },
      {
        weight: 4,
        arbitrary: fc.record({
          institutionId: field(base.institutionId),
          kind: field(base.kind),
          title: field(base.title),
          startsAt: field(base.startsAt),
          endsAt: field(base.endsAt),
          startsLocal: fc.oneof(fc.constant(undefined), fc.constant('2026-03-08T02:30'), weird),
          timeZone: fc.oneof(fc.constant(undefined), fc.constantFrom('America/New_York', 'Europe/Paris', 'Nowhere/Land'), weird),
          format: field(base.format),
          audience: field(base.audience),
          expectedAttendance: field(100),
          recruiterIds: fc.oneof(fc.constant(undefined), fc.constant([rec.id]), fc.constant([rec.id, rec2.id]), fc.constant([MISSING]), fc.array(weird, { maxLength: 3 })),
          allowDoubleBooking: fc.oneof(fc.constant(undefined), fc.boolean(), weird),
          extra: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: weird }),
        }),
      },
    );
    let created = 0;
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const before = await counts();
        const res = await post('/appearances', withDeep(JSON.stringify(b)));
        if (res.status >= 500 || res.status < 200 || (res.status >= 300 && res.status < 400)) {
          throw new Error(`status ${res.status} for ${JSON.stringify(b).slice(0, 300)}: ${JSON.stringify(res.body)}`);
        }
        if (res.status >= 400) {
          expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), message: expect.any(String) });
          expect(await counts()).toEqual(before);
        } else {
          created++;
          expect((await counts()).appearances).toBe(before.appearances + 1);
        }
      }),
      // The first example is valid, so the success path is always exercised (null is refused for fields that may only be left out).
      { numRuns: 150, seed: 20260315, examples: [[{ ...base }]] },
    );
    expect(created).toBeGreaterThan(0);
  });

  it('property: hostile values in bodies and query strings across the API get only 2xx/4xx, and a 4xx changes nothing', async () => {
    const admin = t.auth(await t.factories.user('admin'));
    const field = (v: unknown) => fc.oneof({ weight: 2, arbitrary: fc.constant(v) }, { weight: 2, arbitrary: hostile }, { weight: 1, arbitrary: fc.constant(undefined) });
    const request = fc.oneof(
      fc.record({ path: fc.constant('/auth/login'), anon: fc.constant(true), body: fc.record({ email: field('nobody@test.example'), password: field('wrong-password-1') }) }),
      fc.record({
        path: fc.constant('/institutions'),
        anon: fc.constant(false),
        body: fc.record({ name: field('Property College'), kind: field('college'), city: field('Kent'), state: field('OH'), timeZone: field('America/New_York'), externalId: field('X-1') }),
      }),
      fc.record({
        path: fc.constant('/incidents'),
        anon: fc.constant(false),
        body: fc.record({
          institutionId: field(inst.id),
          kind: field('protest'),
          occurredAt: field('2026-01-10T15:00:00Z'),
          severity: field(1),
          target: field('general_activism'),
          source: field('news'),
          description: field('A rally outside the hall.'),
        }),
      }),
      fc.record({
        path: fc.constant('/users'),
        anon: fc.constant(false),
        body: fc.record({ email: field('property@test.example'), password: field('long-enough-password'), role: field('hr'), displayName: field('HR desk') }),
      }),
    );
    const listing = fc.record({
      path: fc.constantFrom('/institutions', '/appearances', '/incidents', '/users', '/audit', '/notifications'),
      query: fc.dictionary(
        fc.constantFrom('page', 'pageSize', 'q', 'state', 'kind', 'city', 'from', 'to'),
        fc.oneof(
          hostile.map((v) => String(v)),
          fc.constantFrom('99999999999999999999', '1e400', 'NaN', '-1'),
        ),
        { maxKeys: 3 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(request, listing), async (r) => {
        const before = await counts();
        const res =
          'query' in r
            ? await t.http().get(r.path).query(r.query).set(admin)
            : await t
                .http()
                .post(r.path)
                .set(r.anon ? {} : admin)
                .set('Content-Type', 'application/json')
                .send(withDeep(JSON.stringify(r.body)));
        if (res.status >= 500 || res.status < 200 || (res.status >= 300 && res.status < 400)) {
          throw new Error(`status ${res.status} for ${r.path} ${JSON.stringify(r).slice(0, 300)}: ${JSON.stringify(res.body)}`);
        }
        if (res.status >= 400) {
          expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), message: expect.any(String) });
          // A refused sign-in is audited (that is its only write).
          const audited = res.status === 401 && r.path === '/auth/login' ? { audit_entries: before.audit_entries + 1 } : {};
          expect(await counts()).toEqual({ ...before, ...audited });
        }
      }),
      { numRuns: 250, seed: 20261201 },
    );
  });
});
