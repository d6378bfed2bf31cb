import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserContext, Page } from 'playwright-core';
import { DEMO_USERS, DemoSeed, seedDemo } from '../scripts/demo-seed';
import { HeadlessBrowser, launchHeadlessChromium } from './helpers/browser';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * The dashboard in a real browser on the demo data (the same seeding `npm run demo` runs):
 * headless Chromium (test/helpers/browser.ts: CHROMIUM_PATH, a system Chromium, or the npm one) driven by playwright-core.
 * Every number the page shows is checked against the JSON of the /reports endpoint it comes from.
 * Screenshots land in test-artifacts/ (gitignored).
 */
const ARTIFACTS = join(__dirname, '..', 'test-artifacts');
/** The demo's "now" in this test (a Monday afternoon); the demo's history is relative to it. */
const DEMO_NOW = Date.UTC(2026, 10, 16, 15);
const STANCES = ['welcoming', 'neutral', 'cautious', 'restricted', 'hostile'];

type Cell = { textContent: string | null };

describe('dashboard in headless Chromium, on the demo data', () => {
  let t: TestApp;
  let demo: DemoSeed;
  let token: string;
  let base: string;
  let browser: HeadlessBrowser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    t = await createTestApp({ now: DEMO_NOW, auth: { adminEmail: DEMO_USERS.admin.email, adminPassword: DEMO_USERS.admin.password } });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    demo = await seedDemo(t.app, t.clock);
    token = (await t.http().post('/auth/login').send({ email: DEMO_USERS.hr.email, password: DEMO_USERS.hr.password }).expect(200)).body.accessToken;
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchHeadlessChromium({ viewport: { width: 1100, height: 900 } });
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The first n cells of each body row of a table (evaluated in the page). */
  const tableCells = (selector: string, n: number) =>
    page.locator(`${selector} tbody tr`).evaluateAll(
      (rows, k) =>
        rows.map((r) =>
          Array.from(r.children)
            .slice(0, k)
            .map((c) => (c as unknown as Cell).textContent),
        ),
      n,
    );
  const api = async (path: string) => (await t.http().get(path).set('Authorization', `Bearer ${token}`).expect(200)).body;

  it('seeds a believable past: hundreds of debriefed appearances, each with a snapshot made before it', async () => {
    expect(demo.history.appearances).toBeGreaterThan(200);
    expect(demo.history.outcomes).toBeGreaterThan(180);
    expect(demo.history.incidents).toBeGreaterThan(10);
    const [{ late }] = await t.db.query(
      `SELECT COUNT(*) AS late FROM appearances a WHERE a.starts_at < ? AND NOT EXISTS (SELECT 1 FROM risk_assessments r WHERE r.appearance_id = a.id AND r.as_of < a.starts_at)`,
      [DEMO_NOW],
    );
    expect(Number(late)).toBe(0);
    const months = await api('/reports/outcomes?groupBy=month');
    expect(months.rows.length).toBe(12);
    expect(months.rows.every((r: { appearances: number }) => r.appearances > 0)).toBe(true);
  });

  it('signs in through the form and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-login.png') });
    await page.getByLabel('Email').fill(DEMO_USERS.hr.email);
    await page.getByLabel('Password').fill(DEMO_USERS.hr.password);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.getByRole('button', { name: 'Sign in' }).click()]);
    const [cookie] = await context.cookies(`${base}/dashboard`);
    expect(cookie).toMatchObject({ name: 'fw_dashboard', httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
  });

  it('shows four labelled charts, each with data, whose bars and tables match the API', async () => {
    await page.goto(`${base}/dashboard`);
    await expect(page.locator('svg.chart').count()).resolves.toBe(4);
    expect(await page.locator('script').count()).toBe(0);
    for (const name of [
      'Incidents aimed at us per appearance, by month',
      'Reception by state: institutions by their current stance',
      'Outcomes by appearance kind',
      'Predicted vs observed disruption, by predicted level',
    ]) {
      await expect(page.getByRole('img', { name }).count()).resolves.toBe(1);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-hr.png'), fullPage: true });
    for (const id of ['chart-incidents', 'chart-reception', 'chart-outcomes', 'chart-model']) await page.locator(`#${id}`).screenshot({ path: join(ARTIFACTS, `dashboard-${id}.png`) });

    // Incidents per month: twelve months of appearances, some with incidents; bars = the API's rates.
    const trend = await api('/reports/incident-trend');
    const withRate = trend.months.filter((m: { rate: number | null }) => m.rate !== null);
    expect(withRate.length).toBe(12);
    expect(withRate.filter((m: { rate: number }) => m.rate > 0).length).toBeGreaterThanOrEqual(6);
    const bars = await page.locator('#chart-incidents rect.bar').evaluateAll((els) => els.map((e) => [e.getAttribute('data-category'), Number(e.getAttribute('data-value'))]));
    expect(bars).toEqual(withRate.map((m: { month: string; rate: number }) => [m.month, m.rate]));
    await expect(page.locator('#verdict').textContent()).resolves.toBe(trend.verdict);
    const trendRows = await tableCells('#table-incidents', 3);
    expect(trendRows).toEqual(trend.months.map((m: { month: string; appearances: number; incidents: number }) => [m.month, String(m.appearances), String(m.incidents)]));

    // Reception by state: one segment per state and stance with institutions, values = the API's counts.
    const reception = await api('/reports/reception-trend');
    const segments = await page
      .locator('#chart-reception rect.bar')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-category')}:${e.getAttribute('data-series')}=${e.getAttribute('data-value')}`));
    const expected = reception.byState.flatMap((r: Record<string, number | string>) => STANCES.filter((st) => Number(r[st]) > 0).map((st) => `${r.state}:${st}=${r[st]}`));
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(segments.sort()).toEqual(expected.sort());
    expect(segments.some((s) => /:(restricted|hostile|cautious)=/.test(s))).toBe(true);

    // Outcomes by kind: the "Held" bars, the table and the debriefs due.
    const outcomes = await api('/reports/outcomes?groupBy=kind');
    expect(outcomes.rows.length).toBeGreaterThanOrEqual(4);
    const held = await page.locator('#chart-outcomes rect.bar[data-series="Held"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(held).toEqual(outcomes.rows.map((r: { held: number }) => r.held));
    expect(held.every((h) => h > 0)).toBe(true);
    const outcomeRows = await tableCells('#table-outcomes', 2);
    // One row per kind, then the total.
    expect(outcomeRows.map((r) => r[1])).toEqual([...outcomes.rows, outcomes.totals].map((r: { appearances: number }) => String(r.appearances)));
    await expect(page.locator('#debriefs-due').textContent()).resolves.toBe(String(outcomes.totals.debriefDue));
    expect(outcomes.totals.debriefDue).toBeGreaterThan(0);

    // Predicted vs observed: observed shares per level equal the API's. (Under forewarn-risk-2.0 the
    // demo's illustrative past reads almost all Low: its own debriefs are not fitted; see the README.)
    const model = await api('/reports/model-accountability');
    const observed = await page.locator('#chart-model rect.bar[data-series="Observed"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-category'), Number(e.getAttribute('data-value'))]));
    const levels = model.levels.filter((l: { observedRate: number | null }) => l.observedRate !== null);
    expect(levels.length).toBeGreaterThanOrEqual(1);
    expect(observed.length).toBeGreaterThanOrEqual(1);
    expect(observed).toEqual(levels.map((l: { level: string; observedRate: number }) => [l.level, l.observedRate]));
    const modelRows = await tableCells('#table-model', 3);
    expect(modelRows).toEqual(model.levels.map((l: { level: string; appearances: number; disrupted: number }) => [l.level, String(l.appearances), String(l.disrupted)]));
  });

  it('downloads a report as CSV through the links on the page, with the totals of the API', async () => {
    await page.goto(`${base}/dashboard`);
    const href = await page.getByRole('link', { name: 'Outcomes by kind' }).getAttribute('href');
    expect(href).toBe('/dashboard/csv/outcomes?groupBy=kind');
    const res = await context.request.get(`${base}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['key', 'label', 'appearances']);
    const outcomes = await api('/reports/outcomes?groupBy=kind');
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^total,All,${outcomes.totals.appearances},`));
    expect(lines.length).toBe(outcomes.rows.length + 2);
  });

  it('shows a recruiter a 403 page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/dashboard/login`);
    await page.getByLabel('Email').fill(DEMO_USERS.recruiter.email);
    await page.getByLabel('Password').fill(DEMO_USERS.recruiter.password);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/dashboard/login') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(response.status()).toBe(403);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('you are recruiter');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-recruiter-403.png') });
  });
});
