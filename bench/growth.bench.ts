/**
 * Growth: the same measurements at three sizes, so that what grows faster than the data shows.
 *
 *   npm run bench -- --growth                 10k, 100k and 1M appearances on SQLite and PostgreSQL
 *   GROWTH_SCALES=1,10 npm run bench -- --growth     the sizes as multiples of 10,000 appearances
 *   GROWTH_DBS=sqlite npm run bench -- --growth      one database only (BENCH_PG_URL: the server)
 *
 * BENCH_SCALE multiplies this bench's default size (10,000 appearances), as it multiplies the other
 * benches' datasets. One size on one database runs in its own process (`BENCH_SCALE=<n> GROWTH_DB=<db>`), which boots
 * the real AppModule on a new database (migrations, first admin), seeds it with set-based SQL
 * (a recursive CTE of row numbers on SQLite, generate_series on PostgreSQL: no rows pass through
 * JavaScript), ANALYZEs (and VACUUMs on PostgreSQL), then measures:
 *  - listing: GET /appearances (random 30-day windows, 50 a page) through the HTTP stack in process
 *    (fastify.inject), 200 requests after 20 warm-up: p50 and p99;
 *  - full risk refresh (RiskService.refreshAll) of every upcoming appearance: second of two runs;
 *  - reports (ReportsService.run, as the controller calls it): the median of three after a warm-up.
 * Data at scale s (×10,000): appearances 10,000·s over five years (10% upcoming), incidents 2×, of
 * which 1 in 50 attached to a past appearance, institutions 500·s, reception entries 1,000·s,
 * outcomes for every completed appearance, 20 offices. The data span is fixed, so a 30-day window
 * holds 10× the rows at 10× the data while the page stays 50.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DISRUPTIVE_KINDS, TOPICS } from '../src/common/enums';
import { BENCH_SCALE, scaled } from './scale';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 15, 12);
/** Appearances start from 4.5 years before NOW to half a year after it. */
const SPAN_START = NOW - Math.round(4.5 * 365) * DAY;
const SPAN_HOURS = 5 * 365 * 24;
const BASE = 10_000;
const LISTING_REQUESTS = 200;

interface Figures {
  db: string;
  scale: number;
  appearances: number;
  incidents: number;
  seedSeconds: number;
  listingP50: number;
  listingP99: number;
  listingTotal: number;
  refreshMs: number;
  refreshed: number;
  reports: Record<string, number>;
  load: number;
}

// ---------------------------------------------------------------- one size on one database (child)

/** `CASE (expr) % n WHEN 0 THEN 'a' …`: a spread of values chosen by a row number. */
function pickSql(values: readonly (string | number)[], expr: string): string {
  const lit = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v}'`);
  return `CASE (${expr}) % ${values.length} ${values.map((v, i) => `WHEN ${i} THEN ${lit(v)}`).join(' ')} END`;
}

/** Row numbers 1..n as a CTE named n(i), per dialect. */
function numbers(db: string, n: number): string {
  return db === 'postgres' ? `WITH n(i) AS (SELECT generate_series(1, ${n})::bigint)` : `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;
}

async function seed(q: (sql: string) => Promise<unknown>, db: string, adminId: string): Promise<{ appearances: number; incidents: number }> {
  const nApp = scaled(BASE);
  const nInst = scaled(500);
  const nInc = 2 * nApp;
  const nRec = scaled(1_000);
  const nAttached = Math.floor(nInc / 50);
  const nOff = 20;
  const f = db === 'postgres' ? 'false' : '0';
  const t = db === 'postgres' ? 'true' : '1';
  await q(`${numbers(db, nOff)} INSERT INTO offices (id, created_at, updated_at, name, region, time_zone) SELECT 'o-' || i, ${NOW}, ${NOW}, 'Office ' || i, 'Bench', 'America/New_York' FROM n`);
  await q(
    `${numbers(db, nInst)} INSERT INTO institutions (id, created_at, updated_at, name, search_name, dedupe_key, kind, city, state, country, time_zone, limits_immigration_cooperation)
     SELECT 'i-' || i, ${NOW}, ${NOW}, 'Institution ' || i, 'institution ' || i, 'institution ' || i || '|city|S' || (i % 50), ${pickSql(['university', 'college', 'community_organisation'], 'i')},
       'City', 'S' || (i % 50), 'US', 'America/New_York', CASE WHEN i % 7 = 0 THEN ${t} ELSE ${f} END FROM n`,
  );
  // starts_at: a hash of the row number over the five-year span, on the hour
  const starts = `(${SPAN_START} + ((i * 104729) % ${SPAN_HOURS}) * ${HOUR})`;
  await q(
    `${numbers(db, nApp)} INSERT INTO appearances (id, created_at, updated_at, institution_id, office_id, kind, title, starts_at, ends_at, time_zone, format, audience, expected_attendance, visible_branding, status)
     SELECT 'a-' || i, ${NOW - 30 * DAY}, ${NOW - 30 * DAY}, 'i-' || (1 + (i * 7919) % ${nInst}), 'o-' || (1 + i % ${nOff}), ${pickSql(['career_fair', 'info_session', 'campus_visit', 'community_outreach'], 'i')},
       'Appearance ' || i, ${starts}, ${starts} + ${4 * HOUR}, 'America/New_York', ${pickSql(['in_person', 'in_person', 'virtual', 'hybrid'], 'i / 3')}, ${pickSql(['public', 'invite_only'], 'i / 5')},
       50 + (i * 13) % 500, CASE WHEN i % 2 = 0 THEN ${t} ELSE ${f} END,
       CASE WHEN ${starts} < ${NOW} THEN (CASE WHEN i % 13 = 0 THEN 'cancelled' ELSE 'completed' END) ELSE (CASE WHEN i % 3 = 0 THEN 'confirmed' ELSE 'planned' END) END FROM n`,
  );
  const kinds = pickSql(DISRUPTIVE_KINDS, 'i');
  const topic = pickSql(
    TOPICS.map((_, k) => 2 ** k),
    'i / 7',
  );
  const occurred = `(${NOW} - ((i * 7907) % ${3 * 365 * 24}) * ${HOUR} - ${HOUR})`;
  await q(
    `${numbers(db, nInc - nAttached)} INSERT INTO incidents (id, created_at, updated_at, institution_id, state, kind, occurred_at, recorded_at, severity, target, source, verification, topic_mask)
     SELECT 'x-' || i, ${occurred}, ${occurred}, 'i-' || (1 + (i * 6007) % ${nInst}), 'S' || ((1 + (i * 6007) % ${nInst}) % 50), ${kinds}, ${occurred}, ${occurred} + ${HOUR}, 1 + (i * i) % 4,
       ${pickSql(['organisation', 'peer_recruiters', 'general_activism', 'general_activism', 'general_activism', 'general_activism'], 'i / 11')}, 'news', ${pickSql(['reported', 'corroborated', 'disputed'], 'i / 2')}, ${topic} FROM n`,
  );
  // 1 in 50 incidents attached to a past appearance, at its institution, an hour after it started
  await q(
    `${numbers(db, nAttached)} INSERT INTO incidents (id, created_at, updated_at, institution_id, state, appearance_id, kind, occurred_at, recorded_at, severity, target, source, verification, topic_mask)
     SELECT 'xa-' || i, a.starts_at + ${HOUR}, a.starts_at + ${HOUR}, a.institution_id, s.state, a.id, ${kinds}, a.starts_at + ${HOUR}, a.starts_at + ${2 * HOUR}, 1 + i % 4, 'organisation', 'first_hand', 'reported', ${topic}
     FROM n JOIN appearances a ON a.id = 'a-' || (1 + (i * 37) % ${nApp}) JOIN institutions s ON s.id = a.institution_id WHERE a.starts_at < ${NOW - 2 * HOUR}`,
  );
  await q(
    `${numbers(db, nRec)} INSERT INTO reception_entries (id, institution_id, kind, stance, effective_at, recorded_at)
     SELECT 'r-' || i, 'i-' || (1 + (i * 331) % ${nInst}), ${pickSql(['welcomed', 'invitation_accepted', 'partnership_declined', 'access_restricted'], 'i')},
       ${pickSql(['welcoming', 'neutral', 'cautious', 'restricted', 'hostile'], 'i / 4')}, ${NOW} - ((i * 7901) % ${3 * 365}) * ${DAY}, ${NOW} - ((i * 7901) % ${3 * 365}) * ${DAY} FROM n`,
  );
  await q(
    `INSERT INTO outcomes (appearance_id, result, attendance, conversations, leads, applications_started, mitigations_used, notes, submitted_by_id, submitted_at, updated_at)
     SELECT a.id, ${pickSql(['as_planned', 'as_planned', 'as_planned', 'as_planned', 'disrupted', 'ended_early', 'cancelled_by_host', 'moved_virtual'], `a.starts_at / ${HOUR}`)}, 100, 30, (a.starts_at / ${HOUR}) % 20, (a.starts_at / ${HOUR}) % 5,
       ${pickSql(['[]', '[]', '["civilian_dress"]', '["exit_plan"]'], `a.starts_at / ${HOUR}`)}, '', '${adminId}', a.ends_at + ${HOUR}, a.ends_at + ${HOUR}
     FROM appearances a WHERE a.status = 'completed'`,
  );
  // PostgreSQL: VACUUM too, as autovacuum does soon after a bulk load (insert-triggered since 13).
  // Without it no page is all-visible and the listing's count reads the heap of every row in the
  // window instead of the covering index: at 300,000 appearances 4.6 ms for one count against 0.8
  // after, and the listing's p50 8.2 ms against 2.9 — a seeding state, not a server's steady one.
  await q(db === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
  return { appearances: nApp, incidents: nInc };
}

async function measureOne(): Promise<void> {
  const db = process.env.GROWTH_DB ?? 'sqlite';
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-growth-'));
  const pgBase = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const pgName = `forewarn_growth_${process.pid}`;
  process.env.SCHEDULER_ENABLED = 'false';
  process.env.NODE_ENV = 'development';
  process.env.RISK_REFRESH_HORIZON_DAYS = '400';
  process.env.SQLITE_PATH = join(dir, 'growth.sqlite');
  if (db === 'postgres') process.env.DATABASE_URL = `${pgBase}/${pgName}`;
  else delete process.env.DATABASE_URL;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: `${pgBase}/postgres` });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  if (db === 'postgres') await admin(`CREATE DATABASE ${pgName}`);
  try {
    // The app's modules read their configuration from the environment set above when they load.
    /* eslint-disable @typescript-eslint/no-require-imports */
    require('reflect-metadata');
    const { JwtService } = require('@nestjs/jwt') as typeof import('@nestjs/jwt');
    const { DataSource } = require('typeorm') as typeof import('typeorm');
    const { AppModule } = require('../src/app.module') as typeof import('../src/app.module');
    const { configureApp, createAdapter, prepareDatabase } = require('../src/app.setup') as typeof import('../src/app.setup');
    const { Clock, FixedClock } = require('../src/common/clock') as typeof import('../src/common/clock');
    const { RiskService } = require('../src/risk/risk.service') as typeof import('../src/risk/risk.service');
    const { ReportsService } = require('../src/reports/reports.service') as typeof import('../src/reports/reports.service');
    const { Test } = require('@nestjs/testing') as typeof import('@nestjs/testing');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const clock = new FixedClock(NOW);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const app = moduleRef.createNestApplication<import('@nestjs/platform-fastify').NestFastifyApplication>(createAdapter(1024 * 1024), { logger: ['error', 'warn'] });
    await configureApp(app);
    await prepareDatabase(app);
    await app.init();
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    const ds = app.get(DataSource);
    const [adm] = (await ds.query(`SELECT id, email FROM users WHERE role = 'admin'`)) as { id: string; email: string }[];
    const t0 = performance.now();
    const counts = await seed((sql) => ds.query(sql), db, adm.id);
    const seedSeconds = (performance.now() - t0) / 1000;
    const token = app.get(JwtService).sign({ sub: adm.id, email: adm.email, role: 'admin', office: null, tv: 0, jti: randomUUID() });

    // listing
    let s = 7;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const times: number[] = [];
    let total = 0;
    for (let k = 0; k < LISTING_REQUESTS + 20; k++) {
      const from = SPAN_START + Math.floor((rnd() * (SPAN_HOURS * HOUR - 30 * DAY)) / HOUR) * HOUR;
      const url = `/appearances?from=${new Date(from).toISOString()}&to=${new Date(from + 30 * DAY).toISOString()}&pageSize=50`;
      const a = performance.now();
      const res = await fastify.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      const ms = performance.now() - a;
      if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (k >= 20) {
        times.push(ms);
        total += (JSON.parse(res.body) as { total: number }).total;
      }
    }
    times.sort((x, y) => x - y);

    // full risk refresh
    const risk = app.get(RiskService);
    await risk.refreshAll('bench');
    clock.advance(60_000);
    const r0 = performance.now();
    const refreshed = await risk.refreshAll('bench');
    const refreshMs = performance.now() - r0;

    // reports
    const reports = app.get(ReportsService);
    const user = { id: adm.id, email: adm.email, role: 'admin', officeId: null } as never;
    const cases: [string, string, object][] = [
      ['outcomes by month, all years', 'outcomes', { groupBy: 'month', from: new Date(SPAN_START).toISOString().slice(0, 10) }],
      ['incident-trend', 'incident-trend', {}],
      ['evidence', 'evidence', {}],
      ['model-accountability', 'model-accountability', {}],
    ];
    const reportMs: Record<string, number> = {};
    for (const [label, name, query] of cases) {
      await reports.run(name as never, query as never, user);
      const xs: number[] = [];
      for (let k = 0; k < 3; k++) {
        const a = performance.now();
        await reports.run(name as never, query as never, user);
        xs.push(performance.now() - a);
      }
      reportMs[label] = xs.sort((x, y) => x - y)[1];
    }
    await app.close();
    const out: Figures = {
      db,
      scale: BENCH_SCALE,
      ...counts,
      seedSeconds,
      listingP50: times[Math.floor(times.length / 2)],
      listingP99: times[Math.ceil(times.length * 0.99) - 1],
      listingTotal: total / LISTING_REQUESTS,
      refreshMs,
      refreshed: refreshed.assessed,
      reports: reportMs,
      load: loadavg()[0],
    };
    process.stdout.write(`GROWTH ${JSON.stringify(out)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (db === 'postgres') await admin(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
  }
}

// ---------------------------------------------------------------- the sizes side by side (parent)

function ratioNote(label: string, prev: number, cur: number, dataStep: number, pageBound: boolean): string | null {
  const r = cur / prev;
  if (pageBound && r > 2) return `${label} grows ×${r.toFixed(1)} per ×${dataStep} of data: it grows with the table, not the page`;
  if (!pageBound && r > dataStep) return `${label} grows ×${r.toFixed(1)} per ×${dataStep} of data: faster than the data`;
  return null;
}

function runAll(): void {
  const scales = (process.env.GROWTH_SCALES ?? '1,10,100').split(',').map(Number);
  const dbs = (process.env.GROWTH_DBS ?? 'sqlite,postgres').split(',');
  console.log(
    `growth: ${dbs.join(' and ')} at ${scales.map((x) => (x * BASE).toLocaleString('en')).join(', ')} appearances; ${cpus().length} cores, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')} at start`,
  );
  const named: string[] = [];
  for (const db of dbs) {
    const rows: Figures[] = [];
    for (const scale of scales) {
      const started = Date.now();
      const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename], {
        env: { ...process.env, GROWTH_CHILD: '1', GROWTH_DB: db, BENCH_SCALE: String(scale) },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const line = r.stdout.split('\n').find((l) => l.startsWith('GROWTH '));
      if (r.status !== 0 || !line) {
        console.log(`${db} ×${scale}: failed (exit ${r.status})\n${r.stdout.slice(-2000)}`);
        break;
      }
      const f = JSON.parse(line.slice(7)) as Figures;
      rows.push(f);
      console.log(
        `${db} ${f.appearances.toLocaleString('en')} appearances, ${f.incidents.toLocaleString('en')} incidents: seeded in ${f.seedSeconds.toFixed(1)} s, whole run ${((Date.now() - started) / 1000).toFixed(0)} s, load ${f.load.toFixed(1)}`,
      );
    }
    if (!rows.length) continue;
    const metrics: [string, (f: Figures) => number, boolean][] = [
      ['listing p50 ms', (f) => f.listingP50, true],
      ['listing p99 ms', (f) => f.listingP99, true],
      ['full risk refresh ms', (f) => f.refreshMs, false],
      ...Object.keys(rows[0].reports).map((k) => [`report ${k} ms`, (f: Figures) => f.reports[k], false] as [string, (f: Figures) => number, boolean]),
    ];
    console.log(`\n${db}${' '.repeat(Math.max(1, 38 - db.length))}${rows.map((f) => `${f.appearances.toLocaleString('en')}`.padStart(12)).join('')}   ratio per step`);
    const info: [string, (f: Figures) => number][] = [
      ['rows in a 30-day window (mean)', (f) => f.listingTotal],
      ['appearances refreshed', (f) => f.refreshed],
    ];
    for (const [label, get] of info) console.log(`${label.padEnd(38)} ${rows.map((f) => get(f).toFixed(0).padStart(12)).join('')}`);
    for (const [label, get, pageBound] of metrics) {
      const ratios = rows.slice(1).map((f, i) => get(f) / get(rows[i]));
      console.log(`${label.padEnd(38)} ${rows.map((f) => get(f).toFixed(1).padStart(12)).join('')}   ${ratios.map((x) => `×${x.toFixed(1)}`).join('  ')}`);
      rows.slice(1).forEach((f, i) => {
        const note = ratioNote(`${db}: ${label} ${rows[i].appearances.toLocaleString('en')} → ${f.appearances.toLocaleString('en')}`, get(rows[i]), get(f), f.scale / rows[i].scale, pageBound);
        if (note) named.push(note);
      });
    }
    console.log('');
  }
  console.log(
    `load at the end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}`,
  );
  console.log(named.length ? `grows faster than it should:\n  ${named.join('\n  ')}` : 'nothing grows faster than the data');
}

if (process.env.GROWTH_CHILD) {
  measureOne().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  runAll();
}
