/**
 * `npm run demo`: builds and starts Forewarn on a demo SQLite database (data/demo.sqlite, recreated
 * from the shipped fixtures every time), seeds it through the real API — offices, one user per
 * role, about a hundred institutions, real campus-protest context (Crowd Counting Consortium), the
 * story of the motivating case, upcoming appearances — and prints how to sign in.
 *
 * Environment: PORT (default 3000), DEMO_SQLITE_PATH (default data/demo.sqlite). DATABASE_URL is
 * ignored: the demo always runs on its own SQLite file. With no SMTP_URL, mail is written as .eml
 * files under OUTBOX_DIR (default ./data/outbox).
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { APPEARANCES, DAY, INCIDENTS, RECEPTION } from './demo-story';

const ROOT = [resolve(__dirname, '..'), resolve(__dirname, '..', '..'), process.cwd()].find((d) => existsSync(join(d, 'data-fixtures', 'demo')))!;
const FIXTURES = join(ROOT, 'data-fixtures', 'demo');
const DB = resolve(process.env.DEMO_SQLITE_PATH || join(ROOT, 'data', 'demo.sqlite'));

const USERS = {
  admin: { email: 'admin@forewarn.demo', password: 'demo-admin-password', role: 'admin', name: 'Avery Admin' },
  coordinator: { email: 'coordinator@forewarn.demo', password: 'demo-coordinator-password', role: 'coordinator', name: 'Cleveland coordinator', office: 'cleveland' },
  recruiter: { email: 'recruiter@forewarn.demo', password: 'demo-recruiter-password', role: 'recruiter', name: 'Cleveland recruiter', office: 'cleveland' },
  hr: { email: 'hr@forewarn.demo', password: 'demo-hr-password', role: 'hr', name: 'HR reviewer' },
  nashville: { email: 'nashville.recruiter@forewarn.demo', password: 'demo-recruiter-password', role: 'recruiter', name: 'Nashville recruiter', office: 'nashville' },
  newyork: { email: 'newyork.recruiter@forewarn.demo', password: 'demo-recruiter-password', role: 'recruiter', name: 'New York recruiter', office: 'newyork' },
} as const;

const OFFICES = {
  cleveland: { name: 'Cleveland Field Office', region: 'Great Lakes', timeZone: 'America/New_York' },
  nashville: { name: 'Nashville Field Office', region: 'Southeast', timeZone: 'America/Chicago' },
  newyork: { name: 'New York Field Office', region: 'Northeast', timeZone: 'America/New_York' },
} as const;

function freshDatabase(): void {
  mkdirSync(dirname(DB), { recursive: true });
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(DB + suffix, { force: true });
  process.env.SQLITE_PATH = DB;
  delete process.env.DATABASE_URL;
  process.env.ADMIN_EMAIL = USERS.admin.email;
  process.env.ADMIN_PASSWORD = USERS.admin.password;
}

async function main(): Promise<void> {
  freshDatabase();
  // Loaded after the environment is set: config is read when the app starts.
  const { Logger } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../src/app.module');
  const { configureApp, createAdapter, prepareDatabase } = await import('../src/app.setup');
  const { appConfig, mailConfig } = await import('../src/config');
  const log = new Logger('Demo');
  const start = async (port: number, host: string) => {
    const cfg = appConfig();
    const app = await NestFactory.create(AppModule as never, createAdapter(cfg.bodyLimit) as never, { logger: ['fatal', 'error', 'warn', 'log'] });
    await configureApp(app as never);
    await prepareDatabase(app as never);
    await app.listen(port, host);
    return app;
  };
  // Seed with scheduled work off (one SQLite connection, no background jobs racing the seeding),
  // then start for real on PORT with the scheduler as configured.
  const scheduler = process.env.SCHEDULER_ENABLED;
  process.env.SCHEDULER_ENABLED = 'false';
  const seeding = await start(0, '127.0.0.1');
  log.log(`Demo database: ${DB} (recreated from ${FIXTURES})`);
  const planned = await seed(new Api((await seeding.getUrl()).replace('[::1]', '127.0.0.1')), log);
  await seeding.close();
  if (scheduler === undefined) delete process.env.SCHEDULER_ENABLED;
  else process.env.SCHEDULER_ENABLED = scheduler;
  const cfg = appConfig();
  const app = await start(cfg.port, cfg.host);
  const base = `http://127.0.0.1:${cfg.port}`;
  const mail = (app as { get: (k: unknown) => { smtpUrl: string | null; outboxDir: string } }).get(mailConfig.KEY);
  if (mail.smtpUrl) log.log('Mail goes to the SMTP server in SMTP_URL');
  else log.log(`No SMTP_URL set: e-mail (briefings, escalations, digests) is written as .eml files under ${resolve(mail.outboxDir)}`);

  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    '',
    '  Forewarn demo is running.',
    `    API:      ${base}`,
    `    API docs: ${base}/docs`,
    '',
    '  Sign in (POST /auth/login) as:',
    ...Object.values(USERS).map((u) => `    ${pad(u.role, 12)} ${pad(u.email, 36)} ${u.password}`),
    '',
    '  Upcoming appearances (risk level at creation):',
    ...planned.map((p) => `    ${pad(p.level, 9)} ${pad(p.title, 36)} ${p.at}`),
    '',
    `  Try: curl -s ${base}/auth/login -H 'content-type: application/json' -d '{"email":"${USERS.hr.email}","password":"${USERS.hr.password}"}'`,
    '  Stop with Ctrl+C. The next `npm run demo` starts again from the fixtures.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}


async function seed(api: Api, log: { log: (m: string) => void }): Promise<Array<{ title: string; level: string; at: string }>> {
  await api.login(USERS.admin.email, USERS.admin.password);
  const offices: Record<string, string> = {};
  for (const [key, o] of Object.entries(OFFICES)) offices[key] = (await api.post('/offices', o)).id;
  const users: Record<string, string> = {};
  for (const [key, u] of Object.entries(USERS)) {
    if (key === 'admin') continue;
    const office = 'office' in u ? offices[u.office] : undefined;
    users[key] = (await api.post('/users', { email: u.email, displayName: u.name, role: u.role, password: u.password, ...(office ? { officeId: office } : {}) })).id;
  }

  const inst = await api.csv('/institutions/import', readFileSync(join(FIXTURES, 'institutions.csv')));
  log.log(`Institutions: ${inst.created} imported from data-fixtures/demo/institutions.csv (College Scorecard names + a few public bodies)`);
  const protests = await api.csv('/incidents/import', readFileSync(join(FIXTURES, 'campus-protests-fall-2024.csv')));
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
  const now = Date.now();
  const when = (at: string | number) => (typeof at === 'number' ? new Date(now - at * DAY).toISOString() : new Date(at).toISOString());

  for (const r of RECEPTION) {
    const id = await idOf(r.institution);
    let supersedesId: string | undefined;
    if (r.corrects) {
      supersedesId = (await api.post(`/institutions/${id}/reception`, { ...r.corrects, source: r.source, effectiveAt: when(r.at) })).id;
    }
    await api.post(`/institutions/${id}/reception`, { kind: r.kind, ...(r.stance ? { stance: r.stance } : {}), reason: r.reason, source: r.source, effectiveAt: when(r.at), ...(supersedesId ? { supersedesId } : {}) });
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
  const { DateTime } = await import('luxon');
  const planned: Array<{ title: string; level: string; at: string }> = [];
  for (const a of APPEARANCES) {
    const institutionId = await idOf(a.institution);
    const zone = a.office === 'nashville' ? 'America/Chicago' : 'America/New_York';
    const day = DateTime.now().setZone(zone).plus({ days: a.inDays }).toISODate();
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
      recruiterIds: a.recruiters.map((r) => users[r]),
    });
    planned.push({ title: a.title, level: view.risk?.level ?? '?', at: view.startsAtLocal ?? view.startsAt });
  }
  return planned;
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

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
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

main().catch((e) => {
  process.stderr.write(`Forewarn demo failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
