import { TEST_PASSWORD } from './helpers/factories';
import { createTestApp, TestApp } from './helpers/test-app';
import { REPORTS_NOW, seedReportsHistory } from './reports-fixtures';

type Seed = Awaited<ReturnType<typeof seedReportsHistory>>;

/** The dashboard's office picker, kind and state filters, refused filters on the form, the forward look and the institution drill-down. */
describe('dashboard filters, upcoming risk and drill-down', () => {
  let t: TestApp;
  let s: Seed;
  let hr: string;
  beforeAll(async () => {
    t = await createTestApp({ now: REPORTS_NOW });
    s = await seedReportsHistory(t);
    hr = await signIn(s.hr.email);
  });
  afterAll(() => t.close());

  async function signIn(email: string): Promise<string> {
    const res = await t.http().post('/dashboard/login').type('form').send({ email, password: TEST_PASSWORD }).expect(303);
    return String(res.headers['set-cookie']).split(';')[0];
  }
  const outcomesRows = (html: string) => [...html.matchAll(/<tr><th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);

  it('offers offices by name (coordinators only theirs) and names the chosen one', async () => {
    const res = await t.http().get(`/dashboard?from=2026-01-01&to=2026-07-01&officeId=${s.officeB.id}`).set('Cookie', hr).expect(200);
    expect(res.text).toContain('<option value="">All offices</option>');
    expect(res.text).toContain(`<option value="${s.officeB.id}" selected>${s.officeB.name}</option>`);
    expect(res.text).toContain(`; ${s.officeB.name}.`);
    const coord = await t
      .http()
      .get('/dashboard')
      .set('Cookie', await signIn(s.coordinatorA.email))
      .expect(200);
    expect(coord.text).not.toContain('All offices');
    expect(coord.text).not.toContain(s.officeB.name);
  });

  it('the kind filter filters', async () => {
    const all = await t.http().get('/dashboard?from=2026-01-01&to=2026-07-01').set('Cookie', hr).expect(200);
    const fairs = await t.http().get('/dashboard?from=2026-01-01&to=2026-07-01&kind=career_fair').set('Cookie', hr).expect(200);
    const kinds = (html: string) => /<table id="table-outcomes">[\s\S]*?<\/table>/.exec(html)![0];
    expect(outcomesRows(kinds(all.text))).toEqual(expect.arrayContaining(['career fair', 'info session']));
    expect(outcomesRows(kinds(fairs.text))).toEqual(['career fair', 'All kinds']);
    expect(fairs.text).toContain('<option value="career_fair" selected>');
  });

  it("the state filter filters: outcomes of that state's institutions only, reception of that state only", async () => {
    const tableOf = (html: string, id: string) => new RegExp(`<table id="${id}">[\\s\\S]*?</table>`).exec(html)![0];
    const total = (html: string) => Number(/<tr><th scope="row">All kinds<\/th><td class="num">(\d+)<\/td>/.exec(tableOf(html, 'table-outcomes'))![1]);
    const all = await t.http().get('/dashboard?from=2026-01-01&to=2026-07-01').set('Cookie', hr).expect(200);
    const mi = await t.http().get('/dashboard?from=2026-01-01&to=2026-07-01&state=MI').set('Cookie', hr).expect(200);
    expect(outcomesRows(tableOf(all.text, 'table-reception'))).toEqual(expect.arrayContaining(['MI', 'OH']));
    expect(outcomesRows(tableOf(mi.text, 'table-reception'))).toEqual(['MI']);
    // the two info sessions at the Michigan college, out of every appearance in the window
    expect(total(mi.text)).toBe(2);
    expect(total(all.text)).toBeGreaterThan(2);
    expect(outcomesRows(tableOf(mi.text, 'table-outcomes'))).toEqual(['info session', 'All kinds']);
    expect(mi.text).toContain('id="state" name="state" size="6" value="MI"');
  });

  it('an unknown state or a bad date keeps the form, with the reason next to the field', async () => {
    const res = await t.http().get('/dashboard?from=2026-01-01&state=Ohio&kind=career_fair').set('Cookie', hr).expect(400);
    expect(res.text).toContain('id="state" name="state" size="6" value="Ohio" aria-invalid="true" aria-describedby="state-error"');
    expect(res.text).toContain('use the two-letter code, e.g. OH for Ohio');
    expect(res.text).toContain('<option value="career_fair" selected>');
    expect(res.text.match(/Something went wrong/g)).toBeNull();
    const dates = await t.http().get('/dashboard?from=2026-07-01&to=2026-01-01').set('Cookie', hr).expect(400);
    expect(dates.text).toContain('aria-describedby="from-error"');
    expect(dates.text).toContain('href="/dashboard"');
    await t.http().get('/dashboard?state=OH').set('Cookie', hr).expect(200);
  });

  it('shows the next 30 days by level and links institutions to a drill-down with timeline, reception, incidents and outcomes', async () => {
    const res = await t.http().get('/dashboard').set('Cookie', hr).expect(200);
    expect(res.text).toContain('Coming up: the next 30 days');
    expect(res.text).toMatch(/<ul class="levels" id="upcoming-levels"><li><strong>\d+<\/strong> critical<\/li>/);
    const link = /href="(\/dashboard\/institutions\/[0-9a-f-]+)"/.exec(res.text);
    expect(link).not.toBeNull();
    const page = await t.http().get(`/dashboard/institutions/${s.u1.id}`).set('Cookie', hr).expect(200);
    expect(page.text).toContain(s.u1.name);
    expect(page.text).toContain('Reception now');
    expect(page.text).toContain('<td>Incident</td>');
    expect(page.text).toContain('<td>Appearance</td>');
    expect(page.text).toMatch(/As planned|Disrupted/);
    await t.http().get('/dashboard/institutions/00000000-0000-4000-8000-000000000000').set('Cookie', hr).expect(404);
  });
});
