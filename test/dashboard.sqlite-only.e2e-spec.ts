import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { TEST_PASSWORD } from './helpers/factories';
import { createTestApp, TestApp } from './helpers/test-app';
import { REPORTS_NOW, seedReportsHistory } from './reports-fixtures';

/**
 * The dashboard in a real browser: Debian's chromium (apt-get install chromium) driven by
 * playwright-core, no browser download. Screenshots land in test-artifacts/ (gitignored).
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'test-artifacts');
const WINDOW = 'from=2026-01-01&to=2026-07-01';

type Seed = Awaited<ReturnType<typeof seedReportsHistory>>;

describe('dashboard in headless Chromium', () => {
  let t: TestApp;
  let s: Seed;
  let base: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    t = await createTestApp({ now: REPORTS_NOW });
    s = await seedReportsHistory(t);
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    profile = mkdtempSync(join(tmpdir(), 'forewarn-chromium-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1100, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  const api = (path: string) => t.http().get(path).set(t.auth(s.hr)).expect(200);

  it('signs in through the form and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    await page.goto(`${base}/dashboard?${WINDOW}`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-login.png') });
    await page.getByLabel('Email').fill(s.hr.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.getByRole('button', { name: 'Sign in' }).click()]);
    const [cookie] = await context.cookies(`${base}/dashboard`);
    expect(cookie).toMatchObject({ name: 'fw_dashboard', httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
  });

  it('shows four labelled charts whose bars and tables match the API', async () => {
    await page.goto(`${base}/dashboard?${WINDOW}`);
    await expect(page.locator('svg.chart').count()).resolves.toBe(4);
    expect(await page.locator('script').count()).toBe(0);
    for (const name of ['Incidents aimed at us per appearance, by month', 'Reception by state: institutions by their current stance', 'Outcomes by appearance kind', 'Predicted vs observed disruption, by predicted level']) {
      await expect(page.getByRole('img', { name }).count()).resolves.toBe(1);
    }

    // Incidents per month: one bar per month with appearances, values equal to the API's rates.
    const trend = (await api(`/reports/incident-trend?${WINDOW}`)).body;
    const bars = await page.locator('#chart-incidents rect.bar').evaluateAll((els) => els.map((e) => [e.getAttribute('data-category'), Number(e.getAttribute('data-value'))]));
    expect(bars).toEqual(trend.months.filter((m: { rate: number | null }) => m.rate !== null).map((m: { month: string; rate: number }) => [m.month, m.rate]));
    await expect(page.locator('#verdict').textContent()).resolves.toBe(trend.verdict);
    const trendRows = await page.locator('#table-incidents tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.children).slice(0, 3).map((c) => c.textContent)));
    expect(trendRows).toEqual(trend.months.map((m: { month: string; appearances: number; incidents: number }) => [m.month, String(m.appearances), String(m.incidents)]));

    // Reception by state: segment values per state equal the API's counts.
    const reception = (await api('/reports/reception-trend?to=2026-07-01')).body;
    const segments = await page.locator('#chart-reception rect.bar').evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-category')}:${e.getAttribute('data-series')}=${e.getAttribute('data-value')}`),
    );
    const expected = reception.byState.flatMap((r: Record<string, number | string>) =>
      ['welcoming', 'neutral', 'cautious', 'restricted', 'hostile'].filter((st) => Number(r[st]) > 0).map((st) => `${r.state}:${st}=${r[st]}`),
    );
    expect(segments.sort()).toEqual(expected.sort());

    // Outcomes by kind: the "Held" bars and the table's appearance counts.
    const outcomes = (await api(`/reports/outcomes?groupBy=kind&${WINDOW}`)).body;
    const held = await page.locator('#chart-outcomes rect.bar[data-series="Held"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(held).toEqual(outcomes.rows.map((r: { held: number }) => r.held));
    await expect(page.locator('#debriefs-due').textContent()).resolves.toBe(String(outcomes.totals.debriefDue));

    // Predicted vs observed: observed shares per level equal the API's.
    const model = (await api(`/reports/model-accountability?${WINDOW}`)).body;
    const observed = await page.locator('#chart-model rect.bar[data-series="Observed"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-category'), Number(e.getAttribute('data-value'))]));
    expect(observed).toEqual(model.levels.filter((l: { observedRate: number | null }) => l.observedRate !== null).map((l: { level: string; observedRate: number }) => [l.level, l.observedRate]));
    const modelRows = await page.locator('#table-model tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.children).slice(0, 3).map((c) => c.textContent)));
    expect(modelRows).toEqual(model.levels.map((l: { level: string; appearances: number; disrupted: number }) => [l.level, String(l.appearances), String(l.disrupted)]));

    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-hr.png'), fullPage: true });
  });

  it('downloads a report as CSV through the links on the page', async () => {
    await page.goto(`${base}/dashboard?${WINDOW}`);
    const href = await page.getByRole('link', { name: 'Outcomes by kind' }).getAttribute('href');
    expect(href).toBe(`/dashboard/csv/outcomes?groupBy=kind&${WINDOW}`);
    const res = await context.request.get(`${base}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['key', 'label', 'appearances']);
    expect(lines[lines.length - 1]).toMatch(/^total,All,7,/);
  });

  it('shows a recruiter a 403 page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/dashboard/login`);
    await page.getByLabel('Email').fill(s.recruiter.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/dashboard/login') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(response.status()).toBe(403);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('you are recruiter');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-recruiter-403.png') });
  });
});
