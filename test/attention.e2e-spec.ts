import { DAY_MS } from '../src/common/time';
import { TEST_PASSWORD } from './helpers/factories';
import { dispatcher, withMail } from './helpers/notifications';
import { cookiesOf, decode } from './helpers/pages';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

/** "Needs you": GET /attention and the list filters behind it (ackRequired, acknowledged, riskLevel). */
describe('what needs a coordinator', () => {
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

  it('lists unacknowledged warnings with who and when it escalates, the next 14 days by level, overdue debriefs and advance-notice deadlines', async () => {
    const office = await t.factories.office({ timeZone: 'America/New_York' });
    const coord = await t.factories.user('coordinator', { officeId: office.id, displayName: 'Casey Coordinator' });
    const rec = await t.factories.user('recruiter', { officeId: office.id, displayName: 'Robin Recruiter' });
    const inst = await t.factories.institution({ timeZone: 'America/New_York' });
    const dmv = await t.factories.institution({ timeZone: 'America/New_York', requiresAdvanceNotice: true, advanceNoticeDays: 10 });
    const base = { kind: 'info_session', format: 'in_person', audience: 'public', recruiterIds: [rec.id] };
    const high = (
      await t
        .http()
        .post('/appearances')
        .set(t.auth(rec))
        .send({ ...base, institutionId: inst.id, title: 'Announced protest', startsLocal: '2026-03-10T10:00', endsLocal: '2026-03-10T12:00', protestAnnounced: true })
        .expect(201)
    ).body;
    const calm = (
      await t
        .http()
        .post('/appearances')
        .set(t.auth(rec))
        .send({ ...base, institutionId: inst.id, title: 'Quiet visit', startsLocal: '2026-03-11T10:00', endsLocal: '2026-03-11T12:00' })
        .expect(201)
    ).body;
    const notice = (
      await t
        .http()
        .post('/appearances')
        .set(t.auth(rec))
        .send({ ...base, institutionId: dmv.id, title: 'DMV talk', startsLocal: '2026-03-14T10:00', endsLocal: '2026-03-14T12:00' })
        .expect(201)
    ).body;
    const past = await t.factories.appearance({ officeId: office.id, institutionId: inst.id, title: 'Last week fair', startsAt: t.clock.now() - 5 * DAY_MS, recruiterIds: [rec.id] });
    await dispatcher(t).dispatchDue(t.clock.now());

    const res = await t.http().get('/attention').set(t.auth(coord)).expect(200);
    expect(res.body.officeId).toBe(office.id);
    expect(res.body.unacknowledged).toHaveLength(1);
    expect(res.body.unacknowledged[0]).toMatchObject({ appearanceId: high.id, title: 'Announced protest', escalated: false });
    expect(res.body.unacknowledged[0].notAcknowledged.map((p: { name: string }) => p.name)).toEqual(['Casey Coordinator', 'Robin Recruiter']);
    expect(Date.parse(res.body.unacknowledged[0].escalatesAt)).toBeGreaterThan(t.clock.now());
    expect(res.body.unacknowledged[0].escalatesLocal).toMatch(/\(America\/New_York\)$/);
    const levels = Object.fromEntries(res.body.upcoming.map((g: { level: string; appearances: { appearanceId: string }[] }) => [g.level, g.appearances.map((a) => a.appearanceId)]));
    expect(Object.values(levels).flat().sort()).toEqual([high.id, calm.id, notice.id].sort());
    expect(res.body.upcoming[0].level).toMatch(/critical|high/);
    expect(res.body.debriefsOverdue.map((d: { appearanceId: string }) => d.appearanceId)).toEqual([past.id]);
    expect(res.body.advanceNotice).toEqual([expect.objectContaining({ appearanceId: notice.id, advanceNoticeDays: 10, passed: false, deadline: '2026-03-04T15:00:00.000Z' })]);

    // the coordinator's board says the same to a person, signed in with a password
    const signIn = await t.http().post('/pages/login').type('form').send({ email: coord.email, password: TEST_PASSWORD }).expect(303);
    expect(signIn.headers.location).toBe('/pages/board');
    const board = decode((await t.http().get('/pages/board').set('Cookie', cookiesOf(signIn)).expect(200)).text);
    const section = (id: string) => new RegExp(`<section aria-labelledby="${id}">([\\s\\S]*?)</section>`).exec(board)![1];
    const warned = res.body.unacknowledged[0];
    expect(section('h-unack')).toContain('Warnings not acknowledged (1)');
    expect(section('h-unack')).toContain(`<a href="/pages/appearances/${high.id}">Announced protest</a>`);
    expect(section('h-unack')).toContain('Not acknowledged by: Casey Coordinator, Robin Recruiter.');
    expect(section('h-unack')).toContain(`Escalates to the coordinators at ${warned.escalatesLocal}.`);
    for (const g of res.body.upcoming as { level: string; count: number; appearances: { title: string }[] }[]) {
      expect(section('h-upcoming')).toContain(`<h3>${g.level} (${g.count})</h3>`);
      for (const a of g.appearances) expect(section('h-upcoming')).toContain(`>${a.title}</a>`);
    }
    expect(section('h-upcoming')).not.toContain('Last week fair');
    expect(section('h-debriefs')).toContain('Debriefs overdue (1)');
    expect(section('h-debriefs')).toMatch(/Last week fair<\/a> at .* — ended \d+ days ago/);
    expect(section('h-notice')).toContain(`DMV talk</a> at ${dmv.name}`);
    expect(section('h-notice')).toContain(`the host needs 10 days' notice — notify by ${res.body.advanceNotice[0].deadlineLocal}`);
    const recruiterBoard = await t
      .http()
      .get('/pages/board')
      .set('Cookie', cookiesOf(await t.http().post('/pages/login').type('form').send({ email: rec.email, password: TEST_PASSWORD }).expect(303)))
      .expect(403);
    expect(recruiterBoard.text).toContain('The board is for coordinators and admins (you are recruiter)');

    // the same through the list filters
    const waiting = await t.http().get('/notifications?ackRequired=true&acknowledged=false').set(t.auth(coord)).expect(200);
    expect(waiting.body.items.length).toBe(2);
    expect(
      waiting.body.items.every(
        (n: { appearanceId: string; appearanceTitle: string; riskLevel: string }) => n.appearanceId === high.id && n.appearanceTitle === 'Announced protest' && /high|critical/.test(n.riskLevel),
      ),
    ).toBe(true);
    // what was sent: the subject of the very mail the SMTP server received, and the level that mail carried
    const sent = await t.http().get('/notifications?status=sent&pageSize=100').set(t.auth(coord)).expect(200);
    expect(sent.body.items.length).toBeGreaterThanOrEqual(4);
    for (const n of sent.body.items as { messageId: string; subject: string; mailLevel: string | null; assessmentId: string | null }[]) {
      const mail = smtp.messages.find((m) => m.parsed.messageId === n.messageId);
      if (!mail) throw new Error(`no mail received with Message-ID ${n.messageId}`);
      expect(n.subject).toBe(mail.parsed.subject);
      if (n.assessmentId) expect(n.subject.toLowerCase()).toContain(String(n.mailLevel));
    }
    for (const n of waiting.body.items) {
      expect(n.subject).toContain('Announced protest');
      expect(n.mailLevel).toMatch(/high|critical/);
    }
    const pending = await t.http().get('/notifications?status=pending&pageSize=5').set(t.auth(coord)).expect(200);
    expect(pending.body.items.length).toBeGreaterThan(0);
    expect(pending.body.items.every((n: { subject: string | null }) => n.subject === null)).toBe(true);
    await t.http().post(`/notifications/${waiting.body.items[0].id}/ack`).set(t.auth(coord)).expect(200);
    expect((await t.http().get('/notifications?ackRequired=true&acknowledged=false').set(t.auth(coord)).expect(200)).body.items.length).toBe(1);
    const highs = await t.http().get(`/appearances?riskLevel=high,critical&officeId=${office.id}`).set(t.auth(coord)).expect(200);
    expect(highs.body.items.map((a: { id: string }) => a.id)).toEqual([high.id]);
    const bad = await t.http().get('/appearances?riskLevel=extreme').set(t.auth(coord)).expect(400);
    expect(bad.body.fields.riskLevel).toMatch(/one or more of: low, moderate, high, critical/);
    await t.http().get('/notifications?ackRequired=maybe').set(t.auth(coord)).expect(400);
  });

  it('coordinators see only their office; recruiters not at all', async () => {
    const coord = await t.factories.user('coordinator');
    const other = await t.factories.office();
    await t.http().get(`/attention?officeId=${other.id}`).set(t.auth(coord)).expect(403);
    await t
      .http()
      .get('/attention')
      .set(t.auth(await t.factories.user('recruiter')))
      .expect(403);
  });
});
