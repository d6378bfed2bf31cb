import { AppliedMitigation } from '../src/outcomes/applied-mitigation.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { Notification } from '../src/notifications/notification.entity';
import { User } from '../src/users/user.entity';
import { DAY_MS } from '../src/common/time';
import { pageUrl } from '../src/notifications/page-links';
import { LinkSigner } from '../src/notifications/signed-link';
import { TEST_PASSWORD } from './helpers/factories';
import { dispatcher, withMail } from './helpers/notifications';
import { cookiesOf, decode, hidden, hrefIn, linkIn, tokenOf } from './helpers/pages';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

/** The pages people open from their mail: links found in real mail received over SMTP, acted on, checked in the database. */
describe('pages opened from mail links', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let rec: User;
  let coord: User;
  let appearanceId: string;
  let otherAppearanceId: string;
  let pageLink: string;
  let prefsLink: string;
  let ackLink: string;
  let homeLink: string;
  let office: { id: string; name: string };

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createTestApp({ now: '2026-03-02T15:00:00Z', override: withMail({ smtpUrl: smtp.url }) });
    office = await t.factories.office({ timeZone: 'America/New_York' });
    coord = await t.factories.user('coordinator', { officeId: office.id });
    rec = await t.factories.user('recruiter', { officeId: office.id, displayName: 'Robin Recruiter' });
    const inst = await t.factories.institution({ name: 'Kent State University', city: 'Kent', state: 'OH', timeZone: 'America/New_York' });
    const body = {
      institutionId: inst.id,
      officeId: office.id,
      kind: 'career_fair',
      title: 'Spring career fair',
      startsLocal: '2026-03-12T10:00',
      endsLocal: '2026-03-12T14:00',
      timeZone: 'America/New_York',
      venue: 'Student Center Ballroom',
      format: 'in_person',
      audience: 'public',
      protestAnnounced: true,
      recruiterIds: [rec.id],
    };
    appearanceId = (await t.http().post('/appearances').set(t.auth(rec)).send(body).expect(201)).body.id;
    otherAppearanceId = (
      await t
        .http()
        .post('/appearances')
        .set(t.auth(coord))
        .send({ ...body, title: 'Other fair', startsLocal: '2026-03-13T10:00', endsLocal: '2026-03-13T14:00', recruiterIds: [] })
        .expect(201)
    ).body.id;
    await dispatcher(t).dispatchDue(t.clock.now());
    const mail = smtp.messages.find((m) => m.rcptTo.includes(rec.email) && /Spring career fair/.test(m.parsed.subject ?? ''));
    if (!mail) throw new Error(`no mail for the recruiter: ${smtp.messages.map((m) => m.parsed.subject).join(' | ')}`);
    pageLink = linkIn(mail, /Open the appearance in Forewarn/);
    prefsLink = linkIn(mail, /Other email preferences/);
    ackLink = linkIn(mail, /I have read this warning/);
    homeLink = linkIn(mail, /^https?:\/\//);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it("the mail's footer link to Forewarn itself leads to sign-in, not to a JSON 404", async () => {
    expect(homeLink).toBe('/');
    const home = await t.http().get(homeLink).expect(303);
    expect(home.headers.location).toBe('/pages');
    const landing = await t.http().get('/pages').expect(303);
    expect(landing.headers.location).toMatch(/^\/pages\/login/);
  });

  it("the mail links to the recipient's own signed appearance page, which shows what, when (local, with zone), who, the level, reasons, checklist and history", async () => {
    expect(pageLink).toMatch(new RegExp(`^/pages/appearances/${appearanceId}\\?token=`));
    const res = await t.http().get(pageLink).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Spring career fair');
    expect(res.text).toContain('Thursday 12 March 2026, 10:00 EDT (America/New_York)');
    expect(res.text).toContain('Robin Recruiter');
    expect(res.text).toMatch(/class="level level-(high|critical)"/);
    expect(res.text).toContain('action="/pages/appearances/' + appearanceId + '/ack"');
    expect(res.text).toContain('name="mitigations"');
    expect(res.text).toContain('Appearance planned');
    // the reasons and the evidence behind the level
    expect(res.text).toContain('<h3>Why</h3>');
    expect(res.text).toContain('A protest against this appearance has been announced');
    expect(res.text).toContain('<h3>Evidence</h3>');
    expect(res.text).toContain('Past appearances at this institution (recency-weighted):');
    expect(res.text).not.toContain('<script');
  });

  it('GET never changes anything: every page and mail link opened twice, signed in or by link, leaves the data as it was', async () => {
    const signer = t.app.get(LinkSigner);
    const now = t.clock.now();
    const unsubscribe = `/notifications/unsubscribe?token=${signer.sign('unsubscribe', { sub: rec.id, kind: 'weekly_digest', iat: now, exp: now + DAY_MS })}`;
    const debrief = pageUrl(signer, '', { userId: rec.id, page: 'debrief', appearanceId, exp: now + 30 * DAY_MS });
    const coordCookie = cookiesOf(await t.http().post('/pages/login').type('form').send({ email: coord.email, password: TEST_PASSWORD }).expect(303));
    const hr = await t.factories.user('hr');
    const hrLogin = await t.http().post('/pages/login').type('form').send({ email: hr.email, password: TEST_PASSWORD }).expect(303);
    const hrCookie = String(hrLogin.headers['set-cookie'])
      .split(/,(?=\s*fw_)/)
      .map((c) => c.trim().split(';')[0])
      .join('; ');
    const { institutionId } = (await t.http().get(`/appearances/${appearanceId}`).set(t.auth(rec)).expect(200)).body;
    // everything a page could change, except the audit of who read what
    const state = async () =>
      JSON.stringify([
        await t.db.query('SELECT id, status, attempts, acknowledged_at, acknowledged_by_id FROM notifications ORDER BY id'),
        await t.db.query('SELECT id, muted_kinds, active FROM users ORDER BY id'),
        await t.db.query('SELECT appearance_id, mitigation_id, applied_by_id FROM applied_mitigations ORDER BY appearance_id, mitigation_id'),
        await t.db.query('SELECT * FROM outcomes ORDER BY appearance_id'),
        await t.db.query('SELECT id, version, status, updated_at FROM appearances ORDER BY id'),
        await t.db.query('SELECT COUNT(*) AS n FROM risk_assessments'),
      ]);
    const before = await state();
    const opened: string[] = [];
    for (const [path, cookie] of [
      [pageLink, ''],
      [ackLink, ''],
      [prefsLink, ''],
      [unsubscribe, ''],
      [debrief, ''],
      [homeLink, ''],
      [`/pages/appearances/${appearanceId}`, coordCookie],
      [`/pages/appearances/${appearanceId}/debrief`, coordCookie],
      ['/pages/preferences', coordCookie],
      ['/pages/board', coordCookie],
      ['/pages/me', coordCookie],
      ['/dashboard', hrCookie],
      [`/dashboard/institutions/${institutionId}`, hrCookie],
    ]) {
      for (let i = 0; i < 2; i++) {
        const res = await t.http().get(path).set('Cookie', cookie);
        opened.push(`${path.split('?')[0]} ${res.status}`);
      }
    }
    // every one a page (the service's root sends a browser on to sign in)
    expect(opened.filter((o) => !/ 200$/.test(o))).toEqual(['/ 303', '/ 303']);
    expect(await state()).toBe(before);
    // the buttons on those pages do change it (the comparison can fail): unsubscribing mutes the digest
    await t.http().post(unsubscribe).expect(200);
    expect(await state()).not.toBe(before);
    expect((await t.db.getRepository(User).findOneByOrFail({ id: rec.id })).mutedKinds).toEqual(['weekly_digest']);
  });

  it('the acknowledge link from the mail names the warning in local time; a tampered one is a page, not JSON', async () => {
    const res = await t.http().get(ackLink).expect(200);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Spring career fair');
    expect(res.text).toContain('Thursday 12 March 2026, 10:00 EDT (America/New_York)');
    expect(res.text).toMatch(/sent Monday 2 March 2026, 10:00 EST/);
    expect(res.text).toContain('I have read this warning');
    const bad = await t
      .http()
      .post(ackLink.replace(/token=.{6}/, 'token=AAAAAA'))
      .expect(400);
    expect(bad.headers['content-type']).toMatch(/^text\/html/);
    expect(bad.text).toContain('This link cannot be used');
  });

  it('GET never acknowledges; the button does, for this person, and the page then says so', async () => {
    await t.http().get(pageLink).expect(200);
    const waiting = () => t.db.getRepository(Notification).find({ where: { appearanceId, recipientId: rec.id, ackRequired: true } });
    expect((await waiting()).every((n) => n.acknowledgedAt === null)).toBe(true);
    const res = await t
      .http()
      .post(`/pages/appearances/${appearanceId}/ack`)
      .type('form')
      .send({ token: tokenOf(pageLink) })
      .expect(303);
    expect(res.headers.location).toMatch(/done=ack$/);
    const after = await waiting();
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((n) => n.acknowledgedById === rec.id)).toBe(true);
    const again = await t.http().get(res.headers.location).expect(200);
    expect(again.text).toContain('Acknowledged.');
    expect(again.text).not.toContain('/ack"');
  });

  it('ticking mitigations records which were applied, by whom', async () => {
    const page = await t.http().get(pageLink).expect(200);
    const ids = [...page.text.matchAll(/name="mitigations" value="([a-z_]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(1);
    await t
      .http()
      .post(`/pages/appearances/${appearanceId}/mitigations`)
      .type('form')
      .send(`token=${encodeURIComponent(tokenOf(pageLink))}&mitigations=${ids[0]}&mitigations=${ids[1]}`)
      .expect(303);
    const rows = await t.db.getRepository(AppliedMitigation).find({ where: { appearanceId }, order: { mitigationId: 'ASC' } });
    expect(rows.map((r) => r.mitigationId)).toEqual([ids[0], ids[1]].sort());
    expect(rows.every((r) => r.appliedById === rec.id)).toBe(true);
    const shown = await t.http().get(pageLink).expect(200);
    expect(shown.text).toContain(`value="${ids[0]}" checked`);
    // a mitigation not on this checklist is refused, nothing changes
    const bad = await t
      .http()
      .post(`/pages/appearances/${appearanceId}/mitigations`)
      .type('form')
      .send(`token=${encodeURIComponent(tokenOf(pageLink))}&mitigations=made_up`)
      .expect(400);
    expect(bad.text).toContain('not in the mitigation catalogue');
    expect(await t.db.getRepository(AppliedMitigation).count({ where: { appearanceId } })).toBe(2);
  });

  it('a tampered, replayed or expired link shows a page (not JSON) with a way to sign in', async () => {
    const token = tokenOf(pageLink);
    const tampered = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    const bad = await t.http().get(`/pages/appearances/${appearanceId}?token=${tampered}`).expect(400);
    expect(bad.headers['content-type']).toMatch(/^text\/html/);
    expect(bad.text).toContain('This link cannot be used');
    expect(decode(bad.text)).toContain(`href="/pages/login?next=${encodeURIComponent(`/pages/appearances/${appearanceId}`)}"`);
    // the same token never opens another appearance, nor another page, nor acts there
    expect((await t.http().get(`/pages/appearances/${otherAppearanceId}?token=${token}`).expect(400)).text).toContain('another page');
    await t.http().post(`/pages/appearances/${otherAppearanceId}/mitigations`).type('form').send({ token, mitigations: 'exit_plan' }).expect(400);
    await t.http().get(`/pages/preferences?token=${token}`).expect(400);
    expect(await t.db.getRepository(AppliedMitigation).count({ where: { appearanceId: otherAppearanceId } })).toBe(0);
    const saved = t.clock.now();
    t.clock.set(Date.parse('2026-04-20T00:00:00Z'));
    try {
      const expired = await t.http().get(pageLink).expect(400);
      expect(expired.text).toContain('This link has expired');
      expect(expired.text).toContain('Sign in with your password');
    } finally {
      t.clock.set(saved);
    }
  });

  it("the calendar invitation's URL opens the page (after signing in), not a 401", async () => {
    const mail = smtp.messages.find((m) => m.rcptTo.includes(rec.email))!;
    const ics = mail.parsed.attachments
      .find((a) => a.contentType.startsWith('text/calendar'))!
      .content.toString('utf8')
      .replace(/\r\n[ \t]/g, '');
    const url = /\r\nURL(?:;[^:]*)?:([^\r]+)/.exec(ics)![1];
    const path = new URL(url).pathname;
    expect(path).toBe(`/pages/appearances/${appearanceId}`);
    const res = await t.http().get(path).expect(303);
    expect(res.headers.location).toBe(`/pages/login?next=${encodeURIComponent(path)}`);
  });

  it('without a link: sign in with a password, come back to the page, and forms need the CSRF token', async () => {
    const path = `/pages/appearances/${appearanceId}`;
    const away = await t.http().get(path).expect(303);
    expect(away.headers.location).toBe(`/pages/login?next=${encodeURIComponent(path)}`);
    const form = await t.http().get(away.headers.location).expect(200);
    expect(hidden(form.text, 'next')).toBe(path);
    const wrong = await t.http().post('/pages/login').type('form').send({ email: rec.email, password: 'wrong-password', next: path }).expect(401);
    expect(wrong.text).toContain('Email or password is wrong');
    const login = await t.http().post('/pages/login').type('form').send({ email: rec.email, password: TEST_PASSWORD, next: path }).expect(303);
    expect(login.headers.location).toBe(path);
    const cookie = cookiesOf(login);
    expect(cookie).toMatch(/fw_session=/);
    expect(cookie).toMatch(/fw_csrf=/);
    const page = await t.http().get(path).set('Cookie', cookie).expect(200);
    const csrf = hidden(page.text, '_csrf');
    // no token, a wrong token, or another user's token: refused, nothing written
    const before = await t.db.getRepository(AppliedMitigation).count({ where: { appearanceId } });
    const refused = await t.http().post(`${path}/mitigations`).set('Cookie', cookie).type('form').send({ mitigations: 'exit_plan' }).expect(403);
    expect(refused.text).toContain('did not come from Forewarn');
    await t
      .http()
      .post(`${path}/mitigations`)
      .set('Cookie', cookie)
      .type('form')
      .send({ mitigations: 'exit_plan', _csrf: `${csrf}x` })
      .expect(403);
    const coordLogin = await t.http().post('/pages/login').type('form').send({ email: coord.email, password: TEST_PASSWORD }).expect(303);
    expect(coordLogin.headers.location).toBe('/pages/board');
    // every role signs in on the same form and lands where it fits: hr and admins on the dashboard
    for (const role of ['hr', 'admin'] as const) {
      const who = await t.factories.user(role);
      expect((await t.http().post('/pages/login').type('form').send({ email: who.email, password: TEST_PASSWORD }).expect(303)).headers.location).toBe('/dashboard');
    }
    // the board names the office and says "as of" in the office's own time
    const board = await t.http().get('/pages/board').set('Cookie', cookiesOf(coordLogin)).expect(200);
    expect(board.text).toMatch(new RegExp(`${office.name} · as of Monday 2 March 2026, 10:00 EST \\(America/New_York\\)`));
    await t.http().post(`${path}/mitigations`).set('Cookie', cookiesOf(coordLogin)).type('form').send({ mitigations: 'exit_plan', _csrf: csrf }).expect(403);
    expect(await t.db.getRepository(AppliedMitigation).count({ where: { appearanceId } })).toBe(before);
    const cleared = await t.http().post(`${path}/mitigations`).set('Cookie', cookie).type('form').send({ _csrf: csrf }).expect(303);
    expect(cleared.headers.location).toBe(`${path}?done=mitigations`);
    expect(await t.db.getRepository(AppliedMitigation).count({ where: { appearanceId } })).toBe(0);
  });

  it('preferences from the mail footer: names each kind, risk alerts not switchable, saving mutes the unticked kinds', async () => {
    expect(prefsLink).toMatch(/^\/pages\/preferences\?token=/);
    const page = await t.http().get(prefsLink).expect(200);
    expect(page.text).toContain('Weekly digest of the office&#x27;s next two weeks');
    expect(page.text).toContain('Debrief requests after an appearance');
    expect(page.text).toContain('Risk alerts cannot be switched off');
    expect(page.text).not.toContain('value="briefing"');
    await t
      .http()
      .post('/pages/preferences')
      .type('form')
      .send({ token: tokenOf(prefsLink), kinds: 'debrief_request' })
      .expect(303);
    expect((await t.db.getRepository(User).findOneByOrFail({ id: rec.id })).mutedKinds).toEqual(['weekly_digest']);
    const bad = await t
      .http()
      .post('/pages/preferences')
      .type('form')
      .send({ token: tokenOf(prefsLink), kinds: 'briefing' })
      .expect(400);
    expect(bad.text).toContain('Not a kind of email you can choose: briefing');
    await t
      .http()
      .post('/pages/preferences')
      .type('form')
      .send(`token=${encodeURIComponent(tokenOf(prefsLink))}&kinds=debrief_request&kinds=weekly_digest`)
      .expect(303);
    expect((await t.db.getRepository(User).findOneByOrFail({ id: rec.id })).mutedKinds).toEqual([]);
  });

  it('the debrief request links to the form: refused notes keep the form with the span marked; a good debrief is stored', async () => {
    smtp.clear();
    await t
      .http()
      .post(`/pages/appearances/${appearanceId}/mitigations`)
      .type('form')
      .send({ token: tokenOf(pageLink), mitigations: 'buddy_system' })
      .expect(303);
    t.clock.set(Date.parse('2026-03-12T19:30:00Z'));
    await t.http().post(`/appearances/${appearanceId}/confirm`).set(t.auth(rec)).send({}).expect(200);
    await t.http().post(`/appearances/${appearanceId}/complete`).set(t.auth(rec)).send({}).expect(200);
    await dispatcher(t).dispatchDue(t.clock.now() + DAY_MS);
    const mail = smtp.messages.find((m) => m.rcptTo.includes(rec.email) && /Debrief/.test(m.parsed.subject ?? ''));
    if (!mail) throw new Error(`no debrief request: ${smtp.messages.map((m) => m.parsed.subject).join(' | ')}`);
    const link = linkIn(mail, /record how it went/);
    const unsubscribe = await t
      .http()
      .get(linkIn(mail, /Stop these emails/))
      .expect(200);
    expect(unsubscribe.text).toContain('Stop receiving “Debrief requests after an appearance” from Forewarn');
    expect(link).toMatch(new RegExp(`^/pages/appearances/${appearanceId}/debrief\\?token=`));
    const form = await t.http().get(link).expect(200);
    expect(form.text).toContain('value="buddy_system" checked');
    const token = tokenOf(link);
    const refused = await t
      .http()
      .post(`/pages/appearances/${appearanceId}/debrief`)
      .type('form')
      .send({ token, result: 'disrupted', attendance: '120', leads: 'many', notes: 'A group blocked the table; write to jane.doe@example.com for photos.' })
      .expect(400);
    expect(refused.text).toContain('id="leads-error"');
    expect(refused.text).toContain('value="120"');
    const privacy = await t
      .http()
      .post(`/pages/appearances/${appearanceId}/debrief`)
      .type('form')
      .send({ token, result: 'disrupted', attendance: '120', notes: 'A group blocked the table; write to jane.doe@example.com for photos.' })
      .expect(422);
    expect(privacy.text).toContain('aria-describedby="notes-error notes-refused"');
    expect(privacy.text).toContain('<mark>jane.doe@example.com</mark>');
    expect(privacy.text).toContain('A group blocked the table');
    expect(await t.db.getRepository(Outcome).count({ where: { appearanceId } })).toBe(0);
    const ok = await t
      .http()
      .post(`/pages/appearances/${appearanceId}/debrief`)
      .type('form')
      .send(
        `token=${encodeURIComponent(token)}&result=disrupted&attendance=120&conversations=30&leads=8&applicationsStarted=&mitigationsUsed=buddy_system&mitigationsUsed=exit_plan&notes=${encodeURIComponent('A group blocked the table for twenty minutes; the host moved us.')}`,
      )
      .expect(303);
    expect(ok.headers.location).toMatch(/done=saved$/);
    const o = await t.db.getRepository(Outcome).findOneByOrFail({ appearanceId });
    expect(o).toMatchObject({ result: 'disrupted', attendance: 120, conversations: 30, leads: 8, applicationsStarted: null, mitigationsUsed: ['buddy_system', 'exit_plan'], submittedById: rec.id });
    expect((await t.http().get(ok.headers.location).expect(200)).text).toContain('the debrief is recorded');
  });

  it("a page opened by mail link links to its sibling with the same person's own link for 7 days; signed in, the links are plain paths", async () => {
    const signer = t.app.get(LinkSigner);
    const start = t.clock.now();
    const hrefOf = (html: string, text: RegExp): string => {
      const href = hrefIn(html, text);
      if (href === null) throw new Error(`no link ${text}`);
      return href;
    };
    // by mail link: the debrief form links back to the appearance page, the (ended) appearance page to the debrief
    const debrief = pageUrl(signer, '', { userId: rec.id, page: 'debrief', appearanceId, exp: start + DAY_MS });
    const back = hrefOf((await t.http().get(debrief).expect(200)).text, /Back to the appearance/);
    expect(back).toMatch(new RegExp(`^/pages/appearances/${appearanceId}\\?token=`));
    const shown = await t.http().get(back).expect(200);
    expect(shown.text).toContain('Spring career fair');
    const forward = hrefOf(shown.text, /debrief/);
    expect(forward).toMatch(new RegExp(`^/pages/appearances/${appearanceId}/debrief\\?token=`));
    await t.http().get(forward).expect(200);
    // the sibling link is the recipient's own, and lasts 7 days from when the page was shown (not the mail link's 1 day)
    try {
      t.clock.set(start + 7 * DAY_MS - 60_000);
      await t.http().get(back).expect(200);
      t.clock.set(start + 7 * DAY_MS + 60_000);
      expect((await t.http().get(back).expect(400)).text).toMatch(/expired/i);
    } finally {
      t.clock.set(start);
    }
    // signed in: plain paths, no token in the page
    const cookie = cookiesOf(await t.http().post('/pages/login').type('form').send({ email: rec.email, password: TEST_PASSWORD }).expect(303));
    const page = await t.http().get(`/pages/appearances/${appearanceId}`).set('Cookie', cookie).expect(200);
    expect(hrefOf(page.text, /debrief/)).toBe(`/pages/appearances/${appearanceId}/debrief`);
    const form = await t.http().get(`/pages/appearances/${appearanceId}/debrief`).set('Cookie', cookie).expect(200);
    expect(hrefOf(form.text, /Back to the appearance/)).toBe(`/pages/appearances/${appearanceId}`);
  });
  it('the checklist says only what can still be done: "a week before" gives way to "now" in the mail and on the page, the same mitigation ticked', async () => {
    smtp.clear();
    t.clock.set(Date.parse('2026-03-16T15:00:00Z'));
    const inst = await t.factories.institution({ name: 'Ohio State University', city: 'Columbus', state: 'OH', timeZone: 'America/New_York' });
    const id = (
      await t
        .http()
        .post('/appearances')
        .set(t.auth(rec))
        .send({
          institutionId: inst.id,
          kind: 'info_session',
          title: 'Late spring info session',
          startsLocal: '2026-03-26T10:00',
          endsLocal: '2026-03-26T11:00',
          venue: 'Ohio Union',
          format: 'in_person',
          audience: 'public',
          protestAnnounced: true,
          recruiterIds: [rec.id],
        })
        .expect(201)
    ).body.id;
    const WEEK = 'Confirm the event with your host contact a week before.';
    const NOW = 'Confirm the event with your host contact now, by phone if you can: it is less than a week away.';
    const mailFor = (offset: RegExp) => {
      const m = smtp.messages.find((x) => x.rcptTo.includes(rec.email) && /Late spring info session/.test(x.parsed.subject ?? '') && offset.test(x.parsed.subject ?? ''));
      if (!m) throw new Error(`no ${offset} briefing: ${smtp.messages.map((x) => x.parsed.subject).join(' | ')}`);
      return { html: decode(String(m.parsed.html)), text: String(m.parsed.text), link: linkIn(m, /Open the appearance in Forewarn/) };
    };
    // ten days ahead: as written
    await dispatcher(t).dispatchDue(t.clock.now());
    const early = mailFor(/10 days before/);
    expect(early.html).toContain(WEEK);
    expect(early.text).toContain(`[ ] ${WEEK}`);
    expect(decode((await t.http().get(early.link).expect(200)).text)).toContain(`<label for="m-confirm_with_host_contact">${WEEK}</label>`);
    // the 3-day briefing: what can still be done, in both parts of the mail and on its page
    t.clock.set(Date.parse('2026-03-23T14:30:00Z'));
    await dispatcher(t).dispatchDue(t.clock.now());
    const late = mailFor(/3 days before/);
    for (const part of [late.html, late.text]) {
      expect(part).not.toContain('a week before');
      expect(part).toContain(NOW);
      expect(part).toContain('Check campus and local news the day before for announced actions.');
    }
    const page = decode((await t.http().get(late.link).expect(200)).text);
    expect(page).not.toContain('a week before');
    expect(page).toContain(`<label for="m-confirm_with_host_contact">${NOW}</label>`);
    await t
      .http()
      .post(`/pages/appearances/${id}/mitigations`)
      .type('form')
      .send({ token: tokenOf(late.link), mitigations: 'confirm_with_host_contact' })
      .expect(303);
    expect((await t.db.getRepository(AppliedMitigation).find({ where: { appearanceId: id } })).map((r) => r.mitigationId)).toEqual(['confirm_with_host_contact']);
    // on the day itself (08:00 in Columbus) "the day before" has passed too; the tick stays
    t.clock.set(Date.parse('2026-03-26T12:00:00Z'));
    const today = decode((await t.http().get(late.link).expect(200)).text);
    expect(today).not.toContain('the day before');
    expect(today).toContain('Check campus and local news for announced actions before you leave.');
    expect(today).toContain('value="confirm_with_host_contact" checked');
    // a debrief through the API that does not list the mitigations used takes the ticked checklist; an edit keeps it; [] says none
    t.clock.set(Date.parse('2026-03-26T16:00:00Z'));
    const debrief = (body: object) => t.http().put(`/appearances/${id}/outcome`).set(t.auth(rec)).send(body);
    expect((await debrief({ result: 'as_planned', attendance: 40 }).expect(201)).body.mitigationsUsed).toEqual(['confirm_with_host_contact']);
    expect((await debrief({ result: 'as_planned', attendance: 45 }).expect(200)).body.mitigationsUsed).toEqual(['confirm_with_host_contact']);
    expect((await debrief({ result: 'as_planned', attendance: 45, mitigationsUsed: [] }).expect(200)).body.mitigationsUsed).toEqual([]);
    expect((await t.db.getRepository(Outcome).findOneByOrFail({ appearanceId: id })).mitigationsUsed).toEqual([]);
  });
});
