import { randomUUID } from 'node:crypto';
import { DomainEvents } from '../src/common/domain-events';
import { DAY_MS, HOUR_MS } from '../src/common/time';
import type { Appearance } from '../src/appearances/appearance.entity';
import { User } from '../src/users/user.entity';
import { Notification } from '../src/notifications/notification.entity';
import { assess, dispatcher, emit, header, invitation, rows, scheduler, withMail } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * Alerts end to end: the real app, the real database, a real SMTP server on 127.0.0.1. The clock is
 * injected; every step asks "what is due at T". Appearances come from factories and the domain events
 * are emitted in a transaction exactly as the appearances service does.
 */
describe('notifications: briefings, reschedule, cancellation, escalation, digest, debrief', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let office: { id: string };
  let coord: User;
  let r1: User;
  let r2: User;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createTestApp({ now: '2026-02-20T12:00:00Z', override: withMail({ smtpUrl: smtp.url, backoffBaseMs: 60_000 }) });
    office = await t.factories.office({ timeZone: 'America/New_York' });
    coord = await t.factories.user('coordinator', { officeId: office.id, displayName: 'Cora Coordinator' });
    r1 = await t.factories.user('recruiter', { officeId: office.id, displayName: 'Ray One' });
    r2 = await t.factories.user('recruiter', { officeId: office.id, displayName: 'Rita Two' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  beforeEach(() => smtp.clear());

  async function newAppearance(o: Partial<Appearance> = {}): Promise<Appearance> {
    const inst = await t.factories.institution({ name: `Kent State ${Math.random().toString(36).slice(2, 7)}`, city: 'Kent', state: 'OH' });
    const a = await t.factories.appearance({ officeId: office.id, institutionId: inst.id, title: 'Spring career fair', recruiterIds: [r1.id, r2.id], ...o });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [r1.id, r2.id] });
    return a;
  }

  it('queues briefings at 14d/3d/1d before the LOCAL start (wall clock kept across DST), one per recipient', async () => {
    t.clock.set('2026-02-20T12:00:00Z');
    // Tuesday 10 March 2026 10:00 EDT; DST began Sunday 8 March.
    const a = await newAppearance({ startsAt: Date.parse('2026-03-10T14:00:00Z'), endsAt: Date.parse('2026-03-10T18:00:00Z') });
    const list = await rows(t, { appearanceId: a.id, kind: 'briefing' });
    expect(list).toHaveLength(9);
    expect(new Set(list.map((n) => n.recipientId))).toEqual(new Set([coord.id, r1.id, r2.id]));
    expect([...new Set(list.map((n) => new Date(n.dueAt).toISOString()))].sort()).toEqual([
      '2026-02-24T15:00:00.000Z', // 10:00 EST, 14 days before (one hour "later" in UTC than start − 14×24h)
      '2026-03-07T15:00:00.000Z', // 10:00 EST
      '2026-03-09T14:00:00.000Z', // 10:00 EDT
    ]);
    expect(new Set(list.map((n) => n.idempotencyKey)).size).toBe(9);
    // Replaying the event creates nothing new.
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [r1.id, r2.id] });
    expect(await rows(t, { appearanceId: a.id, kind: 'briefing' })).toHaveLength(9);
    await t.db.query(`UPDATE notifications SET status = 'withdrawn' WHERE appearance_id = '${a.id}'`); // keep later tests' counts exact
  });

  it('sends each due briefing exactly once with the LATEST assessment, local time, reasons, checklist and invitation', async () => {
    t.clock.set('2026-02-20T12:00:00Z');
    const a = await newAppearance({ startsAt: Date.parse('2026-03-10T14:00:00Z'), endsAt: Date.parse('2026-03-10T18:00:00Z'), title: 'DST fair' });
    await assess(t, a.id, 'moderate', 0.3, t.clock.now());
    expect((await dispatcher(t).dispatchDue(Date.parse('2026-02-24T14:59:59Z'))).sent).toBe(0);
    t.clock.set('2026-02-24T14:00:00Z');
    await assess(t, a.id, 'high', 0.55, t.clock.now()); // newer: the briefing must say High
    t.clock.set('2026-02-24T15:00:00Z');
    await scheduler(t).runScheduler(t.clock.now());
    await scheduler(t).runScheduler(t.clock.now());
    const first = await dispatcher(t).dispatchDue(t.clock.now());
    const again = await dispatcher(t).dispatchDue(t.clock.now());
    // 3 briefings, and the coordinator's digest for Monday 23 Feb, which no tick queued on the day (caught up)
    expect(first.sent).toBe(4);
    expect(again.claimed).toBe(0);
    const briefings = smtp.messages.filter((m) => !m.parsed.subject?.startsWith('Next two weeks'));
    expect(briefings).toHaveLength(3);
    expect(briefings.flatMap((m) => m.rcptTo).sort()).toEqual([coord.email, r1.email, r2.email].sort());

    const m = smtp.to(r1.email)[0];
    expect(m.parsed.subject).toBe(
      `[High risk] Briefing (14 days before): DST fair at ${(await t.db.query(`SELECT name FROM institutions WHERE id = '${a.institutionId}'`))[0].name}, Tue 10 Mar 2026 10:00 EDT`,
    );
    const text = m.parsed.text ?? '';
    expect(text).toContain('Hello Ray One');
    expect(text).toContain('When:  Tuesday 10 March 2026, 10:00 EDT (America/New_York)');
    expect(text).toContain('Risk level: High');
    expect(text).toContain('1. Reason one for high');
    expect(text).toContain('3. Reason three');
    expect(text).not.toContain('Reason four');
    expect(text).toContain('[ ] Wear civilian dress');
    expect(text).toContain('[ ] Agree an exit plan with the host');
    expect(text).toContain('Past appearances at this institution (recency-weighted): 2.4, 1 with disruption');
    expect(text).toContain(`http://forewarn.test/pages/appearances/${a.id}?token=`);
    expect(text).toMatch(/http:\/\/forewarn\.test\/notifications\/ack\?token=\S+/);
    expect(text).toContain('Risk alerts cannot be switched off');
    expect(m.parsed.html).toContain('<strong>High</strong>');
    expect(m.parsed.html).toContain('<span aria-hidden="true">&#9744;</span> Wear civilian dress');
    expect(header(m, 'list-unsubscribe')).toBeUndefined();
    const row = (await rows(t, { appearanceId: a.id, recipientId: r1.id, status: 'sent' }))[0];
    expect(m.messageId).toBe(`<${row.id}@forewarn>`);
    expect(row.messageId).toBe(`<${row.id}@forewarn>`);
    expect(row.ackRequired).toBe(true);
    const ics = invitation(m);
    expect(ics).toMatchObject({ method: 'REQUEST', uid: `${a.id}@forewarn`, sequence: 0, start: '2026-03-10T14:00:00.000Z' });
    // The venue's wall clock with its zone (a VTIMEZONE in the file), and the default reminders.
    expect(ics).toMatchObject({ tzid: 'America/New_York', localStart: '2026-03-10T10:00:00', alarms: ['-P1D', '-PT1H'] });
  });

  it('rescheduling moves pending briefings (same rows, new due times) and sends an updated invitation (same UID, higher SEQUENCE)', async () => {
    t.clock.set('2026-02-20T12:00:00Z');
    const a = await newAppearance({ startsAt: Date.parse('2026-03-10T14:00:00Z'), endsAt: Date.parse('2026-03-10T18:00:00Z') });
    const before = await rows(t, { appearanceId: a.id, kind: 'briefing' });
    t.clock.set('2026-02-21T12:00:00Z');
    const after = { ...a, startsAt: Date.parse('2026-03-17T13:00:00Z'), endsAt: Date.parse('2026-03-17T17:00:00Z'), sequence: 1, version: 2 } as Appearance;
    await t.db.getRepository('Appearance').update({ id: a.id }, { startsAt: after.startsAt, endsAt: after.endsAt, sequence: 1, version: 2 });
    await emit(t, DomainEvents.AppearanceUpdated, { before: a, after, recruitersBefore: [r1.id, r2.id], recruitersAfter: [r1.id, r2.id], rescheduled: true });
    const moved = await rows(t, { appearanceId: a.id, kind: 'briefing' });
    expect(moved.map((n) => n.id).sort()).toEqual(before.map((n) => n.id).sort());
    expect([...new Set(moved.map((n) => new Date(n.dueAt).toISOString()))].sort()).toEqual([
      '2026-03-03T14:00:00.000Z', // 09:00 EST
      '2026-03-14T13:00:00.000Z', // 09:00 EDT
      '2026-03-16T13:00:00.000Z',
    ]);
    await dispatcher(t).dispatchDue(t.clock.now());
    const moves = smtp.messages.filter((m) => m.parsed.subject?.includes('Moved'));
    expect(moves).toHaveLength(3);
    expect(invitation(moves[0])).toMatchObject({ method: 'REQUEST', uid: `${a.id}@forewarn`, sequence: 1, start: '2026-03-17T13:00:00.000Z' });
    expect(moves[0].parsed.text).toContain('Tuesday 17 March 2026, 09:00 EDT (America/New_York)');
    // The old 14-day time passes: nothing; the new one: exactly the three briefings.
    smtp.clear();
    expect((await dispatcher(t).dispatchDue(Date.parse('2026-02-24T15:00:00Z'))).sent).toBe(0);
    t.clock.set('2026-03-03T14:00:00Z');
    expect((await dispatcher(t).dispatchDue(t.clock.now())).sent).toBe(3);
  });

  it('a second reschedule sends its own "moved" mail (the idempotency key carries the sequence)', async () => {
    t.clock.set('2026-02-20T12:00:00Z');
    const a = await newAppearance({ startsAt: Date.parse('2026-03-20T14:00:00Z'), endsAt: Date.parse('2026-03-20T18:00:00Z') });
    const move = async (prev: Appearance, startsAt: string, sequence: number): Promise<Appearance> => {
      const after = { ...prev, startsAt: Date.parse(startsAt), endsAt: Date.parse(startsAt) + 4 * HOUR_MS, sequence, version: sequence + 1 } as Appearance;
      await t.db.getRepository('Appearance').update({ id: a.id }, { startsAt: after.startsAt, endsAt: after.endsAt, sequence, version: sequence + 1 });
      await emit(t, DomainEvents.AppearanceUpdated, { before: prev, after, recruitersBefore: [r1.id, r2.id], recruitersAfter: [r1.id, r2.id], rescheduled: true });
      return after;
    };
    const first = await move(a, '2026-03-24T13:00:00Z', 1);
    await dispatcher(t).dispatchDue(t.clock.now());
    expect(smtp.messages.filter((m) => m.parsed.subject?.startsWith('Moved'))).toHaveLength(3);
    smtp.clear();
    t.clock.set('2026-02-22T12:00:00Z');
    await move(first, '2026-03-26T13:00:00Z', 2);
    await dispatcher(t).dispatchDue(t.clock.now());
    const second = smtp.messages.filter((m) => m.parsed.subject?.startsWith('Moved'));
    expect(second.map((m) => m.rcptTo[0]).sort()).toEqual([coord.email, r1.email, r2.email].sort());
    expect(invitation(second[0])).toMatchObject({ uid: `${a.id}@forewarn`, sequence: 2, start: '2026-03-26T13:00:00.000Z' });
    const keys = (await rows(t, { appearanceId: a.id, kind: 'reschedule' })).map((n) => n.idempotencyKey).sort();
    expect(keys).toEqual([coord.id, r1.id, r2.id].flatMap((id) => [`reschedule:${a.id}:s1:${id}`, `reschedule:${a.id}:s2:${id}`]).sort());
  });

  it('cancelling withdraws pending briefings and sends METHOD:CANCEL with the same UID', async () => {
    t.clock.set('2026-02-20T12:00:00Z');
    const a = await newAppearance({ startsAt: Date.parse('2026-04-02T14:00:00Z'), endsAt: Date.parse('2026-04-02T16:00:00Z') });
    const cancelled = { ...a, status: 'cancelled', sequence: 1, cancelReason: 'Host withdrew the invitation' } as Appearance;
    await t.db.getRepository('Appearance').update({ id: a.id }, { status: 'cancelled', sequence: 1, cancelReason: cancelled.cancelReason });
    await emit(t, DomainEvents.AppearanceCancelled, { appearance: cancelled, recruiterIds: [r1.id, r2.id], reason: cancelled.cancelReason });
    const list = await rows(t, { appearanceId: a.id, kind: 'briefing' });
    expect(list.every((n) => n.status === 'withdrawn')).toBe(true);
    await dispatcher(t).dispatchDue(t.clock.now());
    expect(smtp.messages).toHaveLength(3);
    const m = smtp.to(r2.email)[0];
    expect(m.parsed.subject).toMatch(/^Cancelled: /);
    expect(m.parsed.text).toContain('Host withdrew the invitation');
    expect(invitation(m)).toMatchObject({ method: 'CANCEL', uid: `${a.id}@forewarn`, sequence: 1, status: 'CANCELLED', alarms: [] });
    smtp.clear();
    expect((await dispatcher(t).dispatchDue(Date.parse('2026-04-01T14:00:00Z'))).sent).toBe(0);
  });

  it('escalates at once when the level rises; unacknowledged High mail escalates to coordinators; acknowledged mail does not', async () => {
    t.clock.set('2026-03-20T12:00:00Z');
    const a = await newAppearance({ startsAt: Date.parse('2026-04-20T14:00:00Z'), endsAt: Date.parse('2026-04-20T16:00:00Z') });
    const b = await newAppearance({ startsAt: Date.parse('2026-04-21T14:00:00Z'), endsAt: Date.parse('2026-04-21T16:00:00Z') });
    for (const x of [a, b]) {
      const asm = await assess(t, x.id, 'critical', 0.7);
      await emit(t, DomainEvents.RiskLevelRose, { appearanceId: x.id, assessmentId: asm.id, from: 'moderate', to: 'critical' });
      await emit(t, DomainEvents.RiskLevelRose, { appearanceId: x.id, assessmentId: asm.id, from: 'moderate', to: 'critical' }); // replay
    }
    expect((await dispatcher(t).dispatchDue(t.clock.now())).sent).toBe(6);
    const esc = smtp.to(r1.email).find((m) => m.parsed.text?.includes(a.id))!;
    expect(esc.parsed.subject).toMatch(/^\[Critical risk\] Risk rose from Moderate to Critical: /);
    // Acknowledge b through the email link: GET only shows a button; POST records it.
    const bMail = smtp.to(r2.email).find((m) => m.parsed.text?.includes(b.id))!;
    const link = /http:\/\/forewarn\.test(\/notifications\/ack\?token=\S+)/.exec(bMail.parsed.text ?? '')![1];
    const page = await t.http().get(link).expect(200);
    expect(page.text).toContain('I have read this warning');
    const bRow = (await rows(t, { appearanceId: b.id, kind: 'escalation', recipientId: r2.id }))[0];
    expect(bRow.acknowledgedAt).toBeNull();
    await t.http().post(link).expect(200);
    expect((await rows(t, { id: bRow.id }))[0].acknowledgedById).toBe(r2.id);
    await t
      .http()
      .post(link.replace(/token=.{6}/, 'token=AAAAAA'))
      .expect(400);
    // Signed-in acknowledgement works too (and a stranger cannot).
    const aRow = (await rows(t, { appearanceId: a.id, kind: 'escalation', recipientId: r1.id }))[0];
    const stranger = await t.factories.user('recruiter');
    await t.http().post(`/notifications/${aRow.id}/ack`).set(t.auth(stranger)).expect(403);

    smtp.clear();
    t.clock.advance(11 * HOUR_MS);
    await scheduler(t).runScheduler(t.clock.now());
    expect((await dispatcher(t).dispatchDue(t.clock.now())).sent).toBe(0);
    t.clock.advance(1 * HOUR_MS);
    await scheduler(t).runScheduler(t.clock.now());
    await scheduler(t).runScheduler(t.clock.now());
    await dispatcher(t).dispatchDue(t.clock.now());
    expect(smtp.messages.map((m) => m.rcptTo[0])).toEqual([coord.email]);
    expect(smtp.messages[0].parsed.subject).toMatch(/^\[Critical risk\] Not acknowledged: /);
    expect(smtp.messages[0].parsed.text).toContain(a.id);
    // Once acknowledged (late), nothing more.
    await t.http().post(`/notifications/${aRow.id}/ack`).set(t.auth(r1)).expect(200);
    smtp.clear();
    t.clock.advance(DAY_MS);
    await scheduler(t).runScheduler(t.clock.now());
    expect((await dispatcher(t).dispatchDue(t.clock.now())).sent).toBe(0);
  });

  it("a coordinator of another office cannot acknowledge a warning (403, nothing recorded); one of the recipient's office can", async () => {
    t.clock.set('2026-03-25T12:00:00Z');
    const a = await newAppearance({ startsAt: Date.parse('2026-04-25T14:00:00Z'), endsAt: Date.parse('2026-04-25T16:00:00Z') });
    const asm = await assess(t, a.id, 'critical', 0.7);
    await emit(t, DomainEvents.RiskLevelRose, { appearanceId: a.id, assessmentId: asm.id, from: 'moderate', to: 'critical' });
    await dispatcher(t).dispatchDue(t.clock.now());
    const row = (await rows(t, { appearanceId: a.id, kind: 'escalation', recipientId: r1.id }))[0];
    expect(row.status).toBe('sent');
    const elsewhere = await t.factories.office();
    const otherCoord = await t.factories.user('coordinator', { officeId: elsewhere.id });
    const res = await t.http().post(`/notifications/${row.id}/ack`).set(t.auth(otherCoord)).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(res.body.message).toBe('Only the recipient, a coordinator of their office or an admin can acknowledge this');
    expect((await rows(t, { id: row.id }))[0]).toMatchObject({ acknowledgedAt: null, acknowledgedById: null });
    // an unknown warning is a 404 naming what was not found
    const missing = await t.http().post(`/notifications/${randomUUID()}/ack`).set(t.auth(coord)).expect(404);
    expect(missing.body.message).toMatch(/^Notification [0-9a-f-]{36} does not exist$/);
    // A recruiter of the same office is not the recipient either.
    await t.http().post(`/notifications/${row.id}/ack`).set(t.auth(r2)).expect(403);
    const ok = await t.http().post(`/notifications/${row.id}/ack`).set(t.auth(coord)).expect(200);
    expect(ok.body).toMatchObject({ notificationId: row.id, acknowledgedById: coord.id, firstAcknowledgement: true });
    // an admin of no office may acknowledge anyone's warning
    const other = (await rows(t, { appearanceId: a.id, kind: 'escalation', recipientId: r2.id }))[0] ?? (await rows(t, { appearanceId: a.id, kind: 'escalation' })).find((n) => n.id !== row.id);
    const admin = await t.factories.user('admin');
    const byAdmin = await t.http().post(`/notifications/${other!.id}/ack`).set(t.auth(admin)).expect(200);
    expect(byAdmin.body).toMatchObject({ notificationId: other!.id, acknowledgedById: admin.id, firstAcknowledgement: true });
    // the other office's coordinator would get the weekly digests the tests below count
    await t.db.getRepository(User).update({ id: otherCoord.id }, { active: false });
  });

  it('acknowledgement time is shorter when the appearance is near', async () => {
    t.clock.set('2026-05-01T12:00:00Z');
    const a = await newAppearance({ startsAt: Date.parse('2026-05-01T18:00:00Z'), endsAt: Date.parse('2026-05-01T20:00:00Z') });
    const asm = await assess(t, a.id, 'high', 0.6);
    await emit(t, DomainEvents.RiskLevelRose, { appearanceId: a.id, assessmentId: asm.id, from: 'low', to: 'high' });
    await dispatcher(t).dispatchDue(t.clock.now());
    smtp.clear();
    t.clock.advance(3 * HOUR_MS); // half of the 6 h left
    await scheduler(t).runScheduler(t.clock.now());
    await dispatcher(t).dispatchDue(t.clock.now());
    expect(smtp.messages.filter((m) => m.parsed.subject?.includes('Not acknowledged') && m.parsed.text?.includes(a.id))).toHaveLength(1);
  });

  it('weekly digest: Monday morning in the office zone, once per coordinator, by level, with one-click unsubscribe', async () => {
    t.clock.set('2026-06-01T10:59:00Z'); // Monday 06:59 EDT: not yet
    const a = await newAppearance({ startsAt: Date.parse('2026-06-05T14:00:00Z'), endsAt: Date.parse('2026-06-05T16:00:00Z'), title: 'Digest fair' });
    await assess(t, a.id, 'high', 0.6);
    await scheduler(t).runScheduler(t.clock.now());
    const thisWeek = async () => (await rows(t, { kind: 'weekly_digest' })).filter((n) => n.idempotencyKey.includes(':2026-06-01:'));
    expect(await thisWeek()).toHaveLength(0);
    t.clock.set('2026-06-01T11:00:00Z'); // 07:00 EDT
    await scheduler(t).runScheduler(t.clock.now());
    await scheduler(t).runScheduler(t.clock.now());
    await dispatcher(t).dispatchDue(t.clock.now());
    const digests = smtp.messages.filter((m) => m.parsed.subject?.startsWith('Next two weeks'));
    expect(digests.map((m) => m.rcptTo[0])).toEqual([coord.email]);
    const d = digests[0];
    expect(d.parsed.text).toMatch(/High \(\d+\)/);
    expect(d.parsed.text).toContain('Digest fair');
    expect(header(d, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header(d, 'list-unsubscribe')).toMatch(/^<http:\/\/forewarn\.test\/notifications\/unsubscribe\?token=[^>]+>/);
    const unsub = /<([^>]+)>/.exec(header(d, 'list-unsubscribe')!)![1];
    const path = unsub.replace('http://forewarn.test', '');
    await t.http().post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const prefs = await t.http().get('/me/notification-preferences').set(t.auth(coord)).expect(200);
    expect(prefs.body.mutedKinds).toEqual(['weekly_digest']);
    smtp.clear();
    t.clock.set('2026-06-08T11:00:00Z');
    await scheduler(t).runScheduler(t.clock.now());
    await dispatcher(t).dispatchDue(t.clock.now());
    expect(smtp.messages.filter((m) => m.parsed.subject?.startsWith('Next two weeks'))).toHaveLength(0);
    await t.http().put('/me/notification-preferences').set(t.auth(coord)).send({ mutedKinds: [] }).expect(200);
  });

  it('weekly digest missed on Monday (no scheduler ran) goes out at the next tick within three days, once; later it is skipped', async () => {
    t.clock.set('2026-06-16T14:00:00Z'); // Tuesday 10:00 EDT; Monday 15 June's digest was never queued
    const a = await newAppearance({ startsAt: Date.parse('2026-06-19T14:00:00Z'), endsAt: Date.parse('2026-06-19T16:00:00Z'), title: 'Late digest fair' });
    await assess(t, a.id, 'moderate', 0.25);
    await scheduler(t).runScheduler(t.clock.now());
    t.clock.advance(3_600_000);
    await scheduler(t).runScheduler(t.clock.now());
    const late = (await rows(t, { kind: 'weekly_digest' })).filter((n) => n.idempotencyKey.includes(':2026-06-15:'));
    expect(late).toHaveLength(1);
    expect(late[0].recipientId).toBe(coord.id);
    await dispatcher(t).dispatchDue(t.clock.now());
    const sent = smtp.messages.filter((m) => m.parsed.subject?.startsWith('Next two weeks'));
    expect(sent).toHaveLength(1);
    expect(sent[0].parsed.text).toContain('Late digest fair');
    // the week after: nothing ran from Monday 22 June until Friday 26 June — too late, skipped
    t.clock.set('2026-06-26T14:00:00Z');
    await scheduler(t).runScheduler(t.clock.now());
    expect((await rows(t, { kind: 'weekly_digest' })).filter((n) => n.idempotencyKey.includes(':2026-06-22:'))).toHaveLength(0);
  });

  it('preferences: risk alerts cannot be switched off, and the API says so', async () => {
    const res = await t
      .http()
      .put('/me/notification-preferences')
      .set(t.auth(r1))
      .send({ mutedKinds: ['briefing', 'weekly_digest'] })
      .expect(422);
    expect(res.body.code).toBe('RISK_ALERTS_CANNOT_BE_MUTED');
    expect(res.body.fields.mutedKinds).toContain('briefing is a risk alert');
    await t
      .http()
      .put('/me/notification-preferences')
      .set(t.auth(r1))
      .send({ mutedKinds: ['nonsense'] })
      .expect(400);
    const ok = await t
      .http()
      .put('/me/notification-preferences')
      .set(t.auth(r1))
      .send({ mutedKinds: ['debrief_request'] })
      .expect(200);
    expect(ok.body.kinds.find((k: { kind: string }) => k.kind === 'escalation')).toMatchObject({ enabled: true, canSwitchOff: false });
    expect(ok.body.kinds.find((k: { kind: string }) => k.kind === 'debrief_request')).toMatchObject({ enabled: false, canSwitchOff: true });
    await t.http().put('/me/notification-preferences').set(t.auth(r1)).send({ mutedKinds: [] }).expect(200);
  });

  it('asks the recruiters (not coordinators) for a debrief after the appearance ends, once', async () => {
    t.clock.set('2026-07-01T12:00:00Z');
    const a = await newAppearance({ startsAt: Date.parse('2026-07-10T14:00:00Z'), endsAt: Date.parse('2026-07-10T16:00:00Z'), title: 'Debrief fair' });
    t.clock.set('2026-07-10T16:30:00Z');
    await scheduler(t).runScheduler(t.clock.now());
    await scheduler(t).runScheduler(t.clock.now());
    await emit(t, DomainEvents.AppearanceCompleted, { appearance: { ...a, status: 'completed' }, recruiterIds: [r1.id, r2.id] });
    await dispatcher(t).dispatchDue(t.clock.now());
    const debriefs = smtp.messages.filter((m) => m.parsed.subject?.startsWith('How did it go?') && m.parsed.text?.includes(a.id));
    expect(debriefs.map((m) => m.rcptTo[0]).sort()).toEqual([r1.email, r2.email].sort());
    expect(header(debriefs[0], 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(debriefs[0].parsed.text).toContain(`http://forewarn.test/pages/appearances/${a.id}/debrief?token=`);
  });

  it('SMTP down: mail waits and retries with backoff, the service and /health stay up and say so; back up: everything delivered once', async () => {
    t.clock.set('2026-08-01T12:00:00Z');
    await smtp.stop();
    const a = await newAppearance({ startsAt: Date.parse('2026-08-01T20:00:00Z'), endsAt: Date.parse('2026-08-01T22:00:00Z') }); // catch-up briefing due now
    const r = await dispatcher(t).dispatchDue(t.clock.now());
    expect(r).toMatchObject({ sent: 0, retrying: 3 });
    const waiting = await rows(t, { appearanceId: a.id });
    expect(waiting.every((n) => n.status === 'retrying' && n.attempts === 1 && n.nextAttemptAt > t.clock.now() && !!n.lastError)).toBe(true);
    const admin = await t.factories.user('admin');
    const health = await t.http().get('/health').set(t.auth(admin)).expect(200);
    expect(health.body.details.mail).toMatchObject({ status: 'up', transport: 'smtp', state: 'failing' });
    expect(health.body.details.mail.outbox.retrying).toBeGreaterThanOrEqual(3);
    // not even admins see the relay's host or its error text (which can name addresses) here
    expect(health.body.details.mail).not.toHaveProperty('lastError');
    expect(health.body.details.mail).not.toHaveProperty('target');
    expect(JSON.stringify(health.body)).not.toContain(new URL(smtp.url).hostname);
    const listed = await t.http().get('/notifications?status=retrying').set(t.auth(admin)).expect(200);
    expect(listed.body.items.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining(waiting.map((n) => n.id)));
    expect((await dispatcher(t).dispatchDue(t.clock.now())).claimed).toBe(0); // backoff: not yet
    await smtp.restart();
    t.clock.advance(10 * 60_000);
    expect((await dispatcher(t).dispatchDue(t.clock.now())).sent).toBe(3);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(3);
    const healthy = await t.http().get('/health').set(t.auth(admin)).expect(200);
    expect(healthy.body.details.mail.state).toBe('ok');
  });

  it('a permanently refused message goes dead; admins and coordinators list it and retry it', async () => {
    t.clock.set('2026-09-01T12:00:00Z');
    smtp.rejected.add(r2.email);
    const a = await newAppearance({ startsAt: Date.parse('2026-09-01T20:00:00Z'), endsAt: Date.parse('2026-09-01T22:00:00Z') });
    const rep = await dispatcher(t).dispatchDue(t.clock.now());
    expect(rep).toMatchObject({ sent: 2, dead: 1 });
    const dead = await t.http().get(`/notifications?status=dead&appearanceId=${a.id}`).set(t.auth(coord)).expect(200);
    expect(dead.body.items).toHaveLength(1);
    expect(dead.body.items[0]).toMatchObject({ recipientId: r2.id, status: 'dead' });
    expect(dead.body.items[0].lastError).toContain('550');
    await t.http().get('/notifications?status=dead').set(t.auth(r1)).expect(403);
    const sentOne = (await rows(t, { appearanceId: a.id, status: 'sent' }))[0];
    expect((await t.http().post(`/notifications/${sentOne.id}/retry`).set(t.auth(coord)).expect(409)).body.code).toBe('NOT_DEAD');
    smtp.rejected.delete(r2.email);
    smtp.clear();
    const retried = await t.http().post(`/notifications/${dead.body.items[0].id}/retry`).set(t.auth(coord)).expect(200);
    expect(retried.body.status).toBe('pending');
    expect(smtp.messages).toHaveLength(0); // never sent inside the request
    expect((await dispatcher(t).dispatchDue(t.clock.now())).sent).toBe(1);
    expect(smtp.messages[0].rcptTo).toEqual([r2.email]);
  });

  it('withdraws instead of sending when the appearance was cancelled after the row was queued', async () => {
    t.clock.set('2026-10-01T12:00:00Z');
    const a = await newAppearance({ startsAt: Date.parse('2026-10-01T20:00:00Z'), endsAt: Date.parse('2026-10-01T22:00:00Z') });
    await t.db.getRepository('Appearance').update({ id: a.id }, { status: 'cancelled' });
    const rep = await dispatcher(t).dispatchDue(t.clock.now());
    expect(rep).toMatchObject({ sent: 0, withdrawn: 3 });
    expect((await t.db.getRepository(Notification).findBy({ appearanceId: a.id })).every((n) => n.status === 'withdrawn')).toBe(true);
  });
});
