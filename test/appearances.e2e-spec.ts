import { randomUUID } from 'node:crypto';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvents } from '../src/common/domain-events';
import { Institution } from '../src/institutions/institution.entity';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, TestApp } from './helpers/test-app';

type H = { Authorization: string };

describe('appearances', () => {
  let t: TestApp;
  let office: Office;
  let otherOffice: Office;
  let inst: Institution;
  let admin: User;
  let coord: User;
  let rec: User;
  let rec2: User;
  let outsider: User;
  let hr: User;
  let asRec: H;
  let asAdmin: H;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
    office = await t.factories.office({ timeZone: 'America/New_York' });
    otherOffice = await t.factories.office();
    inst = await t.factories.institution({ name: 'Appearance State University', timeZone: 'America/New_York' });
    admin = await t.factories.user('admin');
    coord = await t.factories.user('coordinator', { officeId: office.id });
    rec = await t.factories.user('recruiter', { officeId: office.id });
    rec2 = await t.factories.user('recruiter', { officeId: office.id });
    outsider = await t.factories.user('recruiter', { officeId: otherOffice.id });
    hr = await t.factories.user('hr');
    asRec = t.auth(rec);
    asAdmin = t.auth(admin);
  });
  afterAll(() => t.close());

  const body = (o: Record<string, unknown> = {}) => ({
    institutionId: inst.id,
    kind: 'career_fair',
    title: 'Spring career fair',
    startsAt: '2026-03-02T10:00:00-05:00',
    endsAt: '2026-03-02T14:00:00-05:00',
    venue: 'Student Center',
    format: 'in_person',
    audience: 'public',
    expectedAttendance: 300,
    visibleBranding: true,
    ...o,
  });

  it('plans an appearance from instants with offsets: UTC and local forms, fresh risk, ETag, audit, event in the transaction', async () => {
    const seen: any[] = [];
    const events = t.app.get(EventEmitter2);
    const listener = (e: any) => seen.push(e);
    events.on(DomainEvents.AppearanceCreated, listener);
    const res = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ recruiterIds: [rec.id] }))
      .expect(201);
    events.off(DomainEvents.AppearanceCreated, listener);
    expect(res.body).toMatchObject({
      institutionId: inst.id,
      institution: { id: inst.id, name: 'Appearance State University', city: inst.city, state: inst.state },
      officeId: office.id,
      startsAt: '2026-03-02T15:00:00.000Z',
      endsAt: '2026-03-02T19:00:00.000Z',
      startsAtLocal: '2026-03-02T10:00:00.000-05:00',
      endsAtLocal: '2026-03-02T14:00:00.000-05:00',
      timeZone: 'America/New_York',
      status: 'planned',
      version: 1,
      sequence: 0,
      recruiterIds: [rec.id],
      visibleBranding: true,
      cancelReason: null,
    });
    expect(res.headers.etag).toBe('"1"');
    expect(res.body.risk).toMatchObject({ appearanceId: res.body.id, trigger: 'appearance_created' });
    expect(res.body.riskLevel).toBe(res.body.risk.level);
    expect(seen).toHaveLength(1);
    expect(seen[0].appearance.id).toBe(res.body.id);
    expect(seen[0].manager).toBeDefined();
    const audit = await t.http().get(`/audit?entityType=appearance&entityId=${res.body.id}`).set(t.auth(hr)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'create', actorId: rec.id, after: { title: 'Spring career fair', status: 'planned' } });
    const got = await t.http().get(`/appearances/${res.body.id}`).set(t.auth(hr)).expect(200);
    expect(got.body.risk.id).toBe(res.body.risk.id);
    expect(got.headers.etag).toBe('"1"');
  });

  it('accepts local wall-clock times in the venue zone (default: the institution zone)', async () => {
    const res = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: undefined, endsAt: undefined, startsLocal: '2026-07-01T09:30', endsLocal: '2026-07-01T11:00' }))
      .expect(201);
    expect(res.body).toMatchObject({ startsAt: '2026-07-01T13:30:00.000Z', startsAtLocal: '2026-07-01T09:30:00.000-04:00', timeZone: 'America/New_York' });
    const la = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: undefined, endsAt: undefined, startsLocal: '2026-07-01T09:30', endsLocal: '2026-07-01T11:00', timeZone: 'America/Los_Angeles' }))
      .expect(201);
    expect(la.body).toMatchObject({ startsAt: '2026-07-01T16:30:00.000Z', endsAtLocal: '2026-07-01T11:00:00.000-07:00' });
  });

  it('refuses a local time that the DST change skips, with a clear 400', async () => {
    const res = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: undefined, endsAt: undefined, startsLocal: '2026-03-08T02:30', endsLocal: '2026-03-08T04:00' }))
      .expect(400);
    expect(res.body.code).toBe('NONEXISTENT_LOCAL_TIME');
    expect(res.body.fields.startsLocal).toMatch(/does not exist in America\/New_York/);
  });

  it('keeps the local wall-clock time when rescheduled across the DST change', async () => {
    const a = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: undefined, endsAt: undefined, startsLocal: '2026-03-06T10:00', endsLocal: '2026-03-06T12:00' }))
      .expect(201);
    expect(a.body.startsAt).toBe('2026-03-06T15:00:00.000Z'); // EST, UTC-5
    const moved = await t.http().patch(`/appearances/${a.body.id}`).set(asRec).set('If-Match', '"1"').send({ date: '2026-03-10' }).expect(200);
    expect(moved.body).toMatchObject({
      startsAt: '2026-03-10T14:00:00.000Z', // EDT, UTC-4: same 10:00 on the wall
      endsAt: '2026-03-10T16:00:00.000Z',
      startsAtLocal: '2026-03-10T10:00:00.000-04:00',
      endsAtLocal: '2026-03-10T12:00:00.000-04:00',
      version: 2,
      sequence: 1,
    });
    expect(moved.headers.etag).toBe('"2"');
    // Moving only the start by local time keeps the duration.
    const later = await t.http().patch(`/appearances/${a.body.id}`).set(asRec).send({ startsLocal: '2026-03-10T13:00', version: 2 }).expect(200);
    expect(later.body).toMatchObject({ startsAtLocal: '2026-03-10T13:00:00.000-04:00', endsAtLocal: '2026-03-10T15:00:00.000-04:00', version: 3 });
    const audit = await t.http().get(`/audit?entityType=appearance&entityId=${a.body.id}&action=update`).set(asAdmin).expect(200);
    expect(audit.body.total).toBe(2);
    expect(audit.body.items.find((e: any) => e.after.version === 2)).toMatchObject({ before: { startsAt: '2026-03-06T15:00:00.000Z' }, after: { startsAt: '2026-03-10T14:00:00.000Z' } });
  });

  it.each([
    ['end before start', { endsAt: '2026-03-02T09:00:00-05:00' }, 'endsAt', /after/],
    ['too short', { endsAt: '2026-03-02T10:10:00-05:00' }, 'endsAt', /15 minutes/],
    ['too long', { endsAt: '2026-03-03T10:30:00-05:00' }, 'endsAt', /24 hours/],
    ['no offset', { startsAt: '2026-03-02T10:00:00' }, 'startsAt', /offset/],
    ['not a date', { startsAt: '2026-02-30T10:00:00Z' }, 'startsAt', /real date/],
    ['mixed styles', { startsLocal: '2026-03-02T10:00' }, 'startsLocal', /either/],
    ['no times', { startsAt: undefined, endsAt: undefined }, 'startsAt', /required/],
    ['bad zone', { timeZone: 'Atlantis/Capital' }, 'timeZone', /IANA/],
  ])('refuses %s with a 400 naming the field', async (_name, patch, field, reason) => {
    const res = await t.http().post('/appearances').set(asRec).send(body(patch)).expect(400);
    expect(res.body.fields[field]).toMatch(reason);
  });

  it('answers 404 naming the field for unknown institution, office and recruiters; 422 for users who cannot be assigned', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    let res = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ institutionId: missing }))
      .expect(404);
    expect(res.body.fields).toEqual({ institutionId: expect.stringContaining(missing) });
    res = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ recruiterIds: [rec.id, missing] }))
      .expect(404);
    expect(Object.keys(res.body.fields)).toEqual(['recruiterIds[1]']);
    res = await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ officeId: missing }))
      .expect(404);
    expect(Object.keys(res.body.fields)).toEqual(['officeId']);
    const disabled = await t.factories.user('recruiter', { officeId: office.id, active: false });
    res = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ recruiterIds: [disabled.id, hr.id] }))
      .expect(422);
    expect(res.body.code).toBe('RECRUITER_NOT_ASSIGNABLE');
    expect(res.body.fields['recruiterIds[0]']).toMatch(/disabled/);
    expect(res.body.fields['recruiterIds[1]']).toMatch(/hr/);
    res = await t.http().post('/appearances').set(asAdmin).send(body()).expect(400);
    expect(res.body.fields.officeId).toMatch(/required/);
  });

  it('refuses double-booking a recruiter with 409 naming the clash, unless explicitly allowed', async () => {
    const first = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ title: 'Morning info session', kind: 'info_session', startsAt: '2026-04-01T09:00:00-04:00', endsAt: '2026-04-01T11:00:00-04:00', recruiterIds: [rec2.id] }))
      .expect(201);
    const clash = await t
      .http()
      .post('/appearances')
      .set(t.auth(coord))
      .send(body({ startsAt: '2026-04-01T10:30:00-04:00', endsAt: '2026-04-01T12:00:00-04:00', recruiterIds: [rec.id, rec2.id] }))
      .expect(409);
    expect(clash.body).toMatchObject({
      code: 'DOUBLE_BOOKED',
      details: { appearanceId: first.body.id, title: 'Morning info session', startsAt: '2026-04-01T13:00:00.000Z', endsAt: '2026-04-01T15:00:00.000Z' },
    });
    expect(clash.body.message).toContain('Morning info session');
    // Back-to-back is not a clash; an explicit override books anyway.
    await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-04-01T11:00:00-04:00', endsAt: '2026-04-01T12:00:00-04:00', recruiterIds: [rec2.id] }))
      .expect(201);
    const forced = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-04-01T10:30:00-04:00', endsAt: '2026-04-01T12:00:00-04:00', recruiterIds: [rec2.id], allowDoubleBooking: true }))
      .expect(201);
    // A cancelled appearance no longer blocks.
    await t.http().post(`/appearances/${first.body.id}/cancel`).set(asRec).send({}).expect(200);
    await t.http().post(`/appearances/${forced.body.id}/cancel`).set(asRec).send({}).expect(200);
    await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-04-01T09:00:00-04:00', endsAt: '2026-04-01T10:00:00-04:00', recruiterIds: [rec2.id] }))
      .expect(201);
    // Moving an appearance onto a booked slot is refused too.
    const other = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-04-02T09:00:00-04:00', endsAt: '2026-04-02T10:00:00-04:00', recruiterIds: [rec2.id] }))
      .expect(201);
    const move = await t.http().patch(`/appearances/${other.body.id}`).set(asRec).send({ date: '2026-04-01' }).expect(409);
    expect(move.body.code).toBe('DOUBLE_BOOKED');
  });

  it('double-booking boundaries: a slot ending when another starts is free (the mirror of back-to-back); one minute more clashes', async () => {
    const r = await t.factories.user('recruiter', { officeId: office.id });
    const booked = { startsAt: '2026-06-10T09:00:00-04:00', endsAt: '2026-06-10T11:00:00-04:00', recruiterIds: [r.id] };
    await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ ...booked, officeId: office.id }))
      .expect(201);
    await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ officeId: office.id, startsAt: '2026-06-10T08:00:00-04:00', endsAt: '2026-06-10T09:00:00-04:00', recruiterIds: [r.id] }))
      .expect(201);
    await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ officeId: office.id, startsAt: '2026-06-10T11:00:00-04:00', endsAt: '2026-06-10T12:00:00-04:00', recruiterIds: [r.id] }))
      .expect(201);
    const early = await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ officeId: office.id, startsAt: '2026-06-10T07:00:00-04:00', endsAt: '2026-06-10T09:01:00-04:00', recruiterIds: [r.id] }))
      .expect(409);
    expect(early.body.code).toBe('DOUBLE_BOOKED');
    const late = await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ officeId: office.id, startsAt: '2026-06-10T10:59:00-04:00', endsAt: '2026-06-10T13:00:00-04:00', recruiterIds: [r.id] }))
      .expect(409);
    expect(late.body.code).toBe('DOUBLE_BOOKED');
    // Inside and around the booked slot clash as well.
    await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ officeId: office.id, startsAt: '2026-06-10T09:30:00-04:00', endsAt: '2026-06-10T10:00:00-04:00', recruiterIds: [r.id] }))
      .expect(409);
    await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ officeId: office.id, startsAt: '2026-06-10T06:00:00-04:00', endsAt: '2026-06-10T14:00:00-04:00', recruiterIds: [r.id] }))
      .expect(409);
  });

  it('a PATCH that only adds a recruiter is checked for clashes (409 DOUBLE_BOOKED), and allowDoubleBooking still overrides', async () => {
    const busy = await t.factories.user('recruiter', { officeId: office.id });
    const free = await t.factories.user('recruiter', { officeId: office.id });
    const taken = await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ officeId: office.id, title: 'Booked fair', startsAt: '2026-06-12T09:00:00-04:00', endsAt: '2026-06-12T11:00:00-04:00', recruiterIds: [busy.id] }))
      .expect(201);
    const a = await t
      .http()
      .post('/appearances')
      .set(asAdmin)
      .send(body({ officeId: office.id, startsAt: '2026-06-12T10:00:00-04:00', endsAt: '2026-06-12T12:00:00-04:00', recruiterIds: [free.id] }))
      .expect(201);
    const res = await t
      .http()
      .patch(`/appearances/${a.body.id}`)
      .set(asAdmin)
      .send({ recruiterIds: [free.id, busy.id] })
      .expect(409);
    expect(res.body).toMatchObject({ code: 'DOUBLE_BOOKED', details: { appearanceId: taken.body.id, title: 'Booked fair' }, fields: { recruiterIds: expect.stringContaining('Booked fair') } });
    expect((await t.http().get(`/appearances/${a.body.id}`).set(asAdmin).expect(200)).body).toMatchObject({ version: 1, recruiterIds: [free.id] });
    const forced = await t
      .http()
      .patch(`/appearances/${a.body.id}`)
      .set(asAdmin)
      .send({ recruiterIds: [free.id, busy.id], allowDoubleBooking: true })
      .expect(200);
    expect(forced.body.recruiterIds.sort()).toEqual([free.id, busy.id].sort());
    // A change that touches neither the time nor the team is not checked (the booking already stands).
    await t.http().patch(`/appearances/${a.body.id}`).set(asAdmin).send({ venue: 'Hall B' }).expect(200);
  });

  it('refuses If-Match and body version that disagree with 400 naming version, changing nothing', async () => {
    const a = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-06-14T10:00:00-04:00', endsAt: '2026-06-14T12:00:00-04:00' }))
      .expect(201);
    const res = await t.http().patch(`/appearances/${a.body.id}`).set(asRec).set('If-Match', '"1"').send({ venue: 'Gym', version: 2 }).expect(400);
    expect(res.body.fields).toEqual({ version: 'If-Match says 1, body says 2' });
    const agree = await t.http().patch(`/appearances/${a.body.id}`).set(asRec).set('If-Match', '"1"').send({ venue: 'Gym', version: 1 }).expect(200);
    expect(agree.body).toMatchObject({ venue: 'Gym', version: 2 });
  });

  it('refuses stale updates (If-Match or body version) with 409 STALE_VERSION', async () => {
    const a = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-05-01T10:00:00-04:00', endsAt: '2026-05-01T12:00:00-04:00' }))
      .expect(201);
    await t.http().patch(`/appearances/${a.body.id}`).set(asRec).set('If-Match', '"1"').send({ venue: 'Gym' }).expect(200);
    const stale = await t.http().patch(`/appearances/${a.body.id}`).set(t.auth(coord)).set('If-Match', '"1"').send({ venue: 'Library' }).expect(409);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', details: { entity: 'Appearance', id: a.body.id, expected: 1, actual: 2 } });
    expect(stale.body.message).toBe(`Appearance ${a.body.id} was changed by someone else (you sent version 1, current is 2); reload and retry`);
    const staleBody = await t.http().patch(`/appearances/${a.body.id}`).set(t.auth(coord)).send({ venue: 'Library', version: 1 }).expect(409);
    expect(staleBody.body.code).toBe('STALE_VERSION');
    await t.http().post(`/appearances/${a.body.id}/confirm`).set(asRec).set('If-Match', 'W/"1"').send({}).expect(409);
    const ok = await t.http().patch(`/appearances/${a.body.id}`).set(t.auth(coord)).set('If-Match', '"2"').send({ venue: 'Library' }).expect(200);
    expect(ok.body).toMatchObject({ venue: 'Library', version: 3, sequence: 2 });
    // A change nobody sees in the calendar keeps the SEQUENCE.
    const quiet = await t.http().patch(`/appearances/${a.body.id}`).set(asRec).send({ expectedAttendance: 50 }).expect(200);
    expect(quiet.body).toMatchObject({ version: 4, sequence: 2 });
    // No change at all writes nothing.
    const noop = await t.http().patch(`/appearances/${a.body.id}`).set(asRec).send({ expectedAttendance: 50 }).expect(200);
    expect(noop.body.version).toBe(4);
  });

  it('lets exactly one of two concurrent writers of the same version win; the other gets 409', async () => {
    const a = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-05-03T10:00:00-04:00', endsAt: '2026-05-03T12:00:00-04:00' }))
      .expect(201);
    const results = await Promise.all(['Gym', 'Library', 'Hall', 'Annex'].map((venue) => t.http().patch(`/appearances/${a.body.id}`).set(asRec).set('If-Match', '"1"').send({ venue })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'STALE_VERSION')).toBe(true);
    const now = await t.http().get(`/appearances/${a.body.id}`).set(asRec).expect(200);
    expect(now.body.version).toBe(2);
    const audit = await t.http().get(`/audit?entityType=appearance&entityId=${a.body.id}&action=update`).set(asAdmin).expect(200);
    expect(audit.body.total).toBe(1);
  });

  it('books a recruiter only once when two bookings for the same time arrive together', async () => {
    const r = await t.factories.user('recruiter', { officeId: office.id });
    const results = await Promise.all(
      [0, 1, 2].map((i) =>
        t
          .http()
          .post('/appearances')
          .set(asRec)
          .send(body({ title: `Race ${i}`, startsAt: `2026-05-04T1${i}:00:00-04:00`, endsAt: '2026-05-04T14:00:00-04:00', recruiterIds: [r.id] })),
      ),
    );
    expect(results.map((x) => x.status).sort()).toEqual([201, 409, 409]);
    const listed = await t.http().get(`/appearances?recruiterId=${r.id}`).set(asRec).expect(200);
    expect(listed.body.total).toBe(1);
  });

  it('lets only the office (or an admin) change its appearances; hr reads only', async () => {
    const a = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-05-05T10:00:00-04:00', endsAt: '2026-05-05T12:00:00-04:00' }))
      .expect(201);
    let res = await t.http().patch(`/appearances/${a.body.id}`).set(t.auth(outsider)).send({ venue: 'Elsewhere' }).expect(403);
    expect(res.body.code).toBe('OTHER_OFFICE');
    res = await t
      .http()
      .post('/appearances')
      .set(t.auth(outsider))
      .send(body({ officeId: office.id }))
      .expect(403);
    expect(res.body.code).toBe('OTHER_OFFICE');
    await t.http().post(`/appearances/${a.body.id}/cancel`).set(t.auth(outsider)).send({}).expect(403);
    await t.http().patch(`/appearances/${a.body.id}`).set(t.auth(hr)).send({ venue: 'HR' }).expect(403);
    await t.http().post('/appearances').set(t.auth(hr)).send(body()).expect(403);
    await t.http().get(`/appearances/${a.body.id}`).set(t.auth(outsider)).expect(200);
    await t.http().patch(`/appearances/${a.body.id}`).set(asAdmin).send({ officeId: otherOffice.id }).expect(200);
    await t.http().patch(`/appearances/${a.body.id}`).set(asRec).send({ venue: 'Back' }).expect(403);
    await t.http().patch(`/appearances/${a.body.id}`).set(t.auth(outsider)).send({ venue: 'Now ours' }).expect(200);
  });

  it('moves through legal status changes only; completed and cancelled are read-only', async () => {
    const a = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-01-20T10:00:00-05:00', endsAt: '2026-01-20T12:00:00-05:00' }))
      .expect(201);
    const id = a.body.id;
    let res = await t.http().post(`/appearances/${id}/complete`).set(asRec).send({}).expect(422);
    expect(res.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { from: 'planned', to: 'completed' } });
    res = await t.http().post(`/appearances/${id}/confirm`).set(asRec).send({ version: 1 }).expect(200);
    expect(res.body).toMatchObject({ status: 'confirmed', version: 2, sequence: 1 });
    res = await t.http().post(`/appearances/${id}/complete`).set(asRec).send({}).expect(422);
    expect(res.body.code).toBe('NOT_STARTED');
    t.clock.set('2026-01-20T18:00:00Z');
    res = await t.http().post(`/appearances/${id}/complete`).set(asRec).send({}).expect(200);
    expect(res.body.status).toBe('completed');
    res = await t.http().patch(`/appearances/${id}`).set(asRec).send({ venue: 'Too late' }).expect(409);
    expect(res.body.code).toBe('APPEARANCE_CLOSED');
    res = await t.http().post(`/appearances/${id}/cancel`).set(asRec).send({}).expect(422);
    expect(res.body.code).toBe('ILLEGAL_TRANSITION');
    t.clock.set('2026-01-15T12:00:00Z');
    const b = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-06-01T10:00:00-04:00', endsAt: '2026-06-01T12:00:00-04:00' }))
      .expect(201);
    res = await t.http().post(`/appearances/${b.body.id}/cancel`).set(asRec).send({ reason: 'Host postponed' }).expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'Host postponed', sequence: 1 });
    await t.http().post(`/appearances/${b.body.id}/confirm`).set(asRec).send({}).expect(422);
    const c = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-06-02T10:00:00-04:00', endsAt: '2026-06-02T12:00:00-04:00' }))
      .expect(201);
    res = await t.http().post(`/appearances/${c.body.id}/cancel`).set(asRec).send({ reason: 'Jane Doe said she would block the table, call 555-123-4567' }).expect(422);
    expect(res.body.code).toBe('PERSONAL_DATA');
    expect(Object.keys(res.body.fields)).toEqual(['reason']);
    const audit = await t.http().get(`/audit?entityType=appearance&entityId=${b.body.id}&action=status`).set(asAdmin).expect(200);
    expect(audit.body.items[0]).toMatchObject({ before: { status: 'planned' }, after: { status: 'cancelled' }, meta: { from: 'planned', to: 'cancelled' } });
  });

  it('lists by window (overlap), office, institution, recruiter, status, kind; sorted; paginated with total', async () => {
    const o = await t.factories.office();
    const i2 = await t.factories.institution();
    const r = await t.factories.user('recruiter', { officeId: o.id });
    const day = (d: number, h = 15) => Date.UTC(2026, 8, d, h);
    const mk = (d: number, extra: Record<string, unknown> = {}) => t.factories.appearance({ officeId: o.id, institutionId: inst.id, startsAt: day(d), endsAt: day(d) + 3_600_000, ...extra });
    const a1 = await mk(1, { recruiterIds: [r.id] });
    const a2 = await mk(2, { kind: 'info_session', institutionId: i2.id });
    const a3 = await mk(3, { status: 'cancelled', recruiterIds: [r.id] });
    const late = await mk(9, { startsAt: day(9, 23), endsAt: day(10, 1) }); // overlaps a window starting on the 10th
    const q = (s: string) => t.http().get(`/appearances?officeId=${o.id}&${s}`).set(t.auth(hr)).expect(200);
    let res = await q('');
    expect(res.body.items.map((x: any) => x.id)).toEqual([a1.id, a2.id, a3.id, late.id]);
    expect(res.body.total).toBe(4);
    res = await q('order=desc&pageSize=2&page=1');
    expect(res.body).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    expect(res.body.items.map((x: any) => x.id)).toEqual([late.id, a3.id]);
    // the page and its count are one statement: the count is of every match, on any page, even past the end
    res = await q('order=desc&pageSize=3&page=2');
    expect(res.body).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(res.body.items.map((x: any) => x.id)).toEqual([a1.id]);
    res = await q('pageSize=2&page=5');
    expect(res.body).toMatchObject({ total: 4, page: 5, items: [] });
    res = await q('status=planned&pageSize=1&page=2');
    expect(res.body).toMatchObject({ total: 3 });
    expect(res.body.items.map((x: any) => x.id)).toEqual([a2.id]);
    res = await q(`institutionId=${randomUUID()}`);
    expect(res.body).toMatchObject({ total: 0, items: [] });
    res = await q('from=2026-09-02T00:00:00Z&to=2026-09-03T00:00:00Z');
    expect(res.body.items.map((x: any) => x.id)).toEqual([a2.id]);
    res = await q('from=2026-09-10T00:00:00Z&to=2026-09-11T00:00:00Z');
    expect(res.body.items.map((x: any) => x.id)).toEqual([late.id]);
    res = await q(`recruiterId=${r.id}`);
    expect(res.body.items.map((x: any) => x.id)).toEqual([a1.id, a3.id]);
    expect(res.body.items[0].recruiterIds).toEqual([r.id]);
    res = await q('status=planned,confirmed&kind=career_fair');
    expect(res.body.items.map((x: any) => x.id)).toEqual([a1.id, late.id]);
    res = await q(`institutionId=${i2.id}`);
    expect(res.body.items.map((x: any) => x.id)).toEqual([a2.id]);
    const bad = await t.http().get('/appearances?from=yesterday&status=open&order=up').set(t.auth(hr)).expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['from', 'order', 'status']);
  });
});
