import { DomainEvents } from '../src/common/domain-events';
import { HOUR_MS } from '../src/common/time';
import { verifyPageLink } from '../src/notifications/page-links';
import { LinkSigner } from '../src/notifications/signed-link';
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

    // Slack: Block Kit with a header, fields and a button to the signed appearance page
    expect(slack.received).toHaveLength(3);
    const signer = t.app.get(LinkSigner);
    for (const m of slack.received) {
      expect(m.json.text).toEqual(expect.any(String));
      expect(m.json.blocks.map((x: { type: string }) => x.type)).toEqual(['header', 'section', 'actions']);
      const button = m.json.blocks[2].elements[0];
      const url = new URL(button.url);
      expect(url.origin + url.pathname).toMatch(/^http:\/\/forewarn\.test\/pages\/appearances\/[0-9a-f-]{36}$/);
      const aid = url.pathname.split('/').pop()!;
      expect(verifyPageLink(signer, url.searchParams.get('token')!, t.clock.now(), 'appearance', aid)).toBe(coordinator.id);
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
      expect(card.content.actions[0]).toEqual({ type: 'Action.OpenUrl', title: 'Open the appearance', url: expect.stringMatching(/^http:\/\/forewarn\.test\/pages\/appearances\/.+\?token=/) });
    }
    const log = await t.http().get(`/offices/${office.id}/chat/deliveries`).set(admin).expect(200);
    expect(log.body.items.map((d: { channel: string; status: string; lastResponseCode: number }) => [d.channel, d.status, d.lastResponseCode]).sort()).toEqual(
      [...Array(3).fill(['slack', 'sent', 200]), ...Array(3).fill(['teams', 'sent', 200])].sort(),
    );
  });
});
