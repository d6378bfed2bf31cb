import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AppliedMitigation } from '../src/outcomes/applied-mitigation.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { Notification } from '../src/notifications/notification.entity';
import { User } from '../src/users/user.entity';
import { DAY_MS } from '../src/common/time';
import { HeadlessBrowser, launchHeadlessChromium } from './helpers/browser';
import { dispatcher, scheduler, withMail } from './helpers/notifications';
import { linkIn } from './helpers/pages';
import { ReceivedMail, TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';
import { TEST_PASSWORD } from './helpers/factories';

/**
 * The pages in headless Chromium (test/helpers/browser.ts), opened from links in real mail received
 * over SMTP: act as a person would (acknowledge, tick, change a preference, file a debrief), check the
 * database, measure horizontal overflow at 320, 390 and 1,280 px, run axe-core (WCAG 2.1 AA) on every page
 * and on each HTML mail. Screenshots land in test-artifacts/ (gitignored).
 */
const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'pages');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [320, 390, 1280];

interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
}

describe('pages in headless Chromium, from real mail', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let browser: HeadlessBrowser;
  let page: Page;
  let base: string;
  let rec: User;
  let appearanceId: string;
  let firstMail: ReceivedMail;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createTestApp({ now: '2026-03-02T15:00:00Z', override: withMail({ smtpUrl: smtp.url }) });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchHeadlessChromium({ viewport: { width: 1280, height: 900 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const office = await t.factories.office({ timeZone: 'America/Chicago' });
    await t.factories.user('coordinator', { officeId: office.id });
    rec = await t.factories.user('recruiter', { officeId: office.id, displayName: 'Robin Recruiter' });
    const inst = await t.factories.institution({ name: 'University of Illinois Urbana-Champaign', city: 'Champaign', state: 'IL', timeZone: 'America/Chicago' });
    appearanceId = (
      await t
        .http()
        .post('/appearances')
        .set(t.auth(rec))
        .send({
          institutionId: inst.id,
          kind: 'career_fair',
          title: 'Engineering career fair with a long title that has to wrap on a phone',
          startsLocal: '2026-03-12T10:00',
          endsLocal: '2026-03-12T14:00',
          venue: 'Illini Union, Rooms A–C',
          format: 'in_person',
          audience: 'public',
          protestAnnounced: true,
          recruiterIds: [rec.id],
        })
        .expect(201)
    ).body.id;
    await dispatcher(t).dispatchDue(t.clock.now());
    firstMail = smtp.messages.find((m) => m.rcptTo.includes(rec.email))!;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  const open = (link: string) => page.goto(`${base}${link}`);

  async function axe(): Promise<AxeResult> {
    await page.evaluate(AXE_SOURCE);
    return page.evaluate(() => (globalThis as any).axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })) as Promise<AxeResult>;
  }

  /** 0 axe violations, and no horizontal scroll at 390 and 1,280 px (measured in the browser); a screenshot per width. */
  async function checkPage(name: string): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const { scroll, client } = await page.evaluate(() => {
        const root = (globalThis as any).document.documentElement;
        return { scroll: root.scrollWidth as number, client: root.clientWidth as number };
      });
      expect({ name, width, overflow: scroll - client }).toEqual({ name, width, overflow: 0 });
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    }
    const result = await axe();
    expect({ name, violations: result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`) }).toEqual({ name, violations: [] });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('appearance page from the briefing: acknowledge and tick a mitigation with the buttons', async () => {
    await open(linkIn(firstMail, /Open the appearance in Forewarn/));
    await checkPage('appearance');
    await page.getByRole('button', { name: 'I have read this warning' }).click();
    await page.getByText('Acknowledged.').waitFor();
    const acks = await t.db.getRepository(Notification).find({ where: { appearanceId, recipientId: rec.id, ackRequired: true } });
    expect(acks.length).toBeGreaterThan(0);
    expect(acks.every((n) => n.acknowledgedById === rec.id)).toBe(true);
    const first = page.locator('input[name="mitigations"]').first();
    const id = await first.getAttribute('value');
    await first.check();
    await page.getByRole('button', { name: 'Save the checklist' }).click();
    await page.getByText('Checklist saved.').waitFor();
    expect((await t.db.getRepository(AppliedMitigation).find({ where: { appearanceId } })).map((r) => r.mitigationId)).toEqual([id]);
    await checkPage('appearance-after');
  });

  it('preferences page from the mail footer: switch the weekly digest off', async () => {
    await open(linkIn(firstMail, /Other email preferences/));
    await checkPage('preferences');
    await page.getByLabel(/Weekly digest/).uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Preferences saved.').waitFor();
    expect((await t.db.getRepository(User).findOneByOrFail({ id: rec.id })).mutedKinds).toEqual(['weekly_digest']);
  });

  it('debrief form from the debrief request: a refused note keeps the form, then the debrief is filed', async () => {
    t.clock.set(Date.parse('2026-03-12T20:30:00Z'));
    await t.http().post(`/appearances/${appearanceId}/confirm`).set(t.auth(rec)).send({}).expect(200);
    await t.http().post(`/appearances/${appearanceId}/complete`).set(t.auth(rec)).send({}).expect(200);
    smtp.clear();
    await dispatcher(t).dispatchDue(t.clock.now() + DAY_MS);
    const mail = smtp.messages.find((m) => m.rcptTo.includes(rec.email) && /Debrief/.test(m.parsed.subject ?? ''))!;
    await open(linkIn(mail, /record how it went/));
    await checkPage('debrief');
    await page.getByLabel('How it went').selectOption('disrupted');
    await page.getByLabel(/^Attendance/).fill('85');
    await page.getByLabel(/^Notes/).fill('Protesters blocked the table; call 555-867-5309 for details.');
    await page.getByRole('button', { name: 'Save the debrief' }).click();
    await page.locator('#notes-error').waitFor();
    expect(await page.locator('mark').textContent()).toBe('555-867-5309');
    expect(await page.getByLabel(/^Attendance/).inputValue()).toBe('85');
    await checkPage('debrief-refused');
    await page.getByLabel(/^Notes/).fill('Protesters blocked the table for twenty minutes; the host moved us to a side room.');
    await page.getByRole('button', { name: 'Save the debrief' }).click();
    await page.getByText('the debrief is recorded').waitFor();
    expect(await t.db.getRepository(Outcome).findOneByOrFail({ appearanceId })).toMatchObject({ result: 'disrupted', attendance: 85, submittedById: rec.id });
  });

  it('acknowledge-link page, sign-in page, a bad link page, a refused CSRF token and the coordinator board pass the same checks; a link replayed for another page is refused', async () => {
    await open(linkIn(firstMail, /I have read this warning/));
    await checkPage('ack-link');
    await page.goto(`${base}/pages/appearances/${appearanceId}?token=nonsense`);
    await checkPage('bad-link');
    await page.getByRole('link', { name: 'Sign in with your password' }).click();
    await checkPage('login');
    const coord = await t.db.getRepository(User).findOneByOrFail({ role: 'coordinator', officeId: rec.officeId as string });
    await page.getByLabel('Email').fill(coord.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/pages/appearances/${appearanceId}`);
    // a form whose CSRF token was tampered with is refused with a page, and nothing is recorded
    const ticked = await t.db.getRepository(AppliedMitigation).count({ where: { appearanceId } });
    await page.locator('form[action$="/mitigations"] input[name="_csrf"]').evaluate((el) => el.setAttribute('value', 'forged'));
    await page.getByRole('button', { name: 'Save the checklist' }).click();
    await page.getByText('did not come from Forewarn').waitFor();
    await checkPage('csrf-refused');
    expect(await t.db.getRepository(AppliedMitigation).count({ where: { appearanceId } })).toBe(ticked);
    // the recruiter's link replayed for another page is refused with a page too
    await open(linkIn(firstMail, /Open the appearance in Forewarn/).replace(`/pages/appearances/${appearanceId}`, '/pages/preferences'));
    await page.getByText('another page').waitFor();
    await page.goto(`${base}/pages/board`);
    await checkPage('board');
  });

  it('hr signs in on the same form, lands on the dashboard; it and the institution drill-down pass the same checks', async () => {
    const hr = await t.factories.user('hr', { officeId: null });
    await page.goto(`${base}/pages/login`);
    await page.getByLabel('Email').fill(hr.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/dashboard`);
    await checkPage('dashboard');
    await page.goto(`${base}/dashboard?state=Ohio`);
    await page.locator('#state-error').waitFor();
    await checkPage('dashboard-refused');
    const { institutionId } = (await t.http().get(`/appearances/${appearanceId}`).set(t.auth(rec)).expect(200)).body;
    await page.goto(`${base}/dashboard/institutions/${institutionId}`);
    await checkPage('institution');
  });

  it('every kind of HTML mail passes axe (WCAG 2.1 AA)', async () => {
    // the kinds not yet received: digest, escalation, reschedule, unacknowledged-warning alert, cancellation
    t.clock.set(Date.parse('2026-03-16T13:00:00Z')); // Monday 08:00 in the office's zone
    await scheduler(t).runScheduler(t.clock.now());
    await dispatcher(t).dispatchDue(t.clock.now());
    const coordinator = await t.db.getRepository(User).findOneByOrFail({ role: 'coordinator', officeId: rec.officeId as string });
    const later = (
      await t
        .http()
        .post('/appearances')
        .set(t.auth(coordinator))
        .send({
          institutionId: (await t.http().get(`/appearances/${appearanceId}`).set(t.auth(rec)).expect(200)).body.institutionId,
          kind: 'info_session',
          title: 'Spring info session',
          startsLocal: '2026-04-20T10:00',
          endsLocal: '2026-04-20T11:00',
          format: 'in_person',
          audience: 'public',
          recruiterIds: [],
        })
        .expect(201)
    ).body;
    const raised = (await t.http().patch(`/appearances/${later.id}`).set(t.auth(coordinator)).send({ protestAnnounced: true, version: later.version }).expect(200)).body;
    await dispatcher(t).dispatchDue(t.clock.now());
    await t.http().patch(`/appearances/${later.id}`).set(t.auth(coordinator)).send({ date: '2026-04-21', version: raised.version }).expect(200);
    await dispatcher(t).dispatchDue(t.clock.now());
    t.clock.advance(13 * 3_600_000);
    await scheduler(t).runScheduler(t.clock.now());
    await dispatcher(t).dispatchDue(t.clock.now());
    await t.http().post(`/appearances/${later.id}/cancel`).set(t.auth(coordinator)).send({ reason: 'Host postponed' }).expect(200);
    await dispatcher(t).dispatchDue(t.clock.now());
    // a mail the server refuses for good goes dead; the admins then get the dead-mail report
    const bouncing = await t.factories.user('recruiter', { officeId: rec.officeId as string });
    smtp.rejected.add(bouncing.email);
    await t
      .http()
      .post('/appearances')
      .set(t.auth(coordinator))
      .send({
        institutionId: later.institutionId,
        kind: 'info_session',
        title: 'Bounced briefing',
        startsLocal: '2026-03-24T10:00',
        endsLocal: '2026-03-24T11:00',
        format: 'in_person',
        audience: 'public',
        recruiterIds: [bouncing.id],
      })
      .expect(201);
    expect((await dispatcher(t).dispatchDue(t.clock.now())).dead).toBe(1);
    expect((await scheduler(t).runScheduler(t.clock.now())).deadMailReports).toBeGreaterThan(0);
    await dispatcher(t).dispatchDue(t.clock.now());
    const kinds = new Map<string, ReceivedMail>();
    for (const m of [firstMail, ...smtp.messages]) kinds.set(String(m.parsed.headers.get('x-forewarn-kind')), m);
    expect([...kinds.keys()].sort()).toEqual(['ack_escalation', 'briefing', 'cancellation', 'debrief_request', 'escalation', 'mail_dead', 'reschedule', 'weekly_digest']);
    for (const [kind, m] of kinds) {
      const html = String(m.parsed.html);
      await page.setContent(html);
      const result = await axe();
      expect({ kind, violations: result.violations.map((v) => `${v.id} (${v.impact})`) }).toEqual({ kind, violations: [] });
      // a phone's width, headings that start at h1 or h2 and skip no level, the checkbox glyph hidden from screen readers
      await page.setViewportSize({ width: 390, height: 900 });
      const overflow = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).document.documentElement.clientWidth);
      await page.setViewportSize({ width: 1280, height: 900 });
      const levels = [...html.matchAll(/<h([1-6])\b/g)].map((h) => Number(h[1]));
      const glyphs = (html.match(/&#9744;|\u2610/g) ?? []).length;
      const hidden = (html.match(/<span aria-hidden="true">(&#9744;|\u2610)<\/span>/g) ?? []).length;
      expect({
        kind,
        overflow,
        viewport: html.includes('<meta name="viewport" content="width=device-width'),
        headings: levels.every((l, i) => l <= (i === 0 ? 2 : levels[i - 1] + 1)),
        glyphs: glyphs - hidden,
      }).toEqual({
        kind,
        overflow: 0,
        viewport: true,
        headings: true,
        glyphs: 0,
      });
    }
    // the unsubscribe page from the digest's footer, before and after the button
    await open(linkIn(kinds.get('weekly_digest')!, /Stop these emails/));
    await checkPage('unsubscribe');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByText('You will no longer receive').waitFor();
    await checkPage('unsubscribed');
    expect((await t.db.getRepository(User).findOneByOrFail({ id: coordinator.id })).mutedKinds).toContain('weekly_digest');
  });

  it("a recruiter's own appearances, an expired link, the dashboard's sign-in and error pages pass the same checks; the dashboard signs out", async () => {
    const context = page.context();
    await context.clearCookies();
    await page.goto(`${base}/pages/login`);
    await page.getByLabel('Email').fill(rec.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/pages/me`);
    await checkPage('me');
    // the first briefing's acknowledge link expired with the appearance: a page that says so, with a way to sign in
    await open(linkIn(firstMail, /I have read this warning/));
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
    await page.getByRole('link', { name: 'Sign in with your password' }).waitFor();
    await checkPage('expired-link');
    await context.clearCookies();
    await page.goto(`${base}/dashboard/login`);
    await checkPage('dashboard-login');
    const hr = await t.factories.user('hr', { officeId: null });
    await page.getByLabel('Email').fill(hr.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/dashboard`);
    const missing = await page.goto(`${base}/dashboard/institutions/00000000-0000-4000-8000-000000000000`);
    expect(missing?.status()).toBe(404);
    await checkPage('dashboard-not-found');
    // the dashboard's sign-out button works from the page (its form carries the CSRF token)
    await page.goto(`${base}/dashboard`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/dashboard/login`);
    expect((await page.goto(`${base}/dashboard`))?.url()).toBe(`${base}/dashboard/login`);
  });
});
