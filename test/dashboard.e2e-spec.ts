import { TEST_PASSWORD } from './helpers/factories';
import { cookiesOf, hidden } from './helpers/pages';
import { createTestApp, TestApp } from './helpers/test-app';
import { REPORTS_NOW, seedReportsHistory } from './reports-fixtures';

type Seed = Awaited<ReturnType<typeof seedReportsHistory>>;

describe('dashboard (HTTP, cookie sign-in)', () => {
  let t: TestApp;
  let s: Seed;
  beforeAll(async () => {
    t = await createTestApp({ now: REPORTS_NOW });
    s = await seedReportsHistory(t);
  });
  afterAll(() => t.close());

  async function signIn(email: string): Promise<string> {
    const res = await t.http().post('/dashboard/login').type('form').send({ email, password: TEST_PASSWORD }).expect(303);
    expect(res.headers.location).toBe('/dashboard');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^fw_dashboard=[^;]+; Path=\/dashboard; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    return cookie.split(';')[0];
  }

  it('sends a visitor without a session to the sign-in form', async () => {
    const res = await t.http().get('/dashboard').expect(303);
    expect(res.headers.location).toBe('/dashboard/login');
    const form = await t.http().get('/dashboard/login').expect(200);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    expect(form.text).toContain('<form method="post" action="/dashboard/login"');
  });

  it('refuses a wrong password on the form, without a cookie', async () => {
    const res = await t.http().post('/dashboard/login').type('form').send({ email: s.hr.email, password: 'wrong-password' }).expect(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toContain('Email or password is wrong');
  });

  it('renders the dashboard for hr with four labelled charts and their tables, and no script', async () => {
    const cookie = await signIn(s.hr.email);
    const res = await t.http().get('/dashboard?from=2026-01-01&to=2026-07-01').set('Cookie', cookie).expect(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    for (const id of ['chart-incidents', 'chart-reception', 'chart-outcomes', 'chart-model']) {
      expect(res.text).toContain(`<svg id="${id}" class="chart" role="img" aria-labelledby="${id}-title ${id}-desc"`);
    }
    for (const id of ['table-incidents', 'table-reception', 'table-outcomes', 'table-model', 'table-brier', 'table-worsened']) expect(res.text).toContain(`<table id="${id}">`);
    expect(res.text).not.toContain('<script');
    expect(res.text).toContain('<strong id="debriefs-due">2</strong>');
    // Names are escaped, never markup.
    expect(res.text).not.toMatch(/<[^>]*=SUM/);
  });

  it('shows the mitigation comparisons with their intervals, cautions and the confounding warning', async () => {
    const cookie = await signIn(s.hr.email);
    const res = await t.http().get('/dashboard?from=2026-01-01&to=2026-07-01').set('Cookie', cookie).expect(200);
    expect(res.text).toContain('<table id="table-mitigations">');
    expect(res.text).toMatch(/<p class="verdict" id="mitigations-warning">Mitigations are chosen for the riskier appearances/);
    expect(res.text).toContain('No comparable appearances without it at the same predicted level');
  });

  it('downloads CSV with the cookie, and the JSON API still needs a bearer token', async () => {
    const cookie = await signIn(s.hr.email);
    const csv = await t.http().get('/dashboard/csv/outcomes?groupBy=kind&from=2026-01-01&to=2026-07-01').set('Cookie', cookie).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[1]).toMatch(/^career_fair,career_fair,3,/);
    await t.http().get('/dashboard/csv/nonsense').set('Cookie', cookie).expect(400);
    await t.http().get('/reports/outcomes').set('Cookie', cookie).expect(401);
  });

  it('limits a coordinator to their office and refuses recruiters with a 403 page', async () => {
    const cookie = await signIn(s.coordinatorA.email);
    const res = await t.http().get('/dashboard').set('Cookie', cookie).expect(200);
    expect(res.text).toContain(`; ${s.officeA.name}.`);
    expect(res.text).not.toContain(s.officeB.name);
    const rec = await t.http().post('/dashboard/login').type('form').send({ email: s.recruiter.email, password: TEST_PASSWORD }).expect(403);
    expect(rec.headers['set-cookie']).toBeUndefined();
    expect(rec.text).toContain('you are recruiter');
    const forged = t.auth(s.recruiter).Authorization.replace('Bearer ', '');
    const page = await t.http().get('/dashboard').set('Cookie', `fw_dashboard=${forged}`).expect(403);
    expect(page.text).toContain('Not for your role');
  });

  it('signs out only with the CSRF token of the sign-out form; without a session it just clears the cookie', async () => {
    const session = await signIn(s.hr.email);
    const page = await t.http().get('/dashboard').set('Cookie', session).expect(200);
    const csrfCookie = cookiesOf(page);
    expect(csrfCookie).toMatch(/^fw_dashboard_csrf=[^;]+$/);
    expect(String(page.headers['set-cookie'])).toMatch(/Path=\/dashboard; HttpOnly; SameSite=Strict/);
    const cookie = `${session}; ${csrfCookie}`;
    const token = hidden(page.text, '_csrf');
    const stillSignedIn = () => t.http().get('/dashboard').set('Cookie', cookie).expect(200);
    // no token, a wrong one, a token without the secret cookie, another user's token: refused, the session goes on
    const none = await t.http().post('/dashboard/logout').set('Cookie', cookie).type('form').send({}).expect(403);
    expect(none.headers['content-type']).toMatch(/^text\/html/);
    expect(none.text).toContain('did not come from Forewarn');
    expect(none.headers['set-cookie']).toBeUndefined();
    await stillSignedIn();
    await t
      .http()
      .post('/dashboard/logout')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: `${token}x` })
      .expect(403);
    await t.http().post('/dashboard/logout').set('Cookie', session).type('form').send({ _csrf: token }).expect(403);
    const other = await signIn(s.coordinatorA.email);
    const otherPage = await t.http().get('/dashboard').set('Cookie', other).expect(200);
    await t
      .http()
      .post('/dashboard/logout')
      .set('Cookie', `${other}; ${cookiesOf(otherPage)}`)
      .type('form')
      .send({ _csrf: token })
      .expect(403);
    await stillSignedIn();
    // the right token signs out: both cookies cleared, the session's token refused from now on
    const out = await t.http().post('/dashboard/logout').set('Cookie', cookie).type('form').send({ _csrf: token }).expect(303);
    expect(out.headers.location).toBe('/dashboard/login');
    expect(String(out.headers['set-cookie'])).toMatch(/^fw_dashboard=; .*Max-Age=0/);
    expect(String(out.headers['set-cookie'])).toMatch(/fw_dashboard_csrf=; .*Max-Age=0/);
    expect((await t.http().get('/dashboard').set('Cookie', cookie).expect(303)).headers.location).toBe('/dashboard/login');
    // no session: nothing to end or to forge, the cookie is cleared
    const anonymous = await t.http().post('/dashboard/logout').expect(303);
    expect(String(anonymous.headers['set-cookie'])).toMatch(/^fw_dashboard=; .*Max-Age=0/);
  });
});
