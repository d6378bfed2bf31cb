import fc from 'fast-check';
import { Institution } from '../src/institutions/institution.entity';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, TestApp } from './helpers/test-app';

const MISSING = '00000000-0000-4000-8000-000000000000';
const TABLES = ['appearances', 'appearance_recruiters', 'audit_entries', 'risk_assessments', 'notifications', 'institutions'];

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
    const inst2 = await t.http().post('/institutions').set(H).send({ name: ['x'], kind: 'college', timeZone: 5, advanceNoticeDays: -1 }).expect(400);
    expect(Object.keys(inst2.body.fields).sort()).toEqual(['advanceNoticeDays', 'name', 'timeZone']);
  });

  it('unknown fields → 400 naming them', async () => {
    const res = await t.http().post('/appearances').set(H).send({ ...valid(), protesterName: 'x', status: 'completed' }).expect(400);
    expect(res.body.fields).toEqual({ protesterName: 'protesterName is not a known field', status: 'status is not a known field' });
    const q = await t.http().get('/appearances?colour=red').set(H).expect(400);
    expect(Object.keys(q.body.fields)).toEqual(['colour']);
  });

  it('oversized body → 413', async () => {
    const res = await t.http().post('/appearances').set(H).send({ ...valid(), title: 'x'.repeat(100 * 1024) }).expect(413);
    expect(res.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('a body type the API does not read → 415', async () => {
    const res = await post('/appearances', '<appearance/>', 'application/xml');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('unknown ids → 404 naming the field; malformed ids → 400', async () => {
    const before = await counts();
    let res = await t.http().post('/appearances').set(H).send({ ...valid(), institutionId: MISSING }).expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', fields: { institutionId: expect.any(String) } });
    res = await t.http().post('/appearances').set(H).send({ ...valid(), recruiterIds: [rec.id, MISSING] }).expect(404);
    expect(Object.keys(res.body.fields)).toEqual(['recruiterIds[1]']);
    res = await t.http().post('/appearances').set(H).send({ ...valid(), institutionId: 'not-a-uuid' }).expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['institutionId']);
    res = await t.http().get(`/appearances/${MISSING}`).set(H).expect(404);
    expect(res.body.details).toMatchObject({ entity: 'Appearance', id: MISSING });
    res = await t.http().get('/appearances/123').set(H).expect(400);
    expect(res.body.fields).toEqual({ id: 'must be a UUID' });
    res = await t.http().patch(`/institutions/${MISSING}`).set(t.auth(await t.factories.user('admin'))).send({ city: 'X' }).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('bad zones → 400 naming timeZone', async () => {
    for (const timeZone of ['Mars/Olympus', 'EST5EDT6', '', 'America/New York', 'x'.repeat(100)]) {
      const res = await t.http().post('/appearances').set(H).send({ ...valid(), timeZone }).expect(400);
      expect(Object.keys(res.body.fields)).toEqual(['timeZone']);
      const i = await t.http().post('/institutions').set(H).send({ name: 'Zone College', kind: 'college', timeZone }).expect(400);
      expect(Object.keys(i.body.fields)).toEqual(['timeZone']);
    }
  });

  it('property: random bodies at POST /appearances get only 2xx/4xx, and a 4xx changes nothing', async () => {
    const base = valid();
    const weird = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom('', ' ', 'Mars/Olympus', '2026-03-08T02:30', '2026-02-30T10:00:00Z', '2026-03-02T09:00:00-05:00', '9999-99-99T99:99', MISSING, 'x'.repeat(1000), '\u0000', '{}'),
      fc.integer(),
      fc.constant(null),
    );
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
        const res = await post('/appearances', JSON.stringify(b));
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
});
