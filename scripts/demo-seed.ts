/**
 * The demo's seeding, shared by `npm run demo` (scripts/demo.ts) and the dashboard browser test
 * (test/dashboard.sqlite-only.e2e-spec.ts): offices, one user per role, about a hundred
 * institutions, real campus-protest context, the story of the motivating case (scripts/demo-story.ts),
 * sixteen months of past appearances with their risk snapshots, debriefs and incidents
 * (scripts/demo-history.ts), and upcoming appearances. Everything but the past goes through the
 * HTTP API; dates are relative to the app's clock, which must be settable (the past is assessed
 * with the clock moved back, then the clock is put back to "now").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DateTime } from 'luxon';
import { APPEARANCES, DAY, DEMO_OFFICES, DEMO_USERS, INCIDENTS, RECEPTION } from './demo-story';

export { DEMO_OFFICES, DEMO_USERS } from './demo-story';
import { HistoryContext, HistorySummary, seedHistory, SettableClock } from './demo-history';

export type { SettableClock } from './demo-history';

export const DEMO_ROOT = [resolve(__dirname, '..'), resolve(__dirname, '..', '..'), process.cwd()].find((d) => existsSync(join(d, 'data-fixtures', 'demo')))!;
export const DEMO_FIXTURES = join(DEMO_ROOT, 'data-fixtures', 'demo');

export interface DemoSeed {
  offices: Record<string, string>;
  users: Record<string, string>;
  history: HistorySummary;
  planned: Array<{ title: string; level: string; at: string }>;
}

/**
 * Seeds a freshly migrated app (listening; its first admin is DEMO_USERS.admin) as of clock.now().
 * `clock` must be the instance the app's services read (the test's FixedClock, or the demo's pinned clock).
 */
export async function seedDemo(app: INestApplication, clock: SettableClock, log: { log: (m: string) => void } = { log: () => undefined }): Promise<DemoSeed> {
  const api = new Api((await app.getUrl()).replace('[::1]', '127.0.0.1'));
  await api.login(DEMO_USERS.admin.email, DEMO_USERS.admin.password);
  const offices: Record<string, string> = {};
  for (const [key, o] of Object.entries(DEMO_OFFICES)) offices[key] = (await api.post('/offices', o)).id;
  const users: Record<string, string> = {};
  for (const [key, u] of Object.entries(DEMO_USERS)) {
    if (key === 'admin') continue;
    const office = 'office' in u ? offices[u.office] : undefined;
    users[key] = (await api.post('/users', { email: u.email, displayName: u.name, role: u.role, password: u.password, ...(office ? { officeId: office } : {}) })).id;
  }

  const inst = await api.csv('/institutions/import', readFileSync(join(DEMO_FIXTURES, 'institutions.csv')));
  log.log(`Institutions: ${inst.created} imported from data-fixtures/demo/institutions.csv (College Scorecard names + a few public bodies)`);
  const protests = await api.csv('/incidents/import', readFileSync(join(DEMO_FIXTURES, 'campus-protests-fall-2024.csv')));
  log.log(`Campus-protest context (Crowd Counting Consortium, Aug–Dec 2024): ${protests.created} incidents, ${protests.institutionsMatched} rows matched an institution`);

  const ids = new Map<string, string>();
  const idOf = async (name: string) => {
    if (!ids.has(name)) {
      const page = await api.get(`/institutions?q=${encodeURIComponent(name)}&pageSize=20`);
      const hit = page.items.find((i: { name: string }) => i.name === name);
      if (!hit) throw new Error(`Demo institution missing: ${name}`);
      ids.set(name, hit.id);
    }
    return ids.get(name)!;
  };
  const now = clock.now();
  const when = (at: string | number) => (typeof at === 'number' ? new Date(now - at * DAY).toISOString() : new Date(at).toISOString());

  for (const r of RECEPTION) {
    const id = await idOf(r.institution);
    let supersedesId: string | undefined;
    if (r.corrects) {
      supersedesId = (await api.post(`/institutions/${id}/reception`, { ...r.corrects, source: r.source, effectiveAt: when(r.at) })).id;
    }
    await api.post(`/institutions/${id}/reception`, {
      kind: r.kind,
      ...(r.stance ? { stance: r.stance } : {}),
      reason: r.reason,
      source: r.source,
      effectiveAt: when(r.at),
      ...(supersedesId ? { supersedesId } : {}),
    });
  }
  for (const i of INCIDENTS) {
    const created = await api.post('/incidents', {
      institutionId: await idOf(i.institution),
      kind: i.kind,
      occurredAt: when(i.at),
      severity: i.severity,
      ...(i.crowdSize ? { crowdSize: i.crowdSize } : {}),
      ...(i.impact ? { impact: i.impact } : {}),
      target: i.target,
      source: i.source,
      ...(i.description ? { description: i.description } : {}),
    });
    if (i.dispute) await api.post(`/incidents/${created.id}/verification`, { verification: 'disputed', statement: i.dispute });
    if (i.corroborate) await api.post(`/incidents/${created.id}/verification`, { verification: 'corroborated' });
  }
  // The past, through the real RiskService with the clock moved back (then put back to now).
  const history = await seedHistory(app, clock, {
    offices: offices as HistoryContext['offices'],
    recruiters: { cleveland: users.recruiter, nashville: users.nashville, newyork: users.newyork },
    coordinatorId: users.coordinator,
  });
  log.log(
    `History since ${history.from}: ${history.appearances} past appearances with ${history.assessments} risk snapshots, ${history.outcomes} debriefs (${history.debriefsDue} still due), ${history.incidents} incidents aimed at the organisation, ${history.reception} reception entries`,
  );
  const planned: Array<{ title: string; level: string; at: string }> = [];
  for (const a of APPEARANCES) {
    const institutionId = await idOf(a.institution);
    const zone = a.office === 'nashville' ? 'America/Chicago' : 'America/New_York';
    const day = DateTime.fromMillis(now, { zone }).plus({ days: a.inDays }).toISODate();
    const view = await api.post('/appearances', {
      institutionId,
      officeId: offices[a.office],
      kind: a.kind,
      title: a.title,
      startsLocal: `${day}T${a.local[0]}`,
      endsLocal: `${day}T${a.local[1]}`,
      timeZone: zone,
      venue: a.venue,
      format: a.format,
      audience: a.audience,
      expectedAttendance: a.expectedAttendance,
      visibleBranding: a.visibleBranding,
      protestAnnounced: a.protestAnnounced ?? false,
      ...(a.allowShortNotice ? { allowShortNotice: true } : {}),
      recruiterIds: a.recruiters.map((r) => users[r]),
    });
    planned.push({ title: a.title, level: view.risk?.level ?? '?', at: view.startsAtLocal ?? view.startsAt });
  }
  return { offices, users, history, planned };
}

class Api {
  private token = '';
  constructor(private readonly base: string) {}

  async login(email: string, password: string): Promise<void> {
    this.token = (await this.request('POST', '/auth/login', JSON.stringify({ email, password }), 'application/json')).accessToken;
  }
  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body: unknown) {
    return this.request('POST', path, JSON.stringify(body), 'application/json');
  }
  csv(path: string, body: Buffer) {
    return this.request('POST', path, body, 'text/csv');
  }

  private async request(method: string, path: string, body?: string | Buffer, type?: string): Promise<any> {
    const res = await fetch(this.base + path, {
      method,
      headers: { ...(type ? { 'content-type': type } : {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body as RequestInit['body'],
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`Demo seeding failed: ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
}
