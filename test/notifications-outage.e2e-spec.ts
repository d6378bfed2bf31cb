import { DomainEvents } from '../src/common/domain-events';
import { DAY_MS, HOUR_MS } from '../src/common/time';
import { Notification } from '../src/notifications/notification.entity';
import { assess, dispatcher, emit, rows, scheduler, withMail } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

const MINUTE_MS = 60_000;

/**
 * A relay outage of three hours, far longer than the retry window of ordinary mail (MAIL_MAX_ATTEMPTS
 * with the default backoff, ≈ 1.5 h): the real SMTP server is stopped, the injected clock moves a
 * minute at a time while the scheduler and dispatcher run as the loop would, then the server comes
 * back on the same port. Every risk alert (High/Critical briefings, escalations, unacknowledged
 * escalations) is delivered once the relay is back; ordinary mail that ran out of attempts is dead,
 * and /health says degraded.
 */
describe('notifications: a three-hour SMTP outage', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createTestApp({ now: '2026-06-01T12:00:00Z', override: withMail({ smtpUrl: smtp.url }) });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('delivers every risk alert once the relay is back; the rest goes dead and /health is degraded', async () => {
    const office = await t.factories.office({ timeZone: 'America/New_York' });
    const coord = await t.factories.user('coordinator', { officeId: office.id });
    const rec = await t.factories.user('recruiter', { officeId: office.id });
    const admin = await t.factories.user('admin');
    const team = [rec.id];
    const plan = async (startsIn: number, level: 'low' | 'high' | 'critical' | null) => {
      const a = await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + startsIn, endsAt: t.clock.now() + startsIn + 2 * HOUR_MS, recruiterIds: team });
      if (level) await assess(t, a.id, level, level === 'low' ? 0.05 : 0.6);
      await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: team });
      return a;
    };

    // Before the outage: a High warning goes out and is not acknowledged (its escalation falls due in it).
    const soon = await plan(4 * HOUR_MS, 'high');
    expect((await dispatcher(t).dispatchDue(t.clock.now())).sent).toBe(2);

    await smtp.stop();
    const high = await plan(2 * DAY_MS, 'high'); // catch-up briefing at High
    const low = await plan(3 * DAY_MS, 'low'); // catch-up briefing at Low: ordinary mail
    const rising = await plan(5 * DAY_MS, 'low');
    const critical = await assess(t, rising.id, 'critical', 0.8);
    await emit(t, DomainEvents.RiskLevelRose, { appearanceId: rising.id, assessmentId: critical.id, from: 'low', to: 'critical' });

    const tick = async () => {
      t.clock.advance(MINUTE_MS);
      await scheduler(t).runScheduler(t.clock.now());
      await dispatcher(t).dispatchDue(t.clock.now());
    };
    for (let m = 0; m < 180; m++) await tick();
    expect(smtp.messages).toHaveLength(2); // nothing got through during the outage

    const during = await rows(t, {});
    const ackEscalations = during.filter((n) => n.kind === 'ack_escalation');
    expect(ackEscalations.map((n) => [n.appearanceId, n.recipientId, n.status])).toEqual([[soon.id, coord.id, 'retrying']]);
    const lowRows = during.filter((n) => n.appearanceId === low.id && n.kind === 'briefing' && n.dueAt <= t.clock.now());
    expect(lowRows.map((n) => n.status)).toEqual(['dead', 'dead']); // out of attempts: not a risk alert
    const health = await t
      .http()
      .get('/health')
      .set(t.auth(await t.factories.user('admin')))
      .expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.details.mail).toMatchObject({ status: 'up', degraded: true });
    // Dead: only ordinary mail (the Low briefings, the Monday digest), never a risk alert.
    const dead = during.filter((n) => n.status === 'dead');
    expect(dead.map((n) => (n.appearanceId === low.id ? `low ${n.kind}` : n.kind)).sort()).toEqual(['low briefing', 'low briefing', 'weekly_digest']);
    expect(health.body.details.mail.outbox.dead).toBe(3);
    // Admins are told (by mail, itself retried until the relay is back), once for these deaths.
    const reports = during.filter((n) => n.kind === 'mail_dead' && n.recipientId === admin.id).sort((x, y) => x.createdAt - y.createdAt);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((n) => n.status === 'retrying')).toBe(true);
    expect(reports.reduce((sum, n) => sum + Number(n.payload.newCount), 0)).toBe(3); // each death reported once
    expect(reports.slice(1).every((n, i) => n.createdAt - reports[i].createdAt >= HOUR_MS)).toBe(true); // at most hourly
    expect(reports[reports.length - 1].payload).toMatchObject({ count: 3, kinds: 'briefing 2, weekly_digest 1' });

    await smtp.restart();
    for (let m = 0; m < 10; m++) await tick();

    const alerts = (await rows(t, {})).filter((n) => n.dueAt <= t.clock.now() - 10 * MINUTE_MS && n.appearanceId !== low.id && n.kind !== 'weekly_digest' && n.kind !== 'mail_dead');
    const expected = [
      ...[high.id, rising.id].flatMap((id) => [`${id}|briefing|${rec.id}`, `${id}|briefing|${coord.id}`]),
      `${rising.id}|escalation|${rec.id}`,
      `${rising.id}|escalation|${coord.id}`,
      `${soon.id}|ack_escalation|${coord.id}`,
      `${soon.id}|briefing|${rec.id}`,
      `${soon.id}|briefing|${coord.id}`,
    ].sort();
    expect(alerts.map((n) => `${n.appearanceId}|${n.kind}|${n.recipientId}`).sort()).toEqual(expected);
    expect(alerts.filter((n) => n.status !== 'sent').map((n: Notification) => [n.kind, n.status, n.attempts])).toEqual([]);
    const delivered = smtp.messages.map((m) => m.messageId);
    for (const n of alerts) expect(delivered.filter((id) => id === n.messageId)).toHaveLength(1);
    const report = smtp.to(admin.email);
    expect(report.map((m) => m.parsed.subject).sort()).toEqual(reports.map((n) => `${n.payload.count} e-mail(s) could not be delivered`).sort());
    expect(report[0].parsed.text).toContain('http://forewarn.test/notifications?status=dead');
    expect(report[0].parsed.text).not.toContain(rec.email); // counts and kinds, not who
  });
});
