import { HOUR_MS } from '../src/common/time';
import { Notification } from '../src/notifications/notification.entity';
import { dispatcher, scheduler, withMail } from './helpers/notifications';
import { decode, linkIn } from './helpers/pages';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

/** Planning rules (creator assigned, advance notice, double-booking words, ambiguous times, venue zone) and the mail fixes that go with them. */
describe('planning rules and the mail they cause', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createTestApp({ now: '2026-03-02T15:00:00Z', override: withMail({ smtpUrl: smtp.url }) });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  beforeEach(() => smtp.clear());

  let n = 0;
  async function team() {
    n++;
    const office = await t.factories.office({ timeZone: 'America/New_York' });
    const coord = await t.factories.user('coordinator', { officeId: office.id, displayName: 'Casey Coordinator' });
    const rec = await t.factories.user('recruiter', { officeId: office.id, displayName: 'Robin Recruiter' });
    const inst = await t.factories.institution({ name: `Hudson Valley College ${n}`, city: 'Albany', state: 'NY', timeZone: 'America/New_York' });
    return { office, coord, rec, inst };
  }
  const body = (instId: string, extra: Record<string, unknown> = {}) => ({
    institutionId: instId,
    kind: 'info_session',
    title: 'Info session',
    startsLocal: '2026-03-10T10:00',
    endsLocal: '2026-03-10T12:00',
    format: 'in_person',
    audience: 'public',
    ...extra,
  });

  it('a recruiter who plans an appearance is on it, and the answer says so', async () => {
    const { rec, inst } = await team();
    const res = await t.http().post('/appearances').set(t.auth(rec)).send(body(inst.id)).expect(201);
    expect(res.body.recruiterIds).toEqual([rec.id]);
    expect(res.body.warnings).toEqual([expect.objectContaining({ code: 'CREATOR_ASSIGNED' })]);
    const none = await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(inst.id, { startsLocal: '2026-03-11T10:00', endsLocal: '2026-03-11T12:00', recruiterIds: [] }))
      .expect(201);
    expect(none.body.recruiterIds).toEqual([]);
    expect(none.body.warnings).toEqual([]);
  });

  it('already High when planned 8 days ahead: one mail per person, subject "(8 days before)", one acknowledge link, and why it is High at a low chance', async () => {
    const { coord, rec, inst } = await team();
    await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(inst.id, { protestAnnounced: true }))
      .expect(201);
    await dispatcher(t).dispatchDue(t.clock.now());
    const mine = smtp.messages.filter((m) => m.rcptTo.includes(rec.email));
    expect(mine).toHaveLength(1);
    expect(smtp.messages.filter((m) => m.rcptTo.includes(coord.email))).toHaveLength(1);
    expect(mine[0].parsed.subject).toContain('Briefing (8 days before)');
    expect(mine[0].parsed.subject).not.toContain('14 days');
    const text = mine[0].parsed.text ?? '';
    expect(text.match(/notifications\/ack\?token=/g)).toHaveLength(1);
    expect(text).toMatch(/(High|Critical) because a protest against this appearance has been announced — a rule that sets the level whatever the estimated chance \((under )?[\d.]+%\)/);
  });

  it("the host's advance notice: 422 naming the deadline, unless overridden (then a warning)", async () => {
    const { rec } = await team();
    const dmv = await t.factories.institution({ name: 'NY DMV Albany', state: 'NY', timeZone: 'America/New_York', requiresAdvanceNotice: true, advanceNoticeDays: 10 });
    const soon = body(dmv.id, { startsLocal: '2026-03-05T10:00', endsLocal: '2026-03-05T12:00' });
    const refused = await t.http().post('/appearances').set(t.auth(rec)).send(soon).expect(422);
    expect(refused.body.code).toBe('ADVANCE_NOTICE');
    expect(refused.body.message).toContain("NY DMV Albany requires 10 days' advance notice");
    expect(refused.body.message).toContain('had to be told by Monday 23 February 2026, 10:00 EST (America/New_York)');
    expect(refused.body.fields.startsAt).toMatch(/10-day notice period/);
    expect(await t.db.getRepository(Notification).count({ where: { recipientId: rec.id } })).toBe(0);
    const ok = await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send({ ...soon, allowShortNotice: true })
      .expect(201);
    expect(ok.body.warnings.map((w: { code: string }) => w.code)).toEqual(['CREATOR_ASSIGNED', 'SHORT_NOTICE']);
    await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(dmv.id, { startsLocal: '2026-03-20T10:00', endsLocal: '2026-03-20T12:00' }))
      .expect(201);
  });

  it('booked past the notice deadline: a rule-based risk factor and a mitigation, in the answer, the briefing mail and the appearance page', async () => {
    const { rec } = await team();
    const dmv = await t.factories.institution({ name: 'NY DMV Schenectady', state: 'NY', timeZone: 'America/New_York', requiresAdvanceNotice: true, advanceNoticeDays: 10 });
    const soon = body(dmv.id, { title: 'Licensing info session', startsLocal: '2026-03-05T10:00', endsLocal: '2026-03-05T12:00', allowShortNotice: true });
    const ok = await t.http().post('/appearances').set(t.auth(rec)).send(soon).expect(201);
    const reason = "Booked inside the host's 10-day advance-notice period (the host had to be told by Monday 23 February 2026, 10:00 EST (America/New_York))";
    expect(ok.body.risk.overrides).toContain('short_notice');
    expect(ok.body.risk.shortNotice).toEqual({ deadline: '2026-02-23T15:00:00.000Z', advanceNoticeDays: 10, timeZone: 'America/New_York' });
    expect(['moderate', 'high', 'critical']).toContain(ok.body.risk.level);
    expect(ok.body.risk.reasons.some((r: string) => r.startsWith(reason))).toBe(true);
    expect(ok.body.risk.mitigations.map((m: { id: string }) => m.id)).toContain('host_short_notice_consent');
    // the same booking in time: no such factor
    const inTime = await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(dmv.id, { startsLocal: '2026-03-20T10:00', endsLocal: '2026-03-20T12:00' }))
      .expect(201);
    expect(inTime.body.risk.overrides).not.toContain('short_notice');
    expect(inTime.body.risk.shortNotice).toBeNull();
    expect(inTime.body.risk.mitigations.map((m: { id: string }) => m.id)).not.toContain('host_short_notice_consent');

    // the briefing counted back from the start is due now (3 days before): the mail says it
    await dispatcher(t).dispatchDue(t.clock.now());
    const mail = smtp.messages.find((m) => m.rcptTo.includes(rec.email) && /Licensing info session/.test(m.parsed.subject ?? ''));
    if (!mail) throw new Error(`no briefing for the recruiter: ${smtp.messages.map((m) => m.parsed.subject).join(' | ')}`);
    const text = mail.parsed.text ?? '';
    expect(text).toContain(reason);
    expect(text).toContain('Confirm with the host in writing that they accept the short notice');
    expect(text).toContain("Host's advance notice: 10 days required; booked after the deadline, Monday 23 February 2026, 10:00 EST (America/New_York)");
    expect(String(mail.parsed.html)).toContain('Confirm with the host in writing that they accept the short notice');

    // the appearance page the mail links to shows the reason, the evidence and the checklist item to tick
    const page = await t
      .http()
      .get(linkIn(mail, /Open the appearance in Forewarn/))
      .expect(200);
    expect(decode(page.text)).toContain(reason);
    expect(decode(page.text)).toContain("Host's advance notice");
    expect(page.text).toContain('value="host_short_notice_consent"');

    // moved to a date the host has enough notice for: the factor goes with the next assessment
    const moved = await t.http().patch(`/appearances/${ok.body.id}`).set(t.auth(rec)).send({ startsLocal: '2026-03-25T10:00', endsLocal: '2026-03-25T12:00', version: ok.body.version }).expect(200);
    expect(moved.body.risk.overrides).not.toContain('short_notice');
    expect(moved.body.risk.shortNotice).toBeNull();
  });

  it('double-booking: 409 names the person and the local times', async () => {
    const { rec, inst } = await team();
    await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(inst.id, { title: 'Morning fair', startsLocal: '2026-03-12T09:00', endsLocal: '2026-03-12T12:00' }))
      .expect(201);
    const res = await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(inst.id, { startsLocal: '2026-03-12T11:00', endsLocal: '2026-03-12T13:00' }))
      .expect(409);
    expect(res.body.message).toBe(
      'Robin Recruiter is already booked for "Morning fair" from Thursday 12 March 2026, 09:00 EDT (America/New_York) until Thursday 12 March 2026, 12:00 EDT (America/New_York); send allowDoubleBooking: true to book anyway',
    );
    expect(res.body.fields.recruiterIds).toContain('Robin Recruiter');
  });

  it('an ambiguous local time (clocks going back) is refused with both readings', async () => {
    const { rec, inst } = await team();
    const res = await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(inst.id, { startsLocal: '2026-11-01T01:30', endsLocal: '2026-11-01T03:00' }))
      .expect(400);
    expect(res.body.code).toBe('AMBIGUOUS_LOCAL_TIME');
    expect(res.body.fields.startsLocal).toContain('2026-11-01T01:30:00-04:00 (EDT)');
    expect(res.body.fields.startsLocal).toContain('2026-11-01T01:30:00-05:00 (EST)');
  });

  it("a venue zone other than the institution's is booked with a warning", async () => {
    const { rec, inst } = await team();
    const res = await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(inst.id, { timeZone: 'America/Chicago', recruiterIds: [] }))
      .expect(201);
    expect(res.body.warnings).toEqual([{ code: 'VENUE_ZONE_DIFFERS', message: expect.stringContaining(`America/Chicago differs from ${inst.name}'s (America/New_York)`) }]);
  });

  it('"Moved" gives the old and the new local time', async () => {
    const { rec, inst } = await team();
    const a = await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(inst.id, { startsLocal: '2026-04-10T10:00', endsLocal: '2026-04-10T12:00' }))
      .expect(201);
    await t.http().patch(`/appearances/${a.body.id}`).set(t.auth(rec)).send({ startsLocal: '2026-04-14T15:00', endsLocal: '2026-04-14T16:00', version: a.body.version }).expect(200);
    await dispatcher(t).dispatchDue(t.clock.now());
    const moved = smtp.messages.find((m) => m.rcptTo.includes(rec.email) && /Moved/.test(m.parsed.subject ?? ''))!;
    expect(moved.parsed.text).toContain('Was: Friday 10 April 2026, 10:00 EDT (America/New_York)');
    expect(moved.parsed.text).toContain('Now: Tuesday 14 April 2026, 15:00 EDT (America/New_York)');
    expect(moved.parsed.html).toContain('from Friday 10 April 2026, 10:00 EDT (America/New_York) to <strong>Tuesday 14 April 2026, 15:00 EDT (America/New_York)</strong>');
  });

  it('the unacknowledged-warning alert names who has not acknowledged', async () => {
    t.clock.set('2026-05-01T12:00:00Z');
    const { coord, rec, inst } = await team();
    await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send(body(inst.id, { startsLocal: '2026-05-06T10:00', endsLocal: '2026-05-06T12:00', protestAnnounced: true }))
      .expect(201);
    await dispatcher(t).dispatchDue(t.clock.now());
    smtp.clear();
    t.clock.advance(13 * HOUR_MS);
    await scheduler(t).runScheduler(t.clock.now());
    await dispatcher(t).dispatchDue(t.clock.now());
    const alert = smtp.messages.find((m) => m.rcptTo.includes(coord.email) && /Not acknowledged/.test(m.parsed.subject ?? ''))!;
    expect(alert.parsed.text).toContain('Not acknowledged by: Casey Coordinator and Robin Recruiter.');
    expect(alert.parsed.text).not.toContain('people');
  });
});
