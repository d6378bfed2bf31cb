import { DomainEvents } from '../src/common/domain-events';
import { DAY_MS, HOUR_MS } from '../src/common/time';
import { TEST_PASSWORD } from './helpers/factories';
import { cookiesOf, hidden } from './helpers/pages';
import { OfficeChat } from '../src/webhooks/office-chat.entity';
import { assess, dispatcher, emit, rows, scheduler, withMail } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';
import { hooks, register } from './helpers/webhooks';

/**
 * The events that come from the services (incident recorded through the API, escalation mail sent
 * through the real SMTP server, acknowledgement through the API, unacknowledged warnings from the
 * scheduler) reach a verifying webhook receiver, and the office's Slack and Teams receivers on
 * loopback get escalations and unacknowledged warnings in their own formats, with the signed link to
 * the appearance page.
 */
describe('webhooks: events from the services, and office chat', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let hook: WebhookReceiver;
  let slack: WebhookReceiver;
  let teams: WebhookReceiver;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    [hook, slack, teams] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start(), WebhookReceiver.start()]);
    slack.verify = false;
    teams.verify = false;
    t = await createTestApp({ now: Date.now(), override: withMail({ smtpUrl: smtp.url }) });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await Promise.all([hook.stop(), slack.stop(), teams.stop()]);
  });

  it('refuses bad chat settings naming the field; coordinators set their own office only; URLs never shown, audited by host', async () => {
    const office = await t.factories.office();
    const other = await t.factories.office();
    const coord = t.auth(await t.factories.user('coordinator', { officeId: office.id }));
    const bad = async (body: object, field: string) => {
      const res = await t.http().put(`/offices/${office.id}/chat`).set(coord).send(body);
      expect({ status: res.status, fields: Object.keys(res.body.fields ?? {}) }).toEqual({ status: 400, fields: [field] });
    };
    await bad({ slackUrl: 5 }, 'slackUrl');
    await bad({ teamsUrl: 'ftp://example.org/x' }, 'teamsUrl');
    await bad({ teamsUrl: 'nonsense' }, 'teamsUrl');
    await bad({ discordUrl: 'https://example.org' }, 'discordUrl');
    await t.http().put(`/offices/${other.id}/chat`).set(coord).send({ slackUrl: slack.url }).expect(403);
    const res = await t.http().put(`/offices/${office.id}/chat`).set(coord).send({ slackUrl: slack.url }).expect(200);
    expect(res.body).toEqual({ officeId: office.id, slack: { configured: true, host: `127.0.0.1:${slack.port}` }, teams: { configured: false, host: null }, updatedAt: expect.any(String) });
    const row = await t.db.getRepository(OfficeChat).findOneByOrFail({ officeId: office.id });
    expect(row.slackUrlCipher).not.toContain('127.0.0.1');
    const removed = await t.http().put(`/offices/${office.id}/chat`).set(coord).send({ slackUrl: null }).expect(200);
    expect(removed.body.slack).toEqual({ configured: false, host: null });
    const admin = t.auth(await t.factories.user('admin'));
    const audit = await t.http().get(`/audit?entityType=office&entityId=${office.id}&action=office_chat_changed`).set(admin).expect(200);
    expect(audit.body.items).toHaveLength(2);
    expect(JSON.stringify(audit.body)).not.toContain('/hook');
  });

  it('delivers incident, risk rise, escalation sent, acknowledgement and unacknowledged events; chat gets the rise and the unacknowledged warning', async () => {
    const admin = t.auth(await t.factories.user('admin'));
    const ep = await register(t, admin, hook.url, ['risk.level_rose', 'escalation.sent', 'escalation.unacknowledged', 'acknowledgement.recorded', 'incident.recorded']);
    hook.secrets = [ep.secret];
    const office = await t.factories.office();
    const coordinator = await t.factories.user('coordinator', { officeId: office.id });
    const recruiter = await t.factories.user('recruiter', { officeId: office.id });
    await t.http().put(`/offices/${office.id}/chat`).set(admin).send({ slackUrl: slack.url, teamsUrl: teams.url }).expect(200);
    const institution = await t.factories.institution();

    // incident recorded through the API: structured facts, never the description
    const incident = await t
      .http()
      .post('/incidents')
      .set(t.auth(recruiter))
      .send({
        institutionId: institution.id,
        kind: 'heckling',
        occurredAt: new Date(t.clock.now() - HOUR_MS).toISOString(),
        severity: 2,
        target: 'organisation',
        source: 'first_hand',
        description: 'Loud heckling near the table for ten minutes.',
      })
      .expect(201);

    // two appearances rise to Critical: escalation mail to the recruiter and the coordinator
    const [a, b] = [
      await t.factories.appearance({ officeId: office.id, institutionId: institution.id, startsAt: t.clock.now() + 72 * HOUR_MS, recruiterIds: [recruiter.id] }),
      await t.factories.appearance({ officeId: office.id, institutionId: institution.id, startsAt: t.clock.now() + 96 * HOUR_MS, recruiterIds: [recruiter.id] }),
    ];
    for (const x of [a, b]) {
      const asm = await assess(t, x.id, 'critical', 0.7);
      await emit(t, DomainEvents.RiskLevelRose, { appearanceId: x.id, assessmentId: asm.id, from: 'moderate', to: 'critical' });
    }
    expect((await dispatcher(t).dispatchDue(t.clock.now())).sent).toBe(4);
    const escalations = await rows(t, { kind: 'escalation' });
    // the recruiter acknowledges a's warning through the API
    const mine = escalations.find((n) => n.appearanceId === a.id && n.recipientId === recruiter.id)!;
    await t.http().post(`/notifications/${mine.id}/ack`).set(t.auth(recruiter)).expect(200);
    expect(await hooks(t).dispatchDue(t.clock.now())).toEqual(expect.objectContaining({ dead: 0, retrying: 0 }));

    // nobody acknowledges b: 12 h later the scheduler escalates it
    t.clock.advance(12 * HOUR_MS + 60_000);
    await scheduler(t).runScheduler(t.clock.now());
    // back to real time for the deliveries (receivers refuse signatures more than 5 minutes off)
    t.clock.set(Date.now());
    await t.db.query(`UPDATE notifications SET next_attempt_at = 0 WHERE channel <> 'email' AND status = 'pending'`);
    expect(await hooks(t).dispatchDue(t.clock.now())).toEqual(expect.objectContaining({ dead: 0, retrying: 0 }));

    expect(hook.rejected).toBe(0);
    const types = hook.received.map((h) => h.json.type).sort();
    expect(types).toEqual([
      'acknowledgement.recorded',
      'escalation.sent',
      'escalation.sent',
      'escalation.sent',
      'escalation.sent',
      'escalation.unacknowledged',
      'incident.recorded',
      'risk.level_rose',
      'risk.level_rose',
    ]);
    const byType = (type: string) => hook.received.filter((h) => h.json.type === type).map((h) => h.json.data);
    expect(byType('incident.recorded')[0]).toEqual(expect.objectContaining({ incidentId: incident.body.id, kind: 'heckling', severity: 2 }));
    expect(JSON.stringify(byType('incident.recorded'))).not.toContain('heckling near');
    expect(
      byType('risk.level_rose')
        .map((d) => [d.appearanceId, d.from, d.to])
        .sort(),
    ).toEqual(
      [
        [a.id, 'moderate', 'critical'],
        [b.id, 'moderate', 'critical'],
      ].sort(),
    );
    expect(new Set(byType('escalation.sent').map((d) => d.notificationId))).toEqual(new Set(escalations.map((n) => n.id)));
    expect(byType('acknowledgement.recorded')).toEqual([expect.objectContaining({ notificationId: mine.id, appearanceId: a.id, acknowledgedById: recruiter.id })]);
    expect(byType('escalation.unacknowledged')).toEqual([expect.objectContaining({ appearanceId: b.id, officeId: office.id, warningKind: 'escalation', recipients: 2 })]);

    // Slack: Block Kit with a header, fields and a button to the appearance page (no token: it asks for sign-in)
    expect(slack.received).toHaveLength(3);
    for (const m of slack.received) {
      expect(m.json.text).toEqual(expect.any(String));
      expect(m.json.blocks.map((x: { type: string }) => x.type)).toEqual(['header', 'section', 'actions']);
      const button = m.json.blocks[2].elements[0];
      expect(button.url).toMatch(/^http:\/\/forewarn\.test\/pages\/appearances\/[0-9a-f-]{36}$/);
      expect(m.body).not.toContain(coordinator.id);
    }
    const slackHeaders = slack.received.map((m) => m.json.blocks[0].text.text).sort();
    expect(slackHeaders.filter((h) => h.startsWith('CRITICAL: Risk rose from Moderate to Critical'))).toHaveLength(2);
    expect(slackHeaders.filter((h) => h.startsWith('Not acknowledged'))).toHaveLength(1);
    expect(slack.received.find((m) => m.json.blocks[0].text.text.startsWith('CRITICAL'))!.json.blocks[2].elements[0].style).toBe('danger');

    // Teams: one Adaptive Card 1.4 per post, with facts and an OpenUrl action
    expect(teams.received).toHaveLength(3);
    for (const m of teams.received) {
      expect(m.json.type).toBe('message');
      expect(m.json.attachments).toHaveLength(1);
      const card = m.json.attachments[0];
      expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(card.content).toEqual(expect.objectContaining({ type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' }));
      expect(card.content.body.map((x: { type: string }) => x.type)).toEqual(['TextBlock', 'FactSet']);
      expect(card.content.body[1].facts.map((f: { title: string }) => f.title)).toEqual(['Appearance', 'Institution', 'When', 'Risk level']);
      expect(card.content.actions[0]).toEqual({
        type: 'Action.OpenUrl',
        title: 'Open the appearance (sign in)',
        url: expect.stringMatching(/^http:\/\/forewarn\.test\/pages\/appearances\/[0-9a-f-]{36}$/),
      });
    }
    const log = await t.http().get(`/offices/${office.id}/chat/deliveries`).set(admin).expect(200);
    expect(log.body.items.map((d: { channel: string; status: string; lastResponseCode: number }) => [d.channel, d.status, d.lastResponseCode]).sort()).toEqual(
      [...Array(3).fill(['slack', 'sent', 200]), ...Array(3).fill(['teams', 'sent', 200])].sort(),
    );
  });
  it('a Critical briefing is posted to Slack and Teams once per appearance and run of Critical (not per recipient or offset, not at High), in the same guarantees', async () => {
    const [slack2, teams2] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start()]);
    slack2.verify = false;
    teams2.verify = false;
    try {
      const admin = t.auth(await t.factories.user('admin'));
      const office = await t.factories.office();
      const coordinator = await t.factories.user('coordinator', { officeId: office.id });
      const recruiter = await t.factories.user('recruiter', { officeId: office.id });
      await t.http().put(`/offices/${office.id}/chat`).set(admin).send({ slackUrl: slack2.url, teamsUrl: teams2.url }).expect(200);
      const institution = await t.factories.institution({ name: 'Critical State University' });
      const start = t.clock.now() + 15 * DAY_MS;
      const critical = await t.factories.appearance({ officeId: office.id, institutionId: institution.id, startsAt: start, recruiterIds: [recruiter.id] });
      const high = await t.factories.appearance({ officeId: office.id, institutionId: institution.id, startsAt: start - HOUR_MS, recruiterIds: [recruiter.id] });
      for (const a of [critical, high]) await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [recruiter.id] });
      expect(await rows(t, { appearanceId: critical.id, kind: 'briefing' })).toHaveLength(6); // 14, 3 and 1 day before, two people
      await assess(t, critical.id, 'critical', 0.7);
      await assess(t, high.id, 'high', 0.4);
      const briefed = async (id: string) => (await rows(t, { appearanceId: id, kind: 'briefing', status: 'sent' })).length;
      const chatRows = async () => (await rows(t, { recipientId: office.id })).filter((n) => n.eventType === 'briefing.critical');

      // 14 days before: both people get the Critical briefing (and the High one); one post per channel
      t.clock.set(start - 14 * DAY_MS + 60_000);
      await dispatcher(t).dispatchDue(t.clock.now());
      expect([await briefed(critical.id), await briefed(high.id)]).toEqual([2, 2]);
      expect((await chatRows()).map((n) => n.channel).sort()).toEqual(['slack', 'teams']);
      // a replayed event (a second instance recording the same send) writes nothing more
      const sent = (await rows(t, { appearanceId: critical.id, kind: 'briefing', status: 'sent' }))[0];
      await emit(t, DomainEvents.CriticalBriefingsSent, { briefings: [{ id: sent.id, appearanceId: critical.id, assessmentId: sent.assessmentId }] });
      expect(await chatRows()).toHaveLength(2);
      await hooks(t).dispatchDue(t.clock.now()); // (the clock is days ahead: the earlier test's signed webhooks wait, its receiver refusing their timestamps)
      expect((await chatRows()).map((n) => n.status)).toEqual(Array((await chatRows()).length).fill('sent'));

      // it drops to High and rises to Critical again: the 3-day briefing is a new run, posted again
      await assess(t, critical.id, 'high', 0.4);
      await assess(t, critical.id, 'critical', 0.75);
      t.clock.set(start - 3 * DAY_MS + 60_000);
      await dispatcher(t).dispatchDue(t.clock.now());
      expect(await briefed(critical.id)).toBe(4);
      // re-assessed, still Critical, by the 1-day briefing: the same run, no new post
      await assess(t, critical.id, 'critical', 0.8);
      t.clock.set(start - DAY_MS + 60_000);
      await dispatcher(t).dispatchDue(t.clock.now());
      expect([await briefed(critical.id), await briefed(high.id)]).toEqual([6, 6]);
      expect(await chatRows()).toHaveLength(4);
      await hooks(t).dispatchDue(t.clock.now()); // (the clock is days ahead: the earlier test's signed webhooks wait, its receiver refusing their timestamps)
      expect((await chatRows()).map((n) => n.status)).toEqual(Array((await chatRows()).length).fill('sent'));

      // Slack: header, fields, the reasons, a danger button; Teams: an Adaptive Card with the reasons
      expect(slack2.received).toHaveLength(2);
      expect(teams2.received).toHaveLength(2);
      for (const m of slack2.received) {
        expect(m.json.blocks.map((x: { type: string }) => x.type)).toEqual(['header', 'section', 'section', 'actions']);
        expect(m.json.blocks[0].text.text).toMatch(/^CRITICAL: briefing for "Career fair .+": serious disruption is likely/);
        expect(m.json.blocks[1].fields.map((f: { text: string }) => f.text)).toContain('*Institution*\nCritical State University');
        expect(m.json.blocks[2].text.text).toBe(
          '*Why*\n• Reason one for critical: two disruptions here in the last year\n• Reason two: a hostile campaign in the state\n• Reason three: visible uniforms add 10 points',
        );
        expect(m.json.blocks[3].elements[0]).toEqual(expect.objectContaining({ style: 'danger', url: `http://forewarn.test/pages/appearances/${critical.id}` }));
      }
      for (const m of teams2.received) {
        const card = m.json.attachments[0].content;
        expect(card.body.map((x: { type: string }) => x.type)).toEqual(['TextBlock', 'FactSet', 'TextBlock']);
        expect(card.body[0]).toEqual(expect.objectContaining({ color: 'Attention', text: expect.stringMatching(/^CRITICAL: briefing for/) }));
        expect(card.body[2].text).toMatch(/^Why:\n- Reason one for critical/);
        expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the appearance (sign in)', url: `http://forewarn.test/pages/appearances/${critical.id}` }]);
      }
      const log = await t.http().get(`/offices/${office.id}/chat/deliveries`).set(admin).expect(200);
      expect(log.body.items.map((d: { status: string; lastResponseCode: number }) => `${d.status} ${d.lastResponseCode}`)).toEqual(Array(4).fill('sent 200'));

      // The link in the channel is not a person's: it cannot acknowledge, nor open the page as anyone
      const link = new URL(slack2.received[0].json.blocks[3].elements[0].url);
      const path = link.pathname;
      expect(link.search).toBe('');
      const opened = await t.http().get(path).expect(303);
      expect(opened.headers.location).toBe(`/pages/login?next=${encodeURIComponent(path)}`);
      const ack = await t.http().post(`${path}/ack`).type('form').send({}).expect(303);
      expect(ack.headers.location).toMatch(/^\/pages\/login\?/);
      const waiting = await rows(t, { appearanceId: critical.id, kind: 'briefing', status: 'sent' });
      expect(waiting.filter((n) => n.ackRequired)).toHaveLength(6);
      expect(waiting.filter((n) => n.acknowledgedAt !== null)).toHaveLength(0);
      // whoever signs in acts as themselves: the coordinator's sign-in acknowledges the coordinator's own warning only
      const login = await t.http().post('/pages/login').type('form').send({ email: coordinator.email, password: TEST_PASSWORD, next: path }).expect(303);
      expect(login.headers.location).toBe(path);
      // (any page of the session carries its CSRF token; this one renders no risk view of the test's hand-made assessments)
      const page = await t.http().get('/pages/preferences').set('Cookie', cookiesOf(login)).expect(200);
      await t
        .http()
        .post(`${path}/ack`)
        .set('Cookie', cookiesOf(login))
        .type('form')
        .send({ _csrf: hidden(page.text, '_csrf') })
        .expect(303);
      const acked = (await rows(t, { appearanceId: critical.id, kind: 'briefing' })).filter((n) => n.acknowledgedAt !== null);
      expect(acked.map((n) => [n.recipientId, n.acknowledgedById])).toEqual(Array(3).fill([coordinator.id, coordinator.id])); // the recruiter's three still wait
    } finally {
      await Promise.all([slack2.stop(), teams2.stop()]);
    }
  });
});
