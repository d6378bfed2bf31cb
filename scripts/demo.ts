/**
 * `npm run demo`: builds and starts Forewarn on a demo SQLite database (data/demo.sqlite, recreated
 * from the shipped fixtures every time), seeds it through the real API — offices, one user per
 * role, about a hundred institutions, real campus-protest context (Crowd Counting Consortium), the
 * story of the motivating case, sixteen months of past appearances with risk snapshots, debriefs and
 * incidents, upcoming appearances (scripts/demo-seed.ts) — and prints how to sign in.
 *
 * Environment: PORT (default 3000), DEMO_SQLITE_PATH (default data/demo.sqlite). DATABASE_URL is
 * ignored: the demo always runs on its own SQLite file. With no SMTP_URL, mail is written as .eml
 * files under OUTBOX_DIR (default ./data/outbox).
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEMO_USERS } from './demo-story';

const ROOT = [resolve(__dirname, '..'), resolve(__dirname, '..', '..'), process.cwd()].find((d) => existsSync(join(d, 'data-fixtures', 'demo')))!;
const FIXTURES = join(ROOT, 'data-fixtures', 'demo');
const DB = resolve(process.env.DEMO_SQLITE_PATH || join(ROOT, 'data', 'demo.sqlite'));
const USERS = DEMO_USERS;

function freshDatabase(): void {
  mkdirSync(dirname(DB), { recursive: true });
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(DB + suffix, { force: true });
  process.env.SQLITE_PATH = DB;
  delete process.env.DATABASE_URL;
  process.env.ADMIN_EMAIL = USERS.admin.email;
  process.env.ADMIN_PASSWORD = USERS.admin.password;
}

/**
 * The seeding app's clock, pinned to the start time and settable (the past is assessed with it set
 * back). Only the short-lived seeding app is touched; the app that serves the demo has the system clock.
 */
function pinClock(clock: { now(): number }): { now(): number; set(ms: number): void } {
  let current = Date.now();
  clock.now = () => current;
  return { now: () => current, set: (ms) => (current = ms) };
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
  const { Clock } = await import('../src/common/clock');
  const { seedDemo } = await import('./demo-seed');
  const started = Date.now();
  const { planned } = await seedDemo(seeding as never, pinClock((seeding as { get: (k: unknown) => InstanceType<typeof Clock> }).get(Clock)), log);
  log.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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

main().catch((e) => {
  process.stderr.write(`Forewarn demo failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
