import { Appearance } from '../src/appearances/appearance.entity';
import { AppearancesService } from '../src/appearances/appearances.service';
import type { AuthUser } from '../src/common/auth';
import { ForbiddenError } from '../src/common/errors';
import { Institution } from '../src/institutions/institution.entity';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { eventually } from './helpers/eventually';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * Who gets in and what they may change, rule by rule, with the exact answer each refusal gives:
 * the bearer header's shape, API tokens beside sign-in tokens, route roles, and an appearance's
 * office (who may plan for it, edit it, and be put on it).
 */
describe('access rules: the bearer header, route roles, and the office an appearance belongs to', () => {
  let t: TestApp;
  let officeA: Office;
  let officeB: Office;
  let inst: Institution;
  let admin: User;
  let hr: User;
  let coordA: User;
  let recA: User;
  let coordB: User;
  let recB: User;

  beforeAll(async () => {
    t = await createTestApp();
    officeA = await t.factories.office();
    officeB = await t.factories.office();
    inst = await t.factories.institution();
    admin = await t.factories.user('admin');
    hr = await t.factories.user('hr');
    coordA = await t.factories.user('coordinator', { officeId: officeA.id });
    recA = await t.factories.user('recruiter', { officeId: officeA.id });
    coordB = await t.factories.user('coordinator', { officeId: officeB.id });
    recB = await t.factories.user('recruiter', { officeId: officeB.id });
  });
  afterAll(() => t.close());

  let day = 0;
  /** A create body on a day of its own, so no two tests' bookings clash. */
  const body = (o: Record<string, unknown> = {}) => {
    const d = String(++day).padStart(2, '0');
    return {
      institutionId: inst.id,
      kind: 'career_fair',
      title: 'Spring fair',
      startsAt: `2026-03-${d}T10:00:00-05:00`,
      endsAt: `2026-03-${d}T14:00:00-05:00`,
      format: 'in_person',
      audience: 'public',
      ...o,
    };
  };
  const count = async () => Number((await t.db.query('SELECT COUNT(*) AS n FROM appearances'))[0].n);
  const jwt = (u: User) => t.auth(u).Authorization.replace(/^Bearer /, '');

  describe('the bearer header', () => {
    it('takes any run of spaces after "Bearer", and the word in any case', async () => {
      const token = jwt(recA);
      expect((await t.http().get('/me').set('Authorization', `Bearer   ${token}`).expect(200)).body.id).toBe(recA.id);
      expect((await t.http().get('/me').set('Authorization', `bearer ${token}`).expect(200)).body.id).toBe(recA.id);
      expect((await t.http().get('/me').set('Authorization', `BEARER\t${token}`).expect(200)).body.id).toBe(recA.id);
    });

    it('refuses a header that only contains a bearer, or has more after it, as not signed in (not as a bad token)', async () => {
      const token = jwt(recA);
      for (const header of [`xBearer ${token}`, `Token Bearer ${token}`, `Bearer ${token} extra`, 'Bearer', 'Bearer    ', token]) {
        const res = await t.http().get('/me').set('Authorization', header).expect(401);
        expect({ header, code: res.body.code }).toEqual({ header, code: 'UNAUTHENTICATED' });
      }
    });

    it('takes an API token in the same header, and counts its use under the route it matched', async () => {
      const a = await t.factories.appearance({ officeId: officeA.id, institutionId: inst.id });
      const made = await t
        .http()
        .post('/me/tokens')
        .set(t.auth(coordA))
        .send({ name: 'calendar sync', scopes: ['appearances:read'] })
        .expect(201);
      const res = await t.http().get(`/appearances/${a.id}`).set('Authorization', `Bearer  ${made.body.token}`).expect(200);
      expect(res.body.id).toBe(a.id);
      const uses = await eventually(async () => {
        const list = (await t.http().get(`/me/tokens/${made.body.id}/uses`).set(t.auth(coordA)).expect(200)).body as Array<{ route: string; method: string; status: number; hits: number }>;
        return list.length > 0 && list;
      });
      expect(uses).toEqual([expect.objectContaining({ route: '/appearances/:id', method: 'GET', status: 200, hits: 1 })]);
    });
  });

  describe('route roles', () => {
    it('names the roles a route needs and the caller’s own', async () => {
      let res = await t.http().post('/users').set(t.auth(recA)).send({}).expect(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN', message: 'This needs one of the roles: admin (you are recruiter)' });
      const a = await t.factories.appearance({ officeId: officeA.id, institutionId: inst.id });
      res = await t.http().patch(`/appearances/${a.id}`).set(t.auth(hr)).send({ title: 'Renamed' }).expect(403);
      expect(res.body.message).toBe('This needs one of the roles: admin, coordinator, recruiter (you are hr)');
    });
  });

  describe("an appearance's office", () => {
    it('a coordinator or recruiter plans only for their own office; an admin for any, but must name one', async () => {
      const before = await count();
      let res = await t
        .http()
        .post('/appearances')
        .set(t.auth(coordA))
        .send(body({ officeId: officeB.id }))
        .expect(403);
      expect(res.body).toMatchObject({ code: 'OTHER_OFFICE', message: 'You can only plan appearances for your own office' });
      res = await t
        .http()
        .post('/appearances')
        .set(t.auth(recA))
        .send(body({ officeId: officeB.id }))
        .expect(403);
      expect(res.body.code).toBe('OTHER_OFFICE');
      res = await t.http().post('/appearances').set(t.auth(admin)).send(body()).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'officeId is required: you belong to no office', fields: { officeId: 'required (you belong to no office)' } });
      const missing = '00000000-0000-4000-8000-000000000000';
      res = await t
        .http()
        .post('/appearances')
        .set(t.auth(admin))
        .send(body({ officeId: missing }))
        .expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', fields: { officeId: `Office ${missing} does not exist` } });
      expect(await count()).toBe(before);

      const own = await t
        .http()
        .post('/appearances')
        .set(t.auth(coordA))
        .send(body({ officeId: officeA.id, recruiterIds: [recA.id] }))
        .expect(201);
      expect(own.body.officeId).toBe(officeA.id);
      const implied = await t.http().post('/appearances').set(t.auth(recA)).send(body()).expect(201);
      expect(implied.body.officeId).toBe(officeA.id);
      const across = await t
        .http()
        .post('/appearances')
        .set(t.auth(admin))
        .send(body({ officeId: officeB.id, recruiterIds: [recB.id] }))
        .expect(201);
      expect(across.body.officeId).toBe(officeB.id);
      expect(await count()).toBe(before + 3);
    });

    it("only its office or an admin changes it: another office's coordinator and recruiter get 403 on edits and status changes", async () => {
      const a = await t.factories.appearance({ officeId: officeA.id, institutionId: inst.id, recruiterIds: [recA.id] });
      for (const who of [coordB, recB]) {
        let res = await t.http().patch(`/appearances/${a.id}`).set(t.auth(who)).send({ title: 'Taken over' }).expect(403);
        expect(res.body).toMatchObject({ code: 'OTHER_OFFICE', message: 'This appearance belongs to another office; only its office or an admin can change it' });
        res = await t.http().post(`/appearances/${a.id}/confirm`).set(t.auth(who)).send({}).expect(403);
        expect(res.body.code).toBe('OTHER_OFFICE');
      }
      const row = await t.db.getRepository(Appearance).findOneByOrFail({ id: a.id });
      expect({ title: row.title, status: row.status, version: row.version }).toEqual({ title: a.title, status: 'planned', version: 1 });

      expect((await t.http().patch(`/appearances/${a.id}`).set(t.auth(recA)).send({ title: 'Own office' }).expect(200)).body.title).toBe('Own office');
      expect((await t.http().patch(`/appearances/${a.id}`).set(t.auth(admin)).send({ title: 'Admin' }).expect(200)).body.title).toBe('Admin');
      expect((await t.http().post(`/appearances/${a.id}/confirm`).set(t.auth(admin)).send({}).expect(200)).body.status).toBe('confirmed');
    });

    it('the service itself refuses HR, whatever route reaches it', async () => {
      const a = await t.factories.appearance({ officeId: officeA.id, institutionId: inst.id });
      const service = t.app.get(AppearancesService);
      const asHr: AuthUser = { id: hr.id, email: hr.email, role: 'hr', officeId: officeA.id };
      await expect(service.update(a.id, { title: 'HR edit' }, undefined, asHr)).rejects.toThrow(new ForbiddenError('HR reads appearances but does not change them'));
      await expect(service.transition(a.id, 'cancelled', undefined, asHr)).rejects.toThrow(ForbiddenError);
      expect((await t.db.getRepository(Appearance).findOneByOrFail({ id: a.id })).title).toBe(a.title);
    });

    it('only active recruiters and coordinators can be put on it, each refusal naming its place in recruiterIds', async () => {
      const disabled = await t.factories.user('recruiter', { officeId: officeA.id, active: false });
      const coordA2 = await t.factories.user('coordinator', { officeId: officeA.id });
      const before = await count();
      const res = await t
        .http()
        .post('/appearances')
        .set(t.auth(coordA))
        .send(body({ recruiterIds: [recA.id, disabled.id, hr.id, admin.id, coordA2.id] }))
        .expect(422);
      expect(res.body).toMatchObject({
        code: 'RECRUITER_NOT_ASSIGNABLE',
        message: 'Only active recruiters and coordinators can be assigned',
        fields: {
          'recruiterIds[1]': `user ${disabled.id} is disabled`,
          'recruiterIds[2]': `user ${hr.id} is in hr, not a recruiter or coordinator`,
          'recruiterIds[3]': `user ${admin.id} is an admin, not a recruiter or coordinator`,
        },
      });
      expect(Object.keys(res.body.fields).sort()).toEqual(['recruiterIds[1]', 'recruiterIds[2]', 'recruiterIds[3]']);
      const unknown = '00000000-0000-4000-8000-00000000000a';
      const gone = await t
        .http()
        .post('/appearances')
        .set(t.auth(coordA))
        .send(body({ recruiterIds: [recA.id, unknown] }))
        .expect(404);
      expect(gone.body.fields).toEqual({ 'recruiterIds[1]': `User ${unknown} does not exist` });
      expect(await count()).toBe(before);

      const ok = await t
        .http()
        .post('/appearances')
        .set(t.auth(coordA))
        .send(body({ recruiterIds: [recA.id, coordA2.id] }))
        .expect(201);
      expect([...ok.body.recruiterIds].sort()).toEqual([recA.id, coordA2.id].sort());
    });

    it('a recruiter already on it is not judged again: an admin’s cross-office pick stays when its office edits the team', async () => {
      const a = await t
        .http()
        .post('/appearances')
        .set(t.auth(admin))
        .send(body({ officeId: officeA.id, recruiterIds: [recA.id, recB.id] }))
        .expect(201);
      const recA2 = await t.factories.user('recruiter', { officeId: officeA.id });
      const res = await t
        .http()
        .patch(`/appearances/${a.body.id}`)
        .set(t.auth(coordA))
        .send({ recruiterIds: [recB.id, recA2.id] })
        .expect(200);
      expect([...res.body.recruiterIds].sort()).toEqual([recB.id, recA2.id].sort());
      // A new cross-office pick is still refused.
      const recB2 = await t.factories.user('recruiter', { officeId: officeB.id });
      const refused = await t
        .http()
        .patch(`/appearances/${a.body.id}`)
        .set(t.auth(coordA))
        .send({ recruiterIds: [recB.id, recA2.id, recB2.id] })
        .expect(422);
      expect(refused.body.fields).toEqual({ 'recruiterIds[2]': `user ${recB2.id} belongs to another office` });
    });
  });
});
