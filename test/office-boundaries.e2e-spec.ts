import { Appearance } from '../src/appearances/appearance.entity';
import { Institution } from '../src/institutions/institution.entity';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * An office's appearances are its own: another office's recruiter cannot mark one disrupted (and
 * send its coordinators escalations) by recording an incident against it, and a coordinator cannot
 * put another office's recruiter on an appearance. Admins work across offices.
 */
describe('office boundaries: incidents and recruiter assignments stay within the office', () => {
  let t: TestApp;
  let officeA: Office;
  let officeB: Office;
  let inst: Institution;
  let recA: User;
  let coordA: User;
  let recB: User;
  let fairB: Appearance;

  beforeAll(async () => {
    t = await createTestApp();
    officeA = await t.factories.office();
    officeB = await t.factories.office();
    inst = await t.factories.institution();
    recA = await t.factories.user('recruiter', { officeId: officeA.id });
    coordA = await t.factories.user('coordinator', { officeId: officeA.id });
    recB = await t.factories.user('recruiter', { officeId: officeB.id });
    await t.factories.user('coordinator', { officeId: officeB.id });
    fairB = await t.factories.appearance({ institutionId: inst.id, officeId: officeB.id, startsAt: Date.parse('2026-01-15T10:00:00Z'), recruiterIds: [recB.id] });
  });
  afterAll(() => t.close());

  const incident = (o: Record<string, unknown> = {}) => ({
    institutionId: inst.id,
    kind: 'table_blocked',
    occurredAt: '2026-01-15T11:00:00Z',
    severity: 3,
    target: 'organisation',
    source: 'first_hand',
    ...o,
  });

  async function state() {
    const a = await t.db.getRepository(Appearance).findOneByOrFail({ id: fairB.id });
    const n = async (sql: string) => Number((await t.db.query(sql))[0].n);
    return {
      disrupted: a.disrupted,
      incidents: await n('SELECT COUNT(*) AS n FROM incidents'),
      notifications: await n('SELECT COUNT(*) AS n FROM notifications'),
    };
  }

  it("a recruiter of office A cannot record an incident against office B's appearance: 403 naming appearanceId, nothing written", async () => {
    const before = await state();
    const res = await t
      .http()
      .post('/incidents')
      .set(t.auth(recA))
      .send(incident({ appearanceId: fairB.id }))
      .expect(403);
    expect(res.body).toMatchObject({ code: 'OTHER_OFFICE', fields: { appearanceId: `appearance ${fairB.id} belongs to another office` } });
    expect(await state()).toEqual(before);
    // Nor by linking an incident of their own to it afterwards.
    const own = await t.http().post('/incidents').set(t.auth(recA)).send(incident()).expect(201);
    const after = await state();
    const patch = await t.http().patch(`/incidents/${own.body.id}`).set(t.auth(recA)).send({ appearanceId: fairB.id }).expect(403);
    expect(Object.keys(patch.body.fields)).toEqual(['appearanceId']);
    expect(await state()).toEqual(after);
  });

  it("office B's own recruiter and an admin can; the appearance is marked disrupted", async () => {
    await t
      .http()
      .post('/incidents')
      .set(t.auth(recB))
      .send(incident({ appearanceId: fairB.id }))
      .expect(201);
    expect((await state()).disrupted).toBe(true);
    const other = await t.factories.appearance({ institutionId: inst.id, officeId: officeB.id, startsAt: Date.parse('2026-01-15T10:00:00Z') });
    await t
      .http()
      .post('/incidents')
      .set(t.auth(await t.factories.user('admin')))
      .send(incident({ appearanceId: other.id }))
      .expect(201);
  });

  it("a coordinator cannot assign another office's recruiter, on create or on update: 422 naming recruiterIds[i]", async () => {
    const body = {
      institutionId: inst.id,
      kind: 'career_fair',
      title: 'Spring fair',
      startsAt: '2026-03-02T10:00:00-05:00',
      endsAt: '2026-03-02T14:00:00-05:00',
      format: 'in_person',
      audience: 'public',
    };
    const before = Number((await t.db.query('SELECT COUNT(*) AS n FROM appearances'))[0].n);
    let res = await t
      .http()
      .post('/appearances')
      .set(t.auth(coordA))
      .send({ ...body, recruiterIds: [recA.id, recB.id] })
      .expect(422);
    expect(res.body).toMatchObject({ code: 'RECRUITER_NOT_ASSIGNABLE', fields: { 'recruiterIds[1]': `user ${recB.id} belongs to another office` } });
    expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM appearances'))[0].n)).toBe(before);
    const created = await t
      .http()
      .post('/appearances')
      .set(t.auth(coordA))
      .send({ ...body, recruiterIds: [recA.id] })
      .expect(201);
    res = await t
      .http()
      .patch(`/appearances/${created.body.id}`)
      .set(t.auth(coordA))
      .send({ recruiterIds: [recA.id, recB.id] })
      .expect(422);
    expect(Object.keys(res.body.fields)).toEqual(['recruiterIds[1]']);
    const kept = await t.http().get(`/appearances/${created.body.id}`).set(t.auth(coordA)).expect(200);
    expect(kept.body.recruiterIds).toEqual([recA.id]);
    // An admin plans across offices.
    await t
      .http()
      .patch(`/appearances/${created.body.id}`)
      .set(t.auth(await t.factories.user('admin')))
      .send({ recruiterIds: [recA.id, recB.id] })
      .expect(200);
  });
});
