/**
 * Reports and dashboard on SQLite at scale: 100,000 appearances, 100,000 outcomes, 200,000
 * incidents (plus 120,000 risk assessments, 20,000 reception entries, 2,000 institutions), loaded
 * with multi-row INSERTs. Times every report through the service and over HTTP (JSON and CSV), and
 * the dashboard's first render. Targets: each report ≤ 300 ms, dashboard first render ≤ 1 s.
 *
 *   npm run bench reports            (BENCH_KEEP=1 keeps the database file and prints its path)
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource, DataSourceOptions } from 'typeorm';
import { scaled } from './scale';

const dir = mkdtempSync(join(tmpdir(), 'forewarn-bench-reports-'));
process.env.SQLITE_PATH = join(dir, 'bench.sqlite');
process.env.SCHEDULER_ENABLED = 'false';
delete process.env.DATABASE_URL;

/* eslint-disable @typescript-eslint/no-require-imports */
const { AuditModule } = require('../src/audit/audit.module');
const { AuthModule } = require('../src/auth/auth.module');
const { TokensModule } = require('../src/tokens/tokens.module');
const { CommonModule } = require('../src/common/common.module');
const { allConfigs, databaseConfig } = require('../src/config');
const { buildDataSourceOptions } = require('../src/database/typeorm-options');
const { createDataSource } = require('../src/database/data-source.factory');
const { DatabaseModule } = require('../src/database/database.module');
const { ReportsModule } = require('../src/reports/reports.module');
const { DashboardModule } = require('../src/dashboard/dashboard.module');
const { ReportsService } = require('../src/reports/reports.service');
const { configureApp, createAdapter } = require('../src/app.setup');

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: allConfigs }),
    EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
    // Opened like AppModule does (createDataSource: the 64 MiB page cache and the read-only connections),
    // so the figures are the app's, not a 2 MiB-cache connection's.
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (db: ConfigType<typeof databaseConfig>) => buildDataSourceOptions(db),
      dataSourceFactory: (options?: DataSourceOptions) => createDataSource(options!),
    }),
    DatabaseModule,
    CommonModule,
    AuditModule,
    AuthModule,
    TokensModule,
    ReportsModule,
    DashboardModule,
  ],
})
class BenchModule {}

const N_APPEARANCES = scaled(100_000);
const N_INCIDENTS = scaled(200_000);
const N_INSTITUTIONS = scaled(2_000);
const N_OFFICES = 20;
const N_RECEPTION = scaled(20_000);
const CHUNK = 500;
const DAY = 86_400_000;
const NOW = Date.now();
const SPAN = 3 * 365 * DAY;

const STATES = 'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'.split(' ');
const INST_KINDS = ['university', 'college', 'police_department', 'local_government', 'community_organisation'];
const KINDS = ['career_fair', 'info_session', 'campus_visit', 'community_outreach', 'partnership_meeting', 'training'];
const RESULTS = ['as_planned', 'as_planned', 'as_planned', 'as_planned', 'disrupted', 'ended_early', 'cancelled_by_host', 'cancelled_by_us', 'moved_virtual'];
const INC_KINDS = ['protest', 'heckling', 'table_blocked', 'materials_defaced', 'appearance_disrupted', 'host_cancelled', 'access_denied', 'threat', 'hostile_campaign', 'other'];
const TARGETS = ['organisation', 'organisation', 'peer_recruiters', 'general_activism'];
const LEVELS = ['low', 'low', 'moderate', 'moderate', 'high', 'critical'];
const MITS = ['[]', '[]', '["civilian_dress"]', '["exit_plan"]', '["buddy_system","exit_plan"]', '["civilian_dress","host_security_plan"]'];
const REC_KINDS = ['welcomed', 'invitation_accepted', 'invitation_declined', 'partnership_declined', 'access_restricted', 'appearance_cancelled_by_host'];
const STANCES = ['welcoming', 'neutral', 'cautious', 'restricted', 'hostile'];

let seed = 42;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

async function insertRows(db: DataSource, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const placeholders = chunk.map(() => `(${columns.map(() => '?').join(',')})`).join(',');
    await db.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES ${placeholders}`, chunk.flat());
  }
}

async function load(db: DataSource): Promise<{ hrId: string }> {
  const t0 = performance.now();
  await db.query('BEGIN');
  const offices = Array.from({ length: N_OFFICES }, (_, i) => [randomUUID(), NOW, NOW, `Office ${i}`, 'Bench', 'America/New_York']);
  await insertRows(db, 'offices', ['id', 'created_at', 'updated_at', 'name', 'region', 'time_zone'], offices);
  const insts = Array.from({ length: N_INSTITUTIONS }, (_, i) => {
    const state = pick(STATES);
    return [randomUUID(), NOW, NOW, `Institution ${i}`, `institution ${i}`, `institution ${i}|city|${state}`, pick(INST_KINDS), 'City', state, 'US', 'America/New_York'];
  });
  await insertRows(db, 'institutions', ['id', 'created_at', 'updated_at', 'name', 'search_name', 'dedupe_key', 'kind', 'city', 'state', 'country', 'time_zone'], insts);
  const hrId = randomUUID();
  await insertRows(
    db,
    'users',
    ['id', 'created_at', 'updated_at', 'email', 'display_name', 'role', 'office_id', 'password_hash', 'active', 'calendar_token', 'token_version', 'muted_kinds'],
    [[hrId, NOW, NOW, 'hr@bench.test', 'HR', 'hr', null, 'x', 1, randomUUID(), 0, '[]']],
  );

  const apps: unknown[][] = [];
  const outcomes: unknown[][] = [];
  const risks: unknown[][] = [];
  for (let i = 0; i < N_APPEARANCES; i++) {
    const id = randomUUID();
    const inst = pick(insts);
    const starts = NOW - Math.floor(rnd() * SPAN);
    const r = rnd();
    const status = r < 0.85 ? 'completed' : r < 0.93 ? 'cancelled' : 'confirmed';
    apps.push([id, NOW, NOW, inst[0], pick(offices)[0], pick(KINDS), `Appearance ${i}`, starts, starts + 4 * 3_600_000, 'America/New_York', 'in_person', 'public', status, rnd() < 0.1 ? 1 : 0]);
    outcomes.push([id, pick(RESULTS), 100, 30, Math.floor(rnd() * 20), Math.floor(rnd() * 5), pick(MITS), '', hrId, starts + 5 * 3_600_000, starts + 5 * 3_600_000]);
    const level = pick(LEVELS);
    const p = level === 'low' ? 0.1 : level === 'moderate' ? 0.3 : level === 'high' ? 0.55 : 0.8;
    risks.push([randomUUID(), id, 1, starts - 14 * DAY, 'bench', 'bench', p, p / 4, level, p / 2, Math.min(1, p * 1.5), '{}', starts - 14 * DAY]);
    if (i % 5 === 0) risks.push([randomUUID(), id, 2, starts - 3 * DAY, 'bench', 'bench', p, p / 4, level, p / 2, Math.min(1, p * 1.5), '{}', starts - 3 * DAY]);
  }
  await insertRows(
    db,
    'appearances',
    ['id', 'created_at', 'updated_at', 'institution_id', 'office_id', 'kind', 'title', 'starts_at', 'ends_at', 'time_zone', 'format', 'audience', 'status', 'disrupted'],
    apps,
  );
  await insertRows(
    db,
    'outcomes',
    ['appearance_id', 'result', 'attendance', 'conversations', 'leads', 'applications_started', 'mitigations_used', 'notes', 'submitted_by_id', 'submitted_at', 'updated_at'],
    outcomes,
  );
  await insertRows(
    db,
    'risk_assessments',
    ['id', 'appearance_id', 'seq', 'as_of', 'trigger', 'model_version', 'p', 'p_severe', 'level', 'interval_low', 'interval_high', 'detail', 'created_at'],
    risks,
  );

  const instById = new Map(insts.map((x) => [x[0], x]));
  const incidents: unknown[][] = [];
  for (let i = 0; i < N_INCIDENTS; i++) {
    const linked = rnd() < 0.6;
    const app = linked ? apps[Math.floor(rnd() * apps.length)] : null;
    const inst = app ? (instById.get(app[3] as string) as unknown[]) : pick(insts);
    const at = app ? (app[7] as number) + 3_600_000 : NOW - Math.floor(rnd() * SPAN);
    incidents.push([randomUUID(), NOW, NOW, inst[0], inst[8], app ? app[0] : null, pick(INC_KINDS), at, at + DAY, 1 + Math.floor(rnd() * 4), pick(TARGETS), 'first_hand']);
  }
  await insertRows(db, 'incidents', ['id', 'created_at', 'updated_at', 'institution_id', 'state', 'appearance_id', 'kind', 'occurred_at', 'recorded_at', 'severity', 'target', 'source'], incidents);

  const reception: unknown[][] = [];
  for (let i = 0; i < N_RECEPTION; i++) {
    const at = NOW - Math.floor(rnd() * SPAN);
    reception.push([randomUUID(), pick(insts)[0], pick(REC_KINDS), pick(STANCES), 'bench', 'bench', at, at + DAY]);
  }
  await insertRows(db, 'reception_entries', ['id', 'institution_id', 'kind', 'stance', 'reason', 'source', 'effective_at', 'recorded_at'], reception);
  await db.query('COMMIT');
  await db.query('ANALYZE');
  await db.query('PRAGMA wal_checkpoint(TRUNCATE)');
  console.log(
    `loaded ${N_APPEARANCES} appearances, ${outcomes.length} outcomes, ${N_INCIDENTS} incidents, ${risks.length} assessments, ${N_RECEPTION} reception entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { hrId };
}

/** Wall-clock and CPU (all threads of this process: SQLite runs in libuv's pool) medians. */
async function time(fn: () => Promise<unknown>, rounds = 3): Promise<{ median: number; cpu: number }> {
  await fn();
  const xs: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const s = performance.now();
    const c = process.cpuUsage();
    await fn();
    const u = process.cpuUsage(c);
    xs.push(performance.now() - s);
    cs.push((u.user + u.system) / 1000);
  }
  xs.sort((a, b) => a - b);
  cs.sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)], cpu: cs[Math.floor(cs.length / 2)] };
}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BenchModule, createAdapter(1024 * 1024), { logger: ['error', 'warn'] });
  await configureApp(app);
  const db = app.get(DataSource);
  await db.runMigrations({ transaction: 'each' });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const { hrId } = await load(db);
  const user = { id: hrId, email: 'hr@bench.test', role: 'hr' as const, officeId: null };
  const token = app.get(JwtService).sign({ sub: hrId, email: user.email, role: 'hr', office: null, tv: 0, jti: randomUUID() });
  const reports = app.get(ReportsService);
  const fastify = app.getHttpAdapter().getInstance();
  const inject = async (url: string, headers: Record<string, string>) => {
    const res = await fastify.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };

  // Dashboard first render: the very first request after start-up (cold caches), then warm medians.
  const cookie = { cookie: `fw_dashboard=${token}` };
  const d0 = performance.now();
  const c0 = process.cpuUsage();
  const firstPage = await inject('/dashboard', cookie);
  const dashboardFirst = performance.now() - d0;
  const dc = process.cpuUsage(c0);
  const dashboardFirstCpu = (dc.user + dc.system) / 1000;

  const rows: Array<[string, number, number, number, number]> = [];
  const cases: Array<[string, string, object]> = [
    ['outcomes groupBy=month', '/reports/outcomes?groupBy=month', { groupBy: 'month' }],
    ['outcomes groupBy=institution', '/reports/outcomes?groupBy=institution', { groupBy: 'institution' }],
    ['outcomes groupBy=state', '/reports/outcomes?groupBy=state', { groupBy: 'state' }],
    ['outcomes groupBy=office', '/reports/outcomes?groupBy=office', { groupBy: 'office' }],
    ['outcomes groupBy=kind', '/reports/outcomes?groupBy=kind', { groupBy: 'kind' }],
    ['incident-trend', '/reports/incident-trend', {}],
    ['reception-trend', '/reports/reception-trend', {}],
    ['model-accountability', '/reports/model-accountability', {}],
    ['mitigations', '/reports/mitigations', {}],
    ['evidence', '/reports/evidence', {}],
    ['outcomes, all 3 years (100k appearances)', '/reports/outcomes?groupBy=month&from=PLACEHOLDER', { groupBy: 'month' }],
    ['outcomes, one office, 12 months', '/reports/outcomes?groupBy=month&officeId=OFFICE', { groupBy: 'month' }],
  ];
  const threeYearsAgo = new Date(NOW - SPAN).toISOString().slice(0, 10);
  const officeId = String(((await db.query('SELECT id FROM offices ORDER BY name LIMIT 1')) as Array<{ id: string }>)[0].id);
  for (const [label, url0, q] of cases) {
    const url = url0.replace('PLACEHOLDER', threeYearsAgo).replace('OFFICE', officeId);
    const name = url.split('?')[0].replace('/reports/', '');
    const query = label.includes('all 3 years') ? { ...q, from: threeYearsAgo } : label.includes('one office') ? { ...q, officeId } : q;
    const svc = await time(() => reports.run(name, query, user));
    const json = await time(() => inject(url, { authorization: `Bearer ${token}` }));
    const csv = await time(() => inject(url, { authorization: `Bearer ${token}`, accept: 'text/csv' }));
    rows.push([label, svc.median, svc.cpu, json.median, csv.median]);
  }
  const dash = await time(() => inject('/dashboard', cookie));

  const loadAvg = (await import('node:os')).loadavg()[0].toFixed(1);
  console.log(
    `\nmedians of 3 after one warm-up; load average ${loadAvg} on ${(await import('node:os')).cpus().length} cores (wall time includes waiting for a core; CPU ms is this process, all threads)`,
  );
  console.log('report                                         service ms  service CPU ms  HTTP JSON ms  HTTP CSV ms  ≤ 300 ms (wall / CPU)');
  for (const [label, s, c, j, v] of rows) {
    const wall = Math.max(s, j, v);
    console.log(
      `${label.padEnd(46)} ${s.toFixed(1).padStart(10)} ${c.toFixed(1).padStart(15)} ${j.toFixed(1).padStart(13)} ${v.toFixed(1).padStart(12)}  ${wall <= 300 ? 'yes' : 'NO'} / ${c <= 300 ? 'yes' : 'NO'}`,
    );
  }
  console.log(
    `\ndashboard first render (first request after start-up): ${dashboardFirst.toFixed(0)} ms wall, ${dashboardFirstCpu.toFixed(0)} ms CPU (≤ 1000 ms: ${dashboardFirst <= 1000 ? 'yes' : 'NO'} / ${dashboardFirstCpu <= 1000 ? 'yes' : 'NO'}); warm median ${dash.median.toFixed(0)} ms wall, ${dash.cpu.toFixed(0)} ms CPU; page ${(firstPage.body.length / 1024).toFixed(0)} KiB`,
  );

  const plans: Array<[string, string]> = [
    ['incidents aimed at us, per appearance', "SELECT COUNT(*) FROM incidents x WHERE x.appearance_id = ? AND x.target = 'organisation'"],
    ['latest assessment before start', 'SELECT r2.p FROM risk_assessments r2 WHERE r2.appearance_id = ? AND r2.as_of <= ? ORDER BY r2.as_of DESC, r2.seq DESC LIMIT 1'],
    [
      'appearances in window with their debriefs',
      'SELECT a.disrupted, a.kind, o.result, o.leads, o.mitigations_used FROM appearances a LEFT JOIN outcomes o ON o.appearance_id = a.id WHERE a.starts_at >= ? AND a.starts_at < ?',
    ],
    ['appearances in window', 'SELECT COUNT(*) FROM appearances a WHERE a.starts_at >= ? AND a.starts_at < ?'],
    ['incidents aimed at us by month', "SELECT COUNT(*) FROM incidents x WHERE x.target = 'organisation' AND x.occurred_at >= ? AND x.occurred_at < ?"],
  ];
  console.log('\nEXPLAIN QUERY PLAN');
  for (const [label, sql] of plans) {
    const plan = (await db.query(`EXPLAIN QUERY PLAN ${sql}`, [1, 2].slice(0, (sql.match(/\?/g) ?? []).length))) as Array<{ detail: string }>;
    console.log(`  ${label}: ${plan.map((p) => p.detail).join(' | ')}`);
  }
  await app.close();
  if (process.env.BENCH_KEEP) console.log(`kept ${process.env.SQLITE_PATH}`);
  else rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
