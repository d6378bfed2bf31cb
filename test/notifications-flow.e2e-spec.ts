import { DAY_MS } from '../src/common/time';
import { dispatcher, invitation, rows, withMail } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

/** The same flows through the real appearances API: the outbox rows commit with the appearance's transaction. */
describe('notifications through the appearances API', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createTestApp({ now: '2026-02-20T12:00:00Z', override: withMail({ smtpUrl: smtp.url }) });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('create → briefings queued (per-appearance offsets); move → same rows moved and SEQUENCE 1 invitation; cancel → withdrawn and METHOD:CANCEL', async () => {
    const office = await t.factories.office({ timeZone: 'America/Chicago' });
    const coord = await t.factories.user('coordinator', { officeId: office.id });
    const rec = await t.factories.user('recruiter', { officeId: office.id });
    const inst = await t.factories.institution({ timeZone: 'America/Chicago' });
    const created = await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send({
        institutionId: inst.id,
        officeId: office.id,
        kind: 'info_session',
        title: 'Info session',
        startsAt: '2026-03-12T09:00:00-05:00',
        endsAt: '2026-03-12T11:00:00-05:00',
        venue: 'Hall B',
        format: 'in_person',
        audience: 'public',
        recruiterIds: [rec.id],
        briefingOffsets: [7 * 1440, 120],
      })
      .expect(201);
    const id = created.body.id as string;
    const queued = await rows(t, { appearanceId: id, kind: 'briefing' });
    expect(queued).toHaveLength(4);
    expect(new Set(queued.map((n) => n.recipientId))).toEqual(new Set([coord.id, rec.id]));
    expect([...new Set(queued.map((n) => new Date(n.dueAt).toISOString()))].sort()).toEqual([
      '2026-03-05T15:00:00.000Z', // 09:00 CST a week before
      '2026-03-12T12:00:00.000Z', // 07:00 CDT, two hours before (DST began 8 March)
    ]);

    t.clock.set('2026-02-21T12:00:00Z');
    await t.http().patch(`/appearances/${id}`).set(t.auth(rec)).send({ date: '2026-03-19', version: created.body.version }).expect(200);
    const moved = await rows(t, { appearanceId: id, kind: 'briefing' });
    expect(moved.map((n) => n.id).sort()).toEqual(queued.map((n) => n.id).sort());
    expect([...new Set(moved.map((n) => new Date(n.dueAt).toISOString()))].sort()).toEqual(['2026-03-12T14:00:00.000Z', '2026-03-19T12:00:00.000Z']);
    await dispatcher(t).dispatchDue(t.clock.now());
    const inv = smtp.messages.filter((m) => m.parsed.subject?.includes('Moved'));
    expect(inv.map((m) => m.rcptTo[0]).sort()).toEqual([coord.email, rec.email].sort());
    expect(invitation(inv[0])).toMatchObject({ method: 'REQUEST', uid: `${id}@forewarn`, sequence: 1 });

    smtp.clear();
    t.clock.advance(DAY_MS);
    await t.http().post(`/appearances/${id}/cancel`).set(t.auth(rec)).send({ reason: 'Host postponed' }).expect(200);
    expect((await rows(t, { appearanceId: id, kind: 'briefing' })).every((n) => n.status === 'withdrawn')).toBe(true);
    await dispatcher(t).dispatchDue(t.clock.now());
    expect(smtp.messages).toHaveLength(2);
    expect(invitation(smtp.messages[0])).toMatchObject({ method: 'CANCEL', uid: `${id}@forewarn`, sequence: 2, status: 'CANCELLED' });
    smtp.clear();
    expect((await dispatcher(t).dispatchDue(Date.parse('2026-03-19T12:00:00Z'))).sent).toBe(0);
  });

  it('unassigning a recruiter withdraws their briefings and sends them a cancellation for the same UID', async () => {
    t.clock.set('2026-04-01T12:00:00Z');
    const office = await t.factories.office({ timeZone: 'America/New_York' });
    const stay = await t.factories.user('recruiter', { officeId: office.id });
    const leave = await t.factories.user('recruiter', { officeId: office.id });
    const inst = await t.factories.institution();
    const created = await t
      .http()
      .post('/appearances')
      .set(t.auth(stay))
      .send({
        institutionId: inst.id,
        officeId: office.id,
        kind: 'campus_visit',
        title: 'Campus visit',
        startsAt: '2026-04-20T10:00:00-04:00',
        endsAt: '2026-04-20T12:00:00-04:00',
        format: 'in_person',
        audience: 'invite_only',
        recruiterIds: [stay.id, leave.id],
      })
      .expect(201);
    const id = created.body.id as string;
    expect(await rows(t, { appearanceId: id, recipientId: leave.id, status: 'pending' })).toHaveLength(3);
    smtp.clear();
    await t
      .http()
      .patch(`/appearances/${id}`)
      .set(t.auth(stay))
      .send({ recruiterIds: [stay.id], version: 1 })
      .expect(200);
    expect((await rows(t, { appearanceId: id, recipientId: leave.id, kind: 'briefing' })).every((n) => n.status === 'withdrawn')).toBe(true);
    expect(await rows(t, { appearanceId: id, recipientId: stay.id, kind: 'briefing', status: 'pending' })).toHaveLength(3);
    await dispatcher(t).dispatchDue(t.clock.now());
    expect(smtp.messages.map((m) => m.rcptTo[0])).toEqual([leave.email]);
    expect(invitation(smtp.messages[0])).toMatchObject({ method: 'CANCEL', uid: `${id}@forewarn`, sequence: 1 });
  });

  it('an announced protest raises the level through the risk engine and escalates at once, in the same transaction', async () => {
    t.clock.set('2026-05-01T12:00:00Z');
    const office = await t.factories.office({ timeZone: 'America/New_York' });
    const coord = await t.factories.user('coordinator', { officeId: office.id });
    const rec = await t.factories.user('recruiter', { officeId: office.id });
    const inst = await t.factories.institution();
    const created = await t
      .http()
      .post('/appearances')
      .set(t.auth(rec))
      .send({
        institutionId: inst.id,
        officeId: office.id,
        kind: 'training',
        title: 'Quiet training',
        startsAt: '2026-05-30T10:00:00-04:00',
        endsAt: '2026-05-30T12:00:00-04:00',
        format: 'virtual',
        audience: 'invite_only',
        recruiterIds: [rec.id],
      })
      .expect(201);
    const before = created.body.risk.level as string;
    expect(['low', 'moderate']).toContain(before);
    const raised = await t.http().patch(`/appearances/${created.body.id}`).set(t.auth(rec)).send({ protestAnnounced: true, version: 1 }).expect(200);
    expect(['high', 'critical']).toContain(raised.body.risk.level);
    const esc = await rows(t, { appearanceId: created.body.id, kind: 'escalation' });
    expect(esc.map((n) => n.recipientId).sort()).toEqual([coord.id, rec.id].sort());
    expect(esc[0].assessmentId).toBe(raised.body.risk.id);
    smtp.clear();
    await dispatcher(t).dispatchDue(t.clock.now());
    const mail = smtp.to(rec.email).find((m) => m.parsed.subject?.includes('Risk rose'))!;
    expect(mail.parsed.subject).toContain(`from ${before[0].toUpperCase()}${before.slice(1)} to`);
    expect(mail.parsed.text).toMatch(/notifications\/ack\?token=/);
  });
});
