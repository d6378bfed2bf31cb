import { Institution } from '../src/institutions/institution.entity';
import { Notification } from '../src/notifications/notification.entity';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, TestApp } from './helpers/test-app';

type H = { Authorization: string };
const NY = 'America/New_York';
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('appearance edits', () => {
  let t: TestApp;
  let office: Office, otherOffice: Office, inst: Institution;
  let admin: User, coord: User, rec: User;
  let asRec: H, asAdmin: H;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
    office = await t.factories.office({ timeZone: NY });
    otherOffice = await t.factories.office();
    inst = await t.factories.institution({ name: 'Edit State University', timeZone: NY });
    admin = await t.factories.user('admin');
    coord = await t.factories.user('coordinator', { officeId: office.id });
    rec = await t.factories.user('recruiter', { officeId: office.id });
    asRec = t.auth(rec);
    asAdmin = t.auth(admin);
  });
  afterAll(() => t.close());

  const recruiter = (displayName?: string) => t.factories.user('recruiter', { officeId: office.id, ...(displayName ? { displayName } : {}) });

  const body = (o: Record<string, unknown>) => ({
    institutionId: inst.id,
    kind: 'info_session',
    title: 'Edit info session',
    venue: 'Edit Hall',
    format: 'in_person',
    audience: 'public',
    expectedAttendance: 300,
    visibleBranding: true,
    ...o,
  });

  const create = async (o: Record<string, unknown>) => (await t.http().post('/appearances').set(asRec).send(body(o)).expect(201)).body;
  const patch = (id: string, send: Record<string, unknown>, as: H = asRec) => t.http().patch(`/appearances/${id}`).set(as).send(send);
  const updates = async (id: string) => (await t.http().get(`/audit?entityType=appearance&entityId=${id}&action=update`).set(asAdmin).expect(200)).body.total;

  it('a PATCH that changes nothing returns the appearance unchanged: same version and sequence, no audit entry', async () => {
    const r = await recruiter();
    const a = await create({ startsAt: '2026-05-04T10:00:00-04:00', endsAt: '2026-05-04T12:00:00-04:00', recruiterIds: [r.id] });
    const res = await patch(a.id, {
      title: 'Edit info session',
      venue: 'Edit Hall',
      expectedAttendance: 300,
      startsAt: '2026-05-04T14:00:00.000Z',
      endsAt: '2026-05-04T16:00:00.000Z',
      recruiterIds: [r.id],
      institutionId: inst.id,
      officeId: office.id,
      version: 1,
    }).expect(200);
    expect(res.body).toMatchObject({ id: a.id, version: 1, sequence: 0, title: 'Edit info session', recruiterIds: [r.id] });
    expect(res.headers.etag).toBe('"1"');
    expect(await updates(a.id)).toBe(0);
    const got = await t.http().get(`/appearances/${a.id}`).set(asRec).expect(200);
    expect(got.body).toMatchObject({ version: 1, sequence: 0, updatedAt: a.updatedAt });
  });

  it('PATCH with the recruiters in another order than stored is no change', async () => {
    const [r1, r2, r3] = [await recruiter(), await recruiter(), await recruiter()];
    const a = await create({ startsAt: '2026-05-05T10:00:00-04:00', endsAt: '2026-05-05T12:00:00-04:00', recruiterIds: [r1.id, r2.id, r3.id] });
    const stored: string[] = a.recruiterIds;
    expect([...stored].sort()).toEqual([r1.id, r2.id, r3.id].sort());
    const res = await patch(a.id, { recruiterIds: [...stored].reverse() }).expect(200);
    expect(res.body).toMatchObject({ version: 1, sequence: 0, recruiterIds: stored });
    expect(await updates(a.id)).toBe(0);
  });

  it("DOUBLE_BOOKED names the other booking in full: every clash field, the top-level summary and the recruiter's field", async () => {
    const dana = await recruiter('Dana Clashfield');
    const other = await recruiter();
    const first = await create({ title: 'Clash target session', startsAt: '2026-04-10T09:00:00-04:00', endsAt: '2026-04-10T11:00:00-04:00', recruiterIds: [dana.id] });
    const b = await create({ title: 'Later session', startsAt: '2026-04-10T13:00:00-04:00', endsAt: '2026-04-10T14:00:00-04:00', recruiterIds: [other.id] });
    const res = await patch(b.id, { startsAt: '2026-04-10T10:00:00-04:00', endsAt: '2026-04-10T12:00:00-04:00', recruiterIds: [other.id, dana.id] }).expect(409);
    const startsLocal = 'Friday 10 April 2026, 09:00 EDT (America/New_York)';
    const endsLocal = 'Friday 10 April 2026, 11:00 EDT (America/New_York)';
    expect(res.body.code).toBe('DOUBLE_BOOKED');
    expect(res.body.message).toBe(`Dana Clashfield is already booked for "Clash target session" from ${startsLocal} until ${endsLocal}; send allowDoubleBooking: true to book anyway`);
    expect(res.body.details).toEqual({
      clashes: [
        {
          appearanceId: first.id,
          title: 'Clash target session',
          startsAt: '2026-04-10T13:00:00.000Z',
          endsAt: '2026-04-10T15:00:00.000Z',
          startsLocal,
          endsLocal,
          recruiterId: dana.id,
          recruiterName: 'Dana Clashfield',
        },
      ],
      appearanceId: first.id,
      title: 'Clash target session',
      startsAt: '2026-04-10T13:00:00.000Z',
      endsAt: '2026-04-10T15:00:00.000Z',
    });
    expect(res.body.fields).toEqual({ recruiterIds: `Dana Clashfield is booked for "Clash target session" at that time (${startsLocal})` });
    // nothing was written
    const got = await t.http().get(`/appearances/${b.id}`).set(asRec).expect(200);
    expect(got.body).toMatchObject({ version: 1, startsAt: '2026-04-10T17:00:00.000Z', recruiterIds: [other.id] });
  });

  it('rescheduling onto a slot overlapping its own old slot is not a clash with itself', async () => {
    const r = await recruiter();
    const a = await create({ startsAt: '2026-04-20T09:00:00-04:00', endsAt: '2026-04-20T11:00:00-04:00', recruiterIds: [r.id] });
    const res = await patch(a.id, { startsAt: '2026-04-20T10:00:00-04:00', endsAt: '2026-04-20T12:00:00-04:00' }).expect(200);
    expect(res.body).toMatchObject({ startsAt: '2026-04-20T14:00:00.000Z', endsAt: '2026-04-20T16:00:00.000Z', version: 2, sequence: 1, recruiterIds: [r.id] });
    // adding a recruiter (a clash check without a time change) does not clash with itself either
    const r2 = await recruiter();
    const more = await patch(a.id, { recruiterIds: [r.id, r2.id] }).expect(200);
    expect(more.body).toMatchObject({ version: 3, sequence: 2, recruiterIds: [r.id, r2.id].sort() });
  });

  it('only an admin moves an appearance to another office; an unknown office is a 404 naming officeId', async () => {
    const a = await create({ startsAt: '2026-05-06T10:00:00-04:00', endsAt: '2026-05-06T12:00:00-04:00' });
    let res = await patch(a.id, { officeId: otherOffice.id }, t.auth(coord)).expect(403);
    expect(res.body).toMatchObject({ code: 'OTHER_OFFICE', message: 'Only an admin can move an appearance to another office' });
    res = await patch(a.id, { officeId: MISSING }, asAdmin).expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', fields: { officeId: `Office ${MISSING} does not exist` }, details: { entity: 'Office', id: MISSING } });
    expect(Object.keys(res.body.fields)).toEqual(['officeId']);
    expect(await updates(a.id)).toBe(0);
    res = await patch(a.id, { officeId: otherOffice.id }, asAdmin).expect(200);
    // the office is not in the calendar invitation: a new version, the same sequence
    expect(res.body).toMatchObject({ officeId: otherOffice.id, version: 2, sequence: 0 });
  });

  it("moving to another host re-checks the new host's advance notice and warns when its zone differs from the venue's", async () => {
    const strict = await t.factories.institution({ name: 'Strict Notice College', timeZone: NY, requiresAdvanceNotice: true, advanceNoticeDays: 60 });
    const chicago = await t.factories.institution({ name: 'Lakeshore Chicago College', timeZone: 'America/Chicago' });
    const a = await create({ startsAt: '2026-02-20T10:00:00-05:00', endsAt: '2026-02-20T12:00:00-05:00' });
    let res = await patch(a.id, { institutionId: strict.id }).expect(422);
    expect(res.body).toMatchObject({
      code: 'ADVANCE_NOTICE',
      fields: { startsAt: "is inside the host's 60-day notice period (deadline 2025-12-22T15:00:00.000Z)" },
      details: { institutionId: strict.id, advanceNoticeDays: 60, deadline: '2025-12-22T15:00:00.000Z' },
    });
    expect(res.body.message).toBe(
      "Strict Notice College requires 60 days' advance notice: for an appearance starting Friday 20 February 2026, 10:00 EST (America/New_York) the host had to be told by Monday 22 December 2025, 10:00 EST (America/New_York); send allowShortNotice: true to book anyway",
    );
    res = await patch(a.id, { institutionId: chicago.id }).expect(200);
    expect(res.body).toMatchObject({ institutionId: chicago.id, timeZone: NY, version: 2, sequence: 1 });
    expect(res.body.warnings).toEqual([
      {
        code: 'VENUE_ZONE_DIFFERS',
        message: "The venue's time zone America/New_York differs from Lakeshore Chicago College's (America/Chicago); check that the local times are meant in America/New_York",
      },
    ]);
    // back to a host in the venue's zone: no warning
    res = await patch(a.id, { institutionId: inst.id }).expect(200);
    expect(res.body).toMatchObject({ institutionId: inst.id, version: 3, warnings: [] });
  });

  it('rescheduling past the notice deadline with allowShortNotice warns and keeps the deadline; moving back out of the notice period clears it', async () => {
    const dmv = await t.factories.institution({ name: 'Edit DMV Albany', timeZone: NY, requiresAdvanceNotice: true, advanceNoticeDays: 10 });
    const a = await create({ institutionId: dmv.id, startsAt: '2026-03-10T10:00:00-04:00', endsAt: '2026-03-10T12:00:00-04:00' });
    expect(a.risk.shortNotice).toBeNull();
    const soon = { startsAt: '2026-01-20T10:00:00-05:00', endsAt: '2026-01-20T12:00:00-05:00' };
    let res = await patch(a.id, soon).expect(422);
    expect(res.body).toMatchObject({ code: 'ADVANCE_NOTICE', details: { institutionId: dmv.id, advanceNoticeDays: 10, deadline: '2026-01-10T15:00:00.000Z' } });
    res = await patch(a.id, { ...soon, allowShortNotice: true }).expect(200);
    expect(res.body.warnings).toEqual([
      {
        code: 'SHORT_NOTICE',
        message:
          "Edit DMV Albany requires 10 days' advance notice: for an appearance starting Tuesday 20 January 2026, 10:00 EST (America/New_York) the host had to be told by Saturday 10 January 2026, 10:00 EST (America/New_York); booked anyway (allowShortNotice). Ask the host for a written reconfirmation before you travel.",
      },
    ]);
    const kept = { deadline: '2026-01-10T15:00:00.000Z', advanceNoticeDays: 10, timeZone: NY };
    expect(res.body.risk.shortNotice).toEqual(kept);
    expect((await t.http().get(`/appearances/${a.id}`).set(asRec).expect(200)).body.risk.shortNotice).toEqual(kept);
    res = await patch(a.id, { startsAt: '2026-03-10T10:00:00-04:00', endsAt: '2026-03-10T12:00:00-04:00' }).expect(200);
    expect(res.body.warnings).toEqual([]);
    expect(res.body.risk.shortNotice).toBeNull();
    expect((await t.http().get(`/appearances/${a.id}`).set(asRec).expect(200)).body.risk.shortNotice).toBeNull();
  });

  it('refuses to change a cancelled or completed appearance: 409 APPEARANCE_CLOSED with its status', async () => {
    const c = await create({ startsAt: '2026-05-07T10:00:00-04:00', endsAt: '2026-05-07T12:00:00-04:00' });
    await t.http().post(`/appearances/${c.id}/cancel`).set(asRec).send({}).expect(200);
    let res = await patch(c.id, { venue: 'Elsewhere' }).expect(409);
    expect(res.body).toMatchObject({ code: 'APPEARANCE_CLOSED', message: `Appearance ${c.id} is cancelled; it can no longer be changed`, details: { status: 'cancelled' } });
    const d = await create({ startsAt: '2026-01-16T10:00:00-05:00', endsAt: '2026-01-16T12:00:00-05:00' });
    await t.http().post(`/appearances/${d.id}/confirm`).set(asRec).send({}).expect(200);
    t.clock.set('2026-01-16T18:00:00Z');
    try {
      await t.http().post(`/appearances/${d.id}/complete`).set(asRec).send({}).expect(200);
      res = await patch(d.id, { venue: 'Elsewhere' }).expect(409);
      expect(res.body).toMatchObject({ code: 'APPEARANCE_CLOSED', message: `Appearance ${d.id} is completed; it can no longer be changed`, details: { status: 'completed' } });
    } finally {
      t.clock.set('2026-01-15T12:00:00Z');
    }
    expect(await updates(c.id)).toBe(0);
    expect(await updates(d.id)).toBe(0);
  });

  it('raises the calendar sequence by one for a visible change or a recruiter change, not for an invisible one', async () => {
    const r1 = await recruiter();
    const r2 = await recruiter();
    const a = await create({ startsAt: '2026-05-08T10:00:00-04:00', endsAt: '2026-05-08T12:00:00-04:00', recruiterIds: [r1.id] });
    const steps: [Record<string, unknown>, number, number][] = [
      [{ title: 'Renamed fair' }, 2, 1],
      [{ venue: 'Main Hall' }, 3, 2],
      [{ expectedAttendance: 450 }, 4, 2],
      [{ audience: 'invite_only' }, 5, 2],
      [{ visibleBranding: false }, 6, 2],
      [{ recruiterIds: [r1.id, r2.id] }, 7, 3],
      [{ startsAt: '2026-05-08T09:00:00-04:00' }, 8, 4],
      [{ format: 'virtual' }, 9, 5],
    ];
    for (const [change, version, sequence] of steps) {
      const res = await patch(a.id, change).expect(200);
      expect({ change, version: res.body.version, sequence: res.body.sequence }).toEqual({ change, version, sequence });
    }
    expect(await updates(a.id)).toBe(8);
  });

  it('a PATCH passes the privacy guard like a create: a name in the title is refused naming the field, a street address is a venue', async () => {
    const a = await create({ startsAt: '2026-05-11T10:00:00-04:00', endsAt: '2026-05-11T12:00:00-04:00' });
    const res = await patch(a.id, { title: 'Fair with jane.doe@example.com' }).expect(422);
    expect(res.body).toMatchObject({ code: 'PERSONAL_DATA', fields: { title: 'contains an e-mail address — offending span "jane.doe@example.com"' } });
    const venue = await patch(a.id, { venue: 'Student Center, 1200 Main Street' }).expect(200);
    expect(venue.body).toMatchObject({ venue: 'Student Center, 1200 Main Street', version: 2 });
    expect(await updates(a.id)).toBe(1);
  });

  it('adding a recruiter by PATCH checks that they can be assigned: a disabled one is refused naming the field, nothing written', async () => {
    const r = await recruiter();
    const gone = await recruiter();
    await t.db.getRepository(User).update({ id: gone.id }, { active: false });
    const a = await create({ startsAt: '2026-05-12T10:00:00-04:00', endsAt: '2026-05-12T12:00:00-04:00', recruiterIds: [r.id] });
    const res = await patch(a.id, { recruiterIds: [r.id, gone.id] }).expect(422);
    expect(res.body).toMatchObject({ code: 'RECRUITER_NOT_ASSIGNABLE', fields: { 'recruiterIds[1]': `user ${gone.id} is disabled` } });
    expect((await t.http().get(`/appearances/${a.id}`).set(asRec).expect(200)).body).toMatchObject({ version: 1, recruiterIds: [r.id] });
  });

  it('moving only the end, or only the start, into another booking is a clash; a venue change on an allowed double booking is not re-checked', async () => {
    const r = await recruiter();
    await create({ title: 'Noon session', startsAt: '2026-05-13T12:00:00-04:00', endsAt: '2026-05-13T13:00:00-04:00', recruiterIds: [r.id] });
    const a = await create({ startsAt: '2026-05-13T09:00:00-04:00', endsAt: '2026-05-13T11:00:00-04:00', recruiterIds: [r.id] });
    // only endsAt changes (the start stays)
    let res = await patch(a.id, { endsAt: '2026-05-13T12:30:00-04:00' }).expect(409);
    expect(res.body).toMatchObject({ code: 'DOUBLE_BOOKED', details: { title: 'Noon session' } });
    const b = await create({ startsAt: '2026-05-13T13:00:00-04:00', endsAt: '2026-05-13T15:00:00-04:00', recruiterIds: [r.id] });
    // only startsAt changes (the end is sent as it is)
    res = await patch(b.id, { startsAt: '2026-05-13T12:30:00-04:00', endsAt: '2026-05-13T15:00:00-04:00' }).expect(409);
    expect(res.body).toMatchObject({ code: 'DOUBLE_BOOKED', details: { title: 'Noon session' } });
    // booked over the clash on purpose, then renamed: the rename is not refused for the clash it was allowed
    await patch(b.id, { startsAt: '2026-05-13T12:30:00-04:00', endsAt: '2026-05-13T15:00:00-04:00', allowDoubleBooking: true }).expect(200);
    res = await patch(b.id, { venue: 'Annex' }).expect(200);
    expect(res.body).toMatchObject({ venue: 'Annex', version: 3, warnings: [] });
  });

  it('a change that is not a move keeps the notice and zone judgements: no short-notice refusal, no zone warning, its own assessment', async () => {
    const dmv = await t.factories.institution({ name: 'Edit DMV Troy', timeZone: NY, requiresAdvanceNotice: true, advanceNoticeDays: 10 });
    const a = await create({ institutionId: dmv.id, startsAt: '2026-01-20T10:00:00-05:00', endsAt: '2026-01-20T12:00:00-05:00', timeZone: 'America/Chicago', allowShortNotice: true });
    expect(a.risk.shortNotice).not.toBeNull();
    const res = await patch(a.id, { title: 'Renamed DMV visit' }).expect(200);
    expect(res.body).toMatchObject({ title: 'Renamed DMV visit', version: 2, warnings: [] });
    expect(res.body.risk.shortNotice).toEqual(a.risk.shortNotice);
    // the change is assessed as an update
    const history = (await t.http().get(`/appearances/${a.id}/risk/history`).set(asRec).expect(200)).body.items;
    expect(history.map((h: { trigger: string }) => h.trigger)).toEqual(['appearance_updated', 'appearance_created']);
  });

  it('a zone change that keeps the instants is a move: the zone is judged against the host and the team is told', async () => {
    const r = await recruiter();
    const a = await create({ startsAt: '2026-05-14T10:00:00-04:00', endsAt: '2026-05-14T12:00:00-04:00', recruiterIds: [r.id] });
    // Detroit keeps New York's offsets: the same instants, another zone
    const res = await patch(a.id, { timeZone: 'America/Detroit' }).expect(200);
    expect(res.body).toMatchObject({ timeZone: 'America/Detroit', startsAt: a.startsAt, endsAt: a.endsAt, version: 2, sequence: 1 });
    expect(res.body.warnings).toEqual([
      {
        code: 'VENUE_ZONE_DIFFERS',
        message: "The venue's time zone America/Detroit differs from Edit State University's (America/New_York); check that the local times are meant in America/Detroit",
      },
    ]);
    const moved = await t.db.getRepository(Notification).findBy({ appearanceId: a.id, kind: 'reschedule' });
    // the team (the recruiter and the office's coordinator) is told the old zone
    expect(moved.map((n) => n.recipientId).sort()).toEqual([r.id, coord.id].sort());
    expect(moved.map((n) => n.payload.previousTimeZone)).toEqual([NY, NY]);
  });

  it('several clashes are listed by start and the message names the earliest', async () => {
    const r = await recruiter('Sam Manybookings');
    // booked in another order than their starts (and with random ids): the listing must sort them
    const starts = ['11:00', '09:00', '10:30', '09:30'];
    const made: Record<string, string> = {};
    for (const hm of starts) {
      const end = `${String(Number(hm.slice(0, 2)) + 1).padStart(2, '0')}${hm.slice(2)}`;
      made[hm] = (await create({ title: `Session at ${hm}`, startsAt: `2026-05-15T${hm}:00-04:00`, endsAt: `2026-05-15T${end}:00-04:00`, recruiterIds: [r.id], allowDoubleBooking: true })).id;
    }
    const res = await t
      .http()
      .post('/appearances')
      .set(asRec)
      .send(body({ startsAt: '2026-05-15T08:00:00-04:00', endsAt: '2026-05-15T13:00:00-04:00', recruiterIds: [r.id] }))
      .expect(409);
    expect(res.body.details.clashes.map((c: { title: string }) => c.title)).toEqual(['Session at 09:00', 'Session at 09:30', 'Session at 10:30', 'Session at 11:00']);
    expect(res.body.details.appearanceId).toBe(made['09:00']);
    expect(res.body.message).toMatch(/^Sam Manybookings is already booked for "Session at 09:00"/);
  });

  it('removing one recruiter and adding another in one PATCH leaves exactly the new set', async () => {
    const [r1, r2, r3] = [await recruiter(), await recruiter(), await recruiter()];
    const a = await create({ startsAt: '2026-05-09T10:00:00-04:00', endsAt: '2026-05-09T12:00:00-04:00', recruiterIds: [r1.id, r2.id] });
    const res = await patch(a.id, { recruiterIds: [r3.id, r1.id] }).expect(200);
    const want = [r1.id, r3.id].sort();
    expect(res.body).toMatchObject({ recruiterIds: want, version: 2, sequence: 1 });
    const got = await t.http().get(`/appearances/${a.id}`).set(asRec).expect(200);
    expect(got.body.recruiterIds).toEqual(want);
  });
});
