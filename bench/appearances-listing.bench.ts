/**
 * Appearance window listing: Forewarn (built app, `taskset -c 1`) vs a bare Fastify handler running
 * the same SQL through sqlite3 directly (`taskset -c 1`), load from autocannon (`taskset -c 0`),
 * 10 connections, random 30-day windows, 50 per page, interleaved rounds, medians.
 *
 * Dataset (temp SQLite file, bulk multi-row INSERTs): the institutions of
 * test/fixtures/us-institutions.csv (College Scorecard, see test/fixtures/README.md), 50 offices,
 * 1,000 users, 100,000 appearances over five years with their recruiters and one risk snapshot each.
 *
 *   npm run bench appearances-listing        (ROUNDS=3 SECONDS=10 to change the runs; FW_NODE_FLAGS for node flags)
 * Targets: ratio ≥ 0.6, p99 ≤ 25 ms, RSS ≤ 250 MB, cold start to first 200 ≤ 3 s.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { buildListingSql } from '../src/appearances/appearance-listing.sql';
import { buildDataSourceOptions } from '../src/database/typeorm-options';
import { dedupeKey, normaliseState, normaliseText } from '../src/institutions/normalise';
import { hashPassword } from '../src/users/password';
import { scaled } from './scale';
import { buildApp } from './build-app';

const ROOT = resolve(__dirname, '..');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 10);
const CONNECTIONS = 10;
const PAGE_SIZE = 50;
const DAY = 86_400_000;
const SPAN_START = Date.UTC(2023, 6, 1);
const SPAN_END = Date.UTC(2028, 6, 1);
const N_APPEARANCES = scaled(100_000);
const N_OFFICES = 50;
const N_USERS = scaled(1_000);
const CHUNK = 400;
const PASSWORD = 'bench-password-123';

/** Deterministic PRNG so every run builds the same dataset. */
let seed = 20260309;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];

const ZONE_BY_STATE: Record<string, string> = {
  CT: 'America/New_York',
  DE: 'America/New_York',
  DC: 'America/New_York',
  FL: 'America/New_York',
  GA: 'America/New_York',
  IN: 'America/Indiana/Indianapolis',
  KY: 'America/New_York',
  ME: 'America/New_York',
  MD: 'America/New_York',
  MA: 'America/New_York',
  MI: 'America/Detroit',
  NH: 'America/New_York',
  NJ: 'America/New_York',
  NY: 'America/New_York',
  NC: 'America/New_York',
  OH: 'America/New_York',
  PA: 'America/New_York',
  RI: 'America/New_York',
  SC: 'America/New_York',
  VT: 'America/New_York',
  VA: 'America/New_York',
  WV: 'America/New_York',
  AL: 'America/Chicago',
  AR: 'America/Chicago',
  IL: 'America/Chicago',
  IA: 'America/Chicago',
  KS: 'America/Chicago',
  LA: 'America/Chicago',
  MN: 'America/Chicago',
  MS: 'America/Chicago',
  MO: 'America/Chicago',
  NE: 'America/Chicago',
  ND: 'America/Chicago',
  OK: 'America/Chicago',
  SD: 'America/Chicago',
  TN: 'America/Chicago',
  TX: 'America/Chicago',
  WI: 'America/Chicago',
  AZ: 'America/Phoenix',
  CO: 'America/Denver',
  ID: 'America/Boise',
  MT: 'America/Denver',
  NM: 'America/Denver',
  UT: 'America/Denver',
  WY: 'America/Denver',
  CA: 'America/Los_Angeles',
  NV: 'America/Los_Angeles',
  OR: 'America/Los_Angeles',
  WA: 'America/Los_Angeles',
  AK: 'America/Anchorage',
  HI: 'Pacific/Honolulu',
  PR: 'America/Puerto_Rico',
  VI: 'America/St_Thomas',
  GU: 'Pacific/Guam',
  MP: 'Pacific/Saipan',
  AS: 'Pacific/Pago_Pago',
  MH: 'Pacific/Majuro',
  PW: 'Pacific/Palau',
  FM: 'Pacific/Pohnpei',
};

interface RawDb {
  run(sql: string, params: unknown[], cb: (err: Error | null) => void): void;
}
const run = (db: RawDb, sql: string, params: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, params, (e) => (e ? rej(e) : res())));

/** Multi-row INSERTs of CHUNK rows straight through the sqlite3 connection. */
async function insertRows(db: RawDb, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await run(db, `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`, chunk.flat());
  }
}

async function buildDataset(file: string): Promise<{ email: string }> {
  const t0 = Date.now();
  const ds = new DataSource(buildDataSourceOptions({ type: 'sqlite', sqlitePath: file, poolSize: 1, logging: false }));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const now = Date.UTC(2026, 0, 15);
  const csv: Record<string, string>[] = parse(readFileSync(join(ROOT, 'test/fixtures/us-institutions.csv')), { columns: true, skip_empty_lines: true });
  const seen = new Set<string>();
  const institutions: unknown[][] = [];
  const instIds: { id: string; zone: string }[] = [];
  for (const r of csv) {
    const key = dedupeKey(r.name, r.city, r.state);
    if (seen.has(key)) continue;
    seen.add(key);
    const id = randomUUID();
    const zone = ZONE_BY_STATE[normaliseState(r.state)] ?? 'America/New_York';
    instIds.push({ id, zone });
    institutions.push([id, now, now, r.name, normaliseText(r.name), key, 'university', r.city, normaliseState(r.state), 'US', zone, r.ownership || null, 1]);
  }
  const offices: unknown[][] = [];
  for (let i = 0; i < N_OFFICES; i++) offices.push([randomUUID(), now, now, `Field Office ${i + 1}`, `Region ${(i % 8) + 1}`, pick(Object.values(ZONE_BY_STATE).slice(0, 50))]);
  const hash = await hashPassword(PASSWORD);
  const users: unknown[][] = [];
  const recruitersByOffice = new Map<string, string[]>();
  for (let i = 0; i < N_USERS; i++) {
    const role = i === 0 ? 'admin' : i < 10 ? 'admin' : i < 60 ? 'coordinator' : i < 100 ? 'hr' : 'recruiter';
    const officeId = role === 'coordinator' || role === 'recruiter' ? (offices[i % N_OFFICES][0] as string) : null;
    const id = randomUUID();
    if (officeId) recruitersByOffice.set(officeId, [...(recruitersByOffice.get(officeId) ?? []), id]);
    users.push([id, now, now, i === 0 ? 'bench-admin@forewarn.test' : `user${i}@forewarn.test`, `User ${i}`, role, officeId, hash, 1, randomBytes(24).toString('base64url'), 0, '[]']);
  }
  const appearances: unknown[][] = [];
  const links: unknown[][] = [];
  const risks: unknown[][] = [];
  const kinds = ['career_fair', 'info_session', 'campus_visit', 'community_outreach', 'partnership_meeting', 'training'];
  const levels = ['low', 'low', 'low', 'moderate', 'moderate', 'high', 'critical'];
  for (let i = 0; i < N_APPEARANCES; i++) {
    const id = randomUUID();
    const inst = pick(instIds);
    const officeId = pick(offices)[0] as string;
    const day = SPAN_START + Math.floor(rnd() * ((SPAN_END - SPAN_START) / DAY)) * DAY;
    const startsAt = day + (13 + Math.floor(rnd() * 8)) * 3_600_000 + (rnd() < 0.5 ? 1_800_000 : 0);
    const endsAt = startsAt + (1 + Math.floor(rnd() * 6)) * 3_600_000;
    const past = endsAt < now;
    const status = past ? (rnd() < 0.9 ? 'completed' : 'cancelled') : rnd() < 0.6 ? 'planned' : rnd() < 0.9 ? 'confirmed' : 'cancelled';
    appearances.push([
      id,
      now,
      now,
      inst.id,
      officeId,
      pick(kinds),
      `Appearance ${i}`,
      startsAt,
      endsAt,
      inst.zone,
      'Student Center',
      pick(['in_person', 'in_person', 'virtual', 'hybrid']),
      pick(['public', 'invite_only']),
      50 + Math.floor(rnd() * 500),
      rnd() < 0.3 ? 1 : 0,
      0,
      status,
      1,
      0,
      null,
      0,
      null,
      null,
    ]);
    const staff = recruitersByOffice.get(officeId) ?? [];
    const a = pick(staff);
    links.push([id, a]);
    if (rnd() < 0.5) {
      const b = pick(staff);
      if (b !== a) links.push([id, b]);
    }
    const p = Math.round(rnd() * 1000) / 1000;
    risks.push([randomUUID(), id, now, 'appearance_created', 'forewarn-risk-1.0', p, p / 5, pick(levels), p / 2, Math.min(1, p * 1.5), '{}', now, 1]);
  }
  const tGen = Date.now();
  const raw = (ds.driver as unknown as { databaseConnection: RawDb }).databaseConnection;
  await run(raw, 'PRAGMA cache_size = -262144'); // 256 MB while loading: random UUID keys touch every index page
  await run(raw, 'BEGIN');
  await insertRows(raw, 'institutions', ['id', 'created_at', 'updated_at', 'name', 'search_name', 'dedupe_key', 'kind', 'city', 'state', 'country', 'time_zone', 'ownership', 'version'], institutions);
  await insertRows(raw, 'offices', ['id', 'created_at', 'updated_at', 'name', 'region', 'time_zone'], offices);
  await insertRows(raw, 'users', ['id', 'created_at', 'updated_at', 'email', 'display_name', 'role', 'office_id', 'password_hash', 'active', 'calendar_token', 'token_version', 'muted_kinds'], users);
  await insertRows(
    raw,
    'appearances',
    [
      'id',
      'created_at',
      'updated_at',
      'institution_id',
      'office_id',
      'kind',
      'title',
      'starts_at',
      'ends_at',
      'time_zone',
      'venue',
      'format',
      'audience',
      'expected_attendance',
      'visible_branding',
      'protest_announced',
      'status',
      'version',
      'sequence',
      'briefing_offsets',
      'disrupted',
      'cancel_reason',
      'created_by_id',
    ],
    appearances,
  );
  await insertRows(raw, 'appearance_recruiters', ['appearance_id', 'user_id'], links);
  await insertRows(
    raw,
    'risk_assessments',
    ['id', 'appearance_id', 'as_of', 'trigger', 'model_version', 'p', 'p_severe', 'level', 'interval_low', 'interval_high', 'detail', 'created_at', 'seq'],
    risks,
  );
  await run(raw, 'COMMIT');
  const insertSeconds = (Date.now() - tGen) / 1000;
  await ds.destroy();
  console.log(
    `dataset: ${csv.length} Scorecard rows → ${institutions.length} institutions (${csv.length - institutions.length} repeated name/city/state merged), ` +
      `${N_OFFICES} offices, ${N_USERS} users, ${N_APPEARANCES.toLocaleString('en')} appearances (${links.length.toLocaleString('en')} recruiter links, ` +
      `${risks.length.toLocaleString('en')} risk snapshots) over five years in ${((Date.now() - t0) / 1000).toFixed(1)} s (bulk INSERTs ${insertSeconds.toFixed(1)} s)`,
  );
  return { email: 'bench-admin@forewarn.test' };
}

/** The bare server: Fastify + sqlite3, the same SQL text as Forewarn's listing (the page with its count in one statement), no framework. */
function bareServerSource(): string {
  const MAX = 24 * 3_600_000;
  const s = buildListingSql({ from: 1, to: 2, limit: PAGE_SIZE, offset: 0 }, 'sqlite');
  // the parameters in text order: the count's (in the select list), then the page's, then LIMIT/OFFSET
  const expected = [1 - MAX, 1, 2, 1 - MAX, 1, 2, PAGE_SIZE, 0];
  if (JSON.stringify(s.withCountParams) !== JSON.stringify(expected)) throw new Error(`the listing's parameters changed: ${JSON.stringify(s.withCountParams)}`);
  return `
const fastify = require(${JSON.stringify(require.resolve('fastify', { paths: [ROOT] }))})({ logger: false });
const sqlite3 = require(${JSON.stringify(require.resolve('sqlite3', { paths: [ROOT] }))});
const db = new sqlite3.Database(process.env.SQLITE_PATH);
db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
const SQL = ${JSON.stringify(s.withCountSql)};
const COUNT = ${JSON.stringify(s.countSql)};
const MAX = ${MAX};
const all = (sql, p) => new Promise((res, rej) => db.all(sql, p, (e, rows) => (e ? rej(e) : res(rows))));
fastify.get('/appearances', async (req) => {
  const from = Date.parse(req.query.from), to = Date.parse(req.query.to);
  const size = Number(req.query.pageSize || 50), page = Number(req.query.page || 1);
  const rows = await all(SQL, [from - MAX, from, to, from - MAX, from, to, size, (page - 1) * size]);
  // a page past the end has no row to carry the count: the count on its own (as Forewarn does)
  const total = rows.length || page === 1 ? (rows.length ? rows[0].total_count : 0) : (await all(COUNT, [from - MAX, from, to]))[0].n;
  return { items: rows, total, page, pageSize: size };
});
fastify.get('/health', async () => ({ status: 'ok' }));
fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(() => process.stdout.write('ready\\n'));
`;
}

/** The load generator, run pinned to core 0: prints autocannon's result as JSON. */
function loadSource(): string {
  return `
const autocannon = require(${JSON.stringify(require.resolve('autocannon', { paths: [ROOT] }))});
const [url, token, seconds] = process.argv.slice(2);
let s = 7;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
const START = ${SPAN_START}, SPAN = ${SPAN_END - SPAN_START - 30 * DAY};
autocannon({
  url, connections: ${CONNECTIONS}, duration: Number(seconds),
  headers: token ? { authorization: 'Bearer ' + token } : {},
  requests: [{ method: 'GET', setupRequest: (req) => {
    const from = START + Math.floor(rnd() * SPAN / 3600000) * 3600000;
    req.path = '/appearances?from=' + new Date(from).toISOString() + '&to=' + new Date(from + ${30 * DAY}).toISOString() + '&pageSize=${PAGE_SIZE}';
    return req;
  } }],
}, (err, r) => {
  if (err) { console.error(err); process.exit(1); }
  process.stdout.write(JSON.stringify({ rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, total: r.requests.total }));
});
`;
}

/** CPU seconds (user + system) a process has used: start-up cost independent of other load on the machine. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function vmHwmMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function waitFor200(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering ${url}`);
    try {
      const r = await fetch(url);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const children: ChildProcess[] = [];

function startServer(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn('taskset', ['-c', '1', process.execPath, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

function load(script: string, url: string, token: string, seconds: number): Load {
  const r = spawnSync('taskset', ['-c', '0', process.execPath, script, url, token, String(seconds)], { encoding: 'utf8', maxBuffer: 10 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`load generator failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A port nothing listens on right now (ask the OS for one). */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => res(port));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-bench-'));
  const file = join(dir, 'bench.sqlite');
  try {
    const { email } = await buildDataset(file);
    if (process.env.KEEP_DB) cpSync(file, process.env.KEEP_DB);
    if (process.env.DATASET_ONLY) return;
    const main = buildApp(dir);
    const bareFile = join(dir, 'bare-server.js');
    const loadFile = join(dir, 'load.js');
    writeFileSync(bareFile, bareServerSource());
    writeFileSync(loadFile, loadSource());

    const fwPort = await freePort();
    const barePort = await freePort();
    const fwEnv = {
      ...process.env,
      SQLITE_PATH: file,
      PORT: String(fwPort),
      HOST: '127.0.0.1',
      JWT_SECRET: randomBytes(24).toString('hex'),
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
      NODE_ENV: 'development',
    };
    const t0 = performance.now();
    // Forewarn runs with the heap cap of `npm start` (FOREWARN_HEAP_MB, default 192 MB);
    // FW_NODE_FLAGS replaces those flags to try other V8 heap settings.
    const flags = process.env.FW_NODE_FLAGS ?? `--max-old-space-size=${process.env.FOREWARN_HEAP_MB ?? 192}`;
    const fw = startServer([...flags.split(' ').filter(Boolean), main], fwEnv);
    await waitFor200(`http://127.0.0.1:${fwPort}/health`, fw);
    const coldStart = performance.now() - t0;
    const coldCpu = cpuSeconds(fw.pid!);
    const login = await fetch(`http://127.0.0.1:${fwPort}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    if (!token) throw new Error('could not sign in to Forewarn');
    const sample = await fetch(`http://127.0.0.1:${fwPort}/appearances?from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z&pageSize=50`, { headers: { authorization: `Bearer ${token}` } });
    const sampleBody = (await sample.json()) as { total: number; items: unknown[] };
    console.log(`sample window 2026-03: ${sampleBody.total} appearances, ${sampleBody.items.length} on the page, ${JSON.stringify(sampleBody).length} bytes`);

    const bare = startServer([bareFile], { ...process.env, SQLITE_PATH: file, PORT: String(barePort) });
    await waitFor200(`http://127.0.0.1:${barePort}/health`, bare);

    const fwUrl = `http://127.0.0.1:${fwPort}`;
    const bareUrl = `http://127.0.0.1:${barePort}`;
    load(loadFile, fwUrl, token, 3); // warm-up
    load(loadFile, bareUrl, '', 3);
    const fwRuns: Load[] = [];
    const bareRuns: Load[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      fwRuns.push(load(loadFile, fwUrl, token, SECONDS));
      bareRuns.push(load(loadFile, bareUrl, '', SECONDS));
    }
    const fwRss = vmHwmMb(fw.pid!);
    const bareRss = vmHwmMb(bare.pid!);
    await stop(fw);
    await stop(bare);

    const row = (name: string, runs: Load[], rss: number) => {
      const bad = runs.reduce((n, x) => n + x.non2xx + x.errors, 0);
      return `${name.padEnd(26)} ${median(runs.map((x) => x.rps))
        .toFixed(0)
        .padStart(
          7,
        )} req/s   p50 ${String(median(runs.map((x) => x.p50))).padStart(3)} ms   p99 ${String(median(runs.map((x) => x.p99))).padStart(3)} ms   peak RSS ${rss.toFixed(0).padStart(4)} MB   non-2xx/errors ${bad}`;
    };
    const ratio = median(fwRuns.map((x) => x.rps)) / median(bareRuns.map((x) => x.rps));
    const p99 = median(fwRuns.map((x) => x.p99));
    console.log(`\nGET /appearances?from&to (random 30-day windows, pageSize ${PAGE_SIZE}), ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s, medians`);
    console.log('servers on core 1 (taskset -c 1), autocannon on core 0 (taskset -c 0)');
    console.log(row(`Forewarn (NestJS+TypeORM) ${flags}`, fwRuns, fwRss));
    console.log(row('bare fastify + sqlite3', bareRuns, bareRss));
    console.log(`rounds Forewarn req/s: ${fwRuns.map((x) => x.rps.toFixed(0)).join(', ')}; bare: ${bareRuns.map((x) => x.rps.toFixed(0)).join(', ')}`);
    console.log(
      `ratio Forewarn/bare ${ratio.toFixed(2)} (target ≥ 0.6)   p99 ${p99} ms (≤ 25)   RSS ${fwRss.toFixed(0)} MB (≤ 250)   cold start to first 200 ${(coldStart / 1000).toFixed(2)} s (≤ 3; ${coldCpu.toFixed(2)} s of CPU)`,
    );
    console.log(`machine load while measuring (1-min average, ${cpus().length} cores): ${loadavg()[0].toFixed(1)}`);
    const ok = ratio >= 0.6 && p99 <= 25 && fwRss <= 250 && coldStart <= 3000;
    console.log(ok ? 'all targets met' : 'TARGET MISSED');
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
