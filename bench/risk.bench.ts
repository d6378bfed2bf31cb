/**
 * Risk engine benchmark. 100,000 past appearances, 200,000 incidents, 10,000 upcoming
 * appearances, 5,000 institutions in 50 states; bulk multi-row inserts. Measures on SQLite:
 *  - full refresh of every upcoming assessment (RiskService.refreshAll) vs one bare SELECT of the same
 *    evidence aggregates (how close the engine is to the database's own limit);
 *  - re-assessment after one new incident (p50/p95), context-only and aimed-at-us (wave moves), and
 *    the re-assessment of the state's other appearances that follows the commit when the wave moved;
 *  - one pure model evaluation;
 * and the full refresh on PostgreSQL (a fresh database created and dropped; BENCH_PG_URL to change,
 * BENCH_PG=0 to skip). BENCH_RISK_ONLY=refresh measures only the full refreshes (both databases).
 *
 *   npm run bench risk
 */
import 'reflect-metadata';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { SqliteQueryRunner } from 'typeorm/driver/sqlite/SqliteQueryRunner';
import { FixedClock } from '../src/common/clock';
import { DISRUPTIVE_KINDS } from '../src/common/enums';
import { createDataSource } from '../src/database/data-source.factory';
import { databaseOf } from '../src/database/database.service';
import { buildDataSourceOptions } from '../src/database/typeorm-options';
import { dialectOf } from '../src/database/dialect';
import { query, Sql, sql, SqlValue } from '../src/database/sql';
import { evidenceSql } from '../src/risk/evidence-sql';
import { assessRisk, RiskEvidence } from '../src/risk/model';
import { DEFAULT_TOPIC_RELATIONS } from '../src/risk/params';
import { masksOf, RiskParametersService } from '../src/risk/risk-parameters.service';
import { SHIPPED_PARAMS } from '../src/risk/shipped-params';
import { AuditService } from '../src/audit/audit.service';
import { TOPICS } from '../src/common/enums';
import { runFit } from '../scripts/risk-fit';
import { RiskService } from '../src/risk/risk.service';
import { scaled } from './scale';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12);
const N_INST = scaled(5_000);
const N_PAST = scaled(100_000);
const N_INC = scaled(200_000);
const N_UP = scaled(10_000);
const N_REC = scaled(10_000);
/** Incidents per case of the re-assessment measurement (the first 5 warm up); BENCH_RUNS to change. */
const RUNS = Number(process.env.BENCH_RUNS ?? 105);
const STATES = Array.from({ length: 50 }, (_, i) => `S${String(i).padStart(2, '0')}`);

/** Deterministic PRNG (mulberry32) so every run inserts the same data. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fragment run on the DataSource itself (the bench has it to itself; the app goes through DatabaseService). */
function runSql(ds: DataSource, q: Sql, prefix = ''): Promise<unknown[]> {
  const { text, params } = q.render(dialectOf(ds));
  return ds.query(prefix + text, params) as Promise<unknown[]>;
}

async function bulk(m: EntityManager, table: string, cols: string[], rows: unknown[][]): Promise<void> {
  const per = Math.min(500, Math.floor(30000 / cols.length));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = sql.join(chunk.map((row) => sql`(${sql.join(row.map((v) => sql`${v as SqlValue}`))})`));
    // in the seed's transaction (m), not on the DataSource: on PostgreSQL that is another pooled connection
    await query(m, sql`INSERT INTO ${sql.ident(table)} (${sql.join(cols.map((c) => sql.ident(c)))}) VALUES ${values}`);
  }
}

async function seed(ds: DataSource): Promise<{ institutions: { id: string; state: string }[] }> {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const officeId = randomUUID();
  const institutions = Array.from({ length: N_INST }, (_, i) => ({ id: randomUUID(), state: STATES[i % STATES.length], i }));
  const pastIds: { id: string; inst: (typeof institutions)[number]; startsAt: number }[] = [];
  await ds.transaction(async (m) => {
    await m.query(`INSERT INTO offices (id, created_at, updated_at, name, region, time_zone) VALUES ('${officeId}', ${NOW}, ${NOW}, 'Bench office', 'Bench', 'UTC')`);
    await bulk(
      m,
      'institutions',
      ['id', 'created_at', 'updated_at', 'name', 'search_name', 'dedupe_key', 'kind', 'city', 'state', 'time_zone', 'limits_immigration_cooperation'],
      institutions.map((x) => [x.id, NOW, NOW, `Bench U ${x.i}`, `bench u ${x.i}`, `bench u ${x.i}|city|${x.state}`, 'university', 'City', x.state, 'UTC', x.i % 7 === 0]),
    );
    const appCols = [
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
      'format',
      'audience',
      'expected_attendance',
      'visible_branding',
      'status',
    ];
    const past: unknown[][] = [];
    for (let i = 0; i < N_PAST; i++) {
      const inst = institutions[Math.floor(Math.pow(r(), 1.5) * N_INST)];
      const startsAt = NOW - Math.floor(r() * 3 * 365 * DAY) - DAY;
      const id = randomUUID();
      pastIds.push({ id, inst, startsAt });
      past.push([
        id,
        startsAt - 30 * DAY,
        startsAt,
        inst.id,
        officeId,
        pick(['career_fair', 'info_session', 'campus_visit']),
        'Past',
        startsAt,
        startsAt + 4 * 3600_000,
        'UTC',
        'in_person',
        'public',
        150,
        r() < 0.5,
        r() < 0.03 ? 'cancelled' : 'completed',
      ]);
    }
    await bulk(m, 'appearances', appCols, past);
    const up: unknown[][] = [];
    for (let i = 0; i < N_UP; i++) {
      const inst = institutions[Math.floor(r() * N_INST)];
      const startsAt = NOW + DAY + Math.floor(r() * 120 * DAY);
      up.push([
        randomUUID(),
        NOW - DAY,
        NOW - DAY,
        inst.id,
        officeId,
        pick(['career_fair', 'info_session', 'campus_visit']),
        'Upcoming',
        startsAt,
        startsAt + 4 * 3600_000,
        'UTC',
        pick(['in_person', 'in_person', 'virtual', 'hybrid']),
        pick(['public', 'invite_only']),
        Math.floor(r() * 800),
        r() < 0.5,
        pick(['planned', 'confirmed']),
      ]);
    }
    await bulk(m, 'appearances', appCols, up);
    const incCols = ['id', 'created_at', 'updated_at', 'institution_id', 'state', 'appearance_id', 'kind', 'occurred_at', 'recorded_at', 'severity', 'target', 'source', 'verification', 'topic_mask'];
    const inc: unknown[][] = [];
    for (let i = 0; i < N_INC; i++) {
      const attach = r() < 0.02 ? pastIds[Math.floor(r() * pastIds.length)] : null;
      const inst = attach ? attach.inst : institutions[Math.floor(Math.pow(r(), 1.5) * N_INST)];
      const occurredAt = attach ? attach.startsAt + 3600_000 : NOW - Math.floor(r() * 3 * 365 * DAY) - 3600_000;
      const u = r();
      // a plausible mix: 2% attached to one of our appearances, else 2% aimed at us, 5% at peer recruiters, the rest general activism
      const target = attach ? 'organisation' : u < 0.02 ? 'organisation' : u < 0.07 ? 'peer_recruiters' : 'general_activism';
      inc.push([
        randomUUID(),
        occurredAt,
        occurredAt,
        inst.id,
        inst.state,
        attach?.id ?? null,
        pick(DISRUPTIVE_KINDS),
        occurredAt,
        Math.min(NOW - 1000, occurredAt + Math.floor(r() * 5 * DAY)),
        1 + Math.floor(Math.pow(r(), 2) * 4),
        target,
        'news',
        pick(['reported', 'corroborated', 'disputed']),
        1 << Math.floor(r() * TOPICS.length),
      ]);
    }
    await bulk(m, 'incidents', incCols, inc);
    const rec: unknown[][] = [];
    for (let i = 0; i < N_REC; i++) {
      const inst = institutions[Math.floor(r() * N_INST)];
      const at = NOW - Math.floor(r() * 3 * 365 * DAY);
      rec.push([
        randomUUID(),
        inst.id,
        pick(['welcomed', 'invitation_accepted', 'partnership_declined', 'access_restricted']),
        pick(['welcoming', 'neutral', 'cautious', 'restricted', 'hostile']),
        at,
        at,
      ]);
    }
    await bulk(m, 'reception_entries', ['id', 'institution_id', 'kind', 'stance', 'effective_at', 'recorded_at'], rec);
  });
  if (ds.options.type === 'postgres') await ds.query('ANALYZE');
  else await ds.query('ANALYZE');
  return { institutions };
}

const MASKS = masksOf(DEFAULT_TOPIC_RELATIONS);

function service(ds: DataSource, clock: FixedClock): RiskService {
  const db = databaseOf(ds);
  return new RiskService(db, clock, new EventEmitter2(), new RiskParametersService(db, clock, new AuditService(db, clock)), {
    refreshHorizonDays: 400,
    refreshHourUtc: 3,
    orgCacheSeconds: 600,
  });
}

/** Time spent per kind of SQL statement (first words), for a breakdown of where a refresh goes. */
const sqlTimes = new Map<string, { ms: number; count: number }>();
let profiling = false;
/** Patches the SQLite query runner's prototype: call before the DataSource is opened (the app's one-writer wrapper binds `query` when it opens). */
function instrument(): void {
  const proto = SqliteQueryRunner.prototype as unknown as { query: (...a: unknown[]) => Promise<unknown> };
  if ((proto as { __timed?: boolean }).__timed) return;
  (proto as { __timed?: boolean }).__timed = true;
  const original = proto.query;
  proto.query = async function (this: unknown, ...a: unknown[]) {
    if (!profiling) return original.apply(this, a);
    const sql = String(a[0]).replace(/\s+/g, ' ').trim();
    const key =
      /FROM incidents x WHERE x.recorded_at/.test(sql) && /GROUP BY x.state/.test(sql)
        ? 'evidence: incidents'
        : /SUM\(CASE WHEN a.status = 'cancelled'/.test(sql)
          ? 'evidence: attached'
          : /FROM appearances a WHERE a.starts_at <=/.test(sql)
            ? 'evidence: appearances'
            : /ROW_NUMBER/.test(sql)
              ? 'evidence: reception'
              : /^INSERT INTO risk_assessments/.test(sql)
                ? 'insert snapshots'
                : /MAX\(r2.seq\)/.test(sql)
                  ? 'previous snapshots'
                  : /^SELECT a.id, a.institution_id/.test(sql)
                    ? 'load targets'
                    : sql.slice(0, 30);
    const key2 = key.startsWith('evidence:') && !/\.state = (\?|\$1)/.test(sql) ? `${key} (organisation-wide)` : key;
    const t0 = process.hrtime.bigint();
    try {
      return await original.apply(this, a);
    } finally {
      const e = sqlTimes.get(key2) ?? { ms: 0, count: 0 };
      e.ms += Number(process.hrtime.bigint() - t0) / 1e6;
      e.count++;
      sqlTimes.set(key2, e);
    }
  };
}

/** GC pauses seen by perf_hooks (start in performance.now() ms, duration ms), to attribute to runs. */
const gcPauses: { start: number; ms: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, ms: e.duration });
}).observe({ entryTypes: ['gc'] });

function breakdown(label: string, total: number): string {
  const parts = [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `${k} ${v.ms.toFixed(0)} ms${v.count > 1 ? ` (×${v.count})` : ''}`);
  const sql = [...sqlTimes.values()].reduce((s, v) => s + v.ms, 0);
  return `${label}: total ${total.toFixed(1)} ms = SQL ${sql.toFixed(0)} ms [${parts.join('; ')}] + JS ${(total - sql).toFixed(0)} ms`;
}

async function profile(label: string, fn: () => Promise<unknown>): Promise<string> {
  sqlTimes.clear();
  profiling = true;
  const [total] = await time(fn);
  profiling = false;
  return breakdown(label, total);
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const v = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, v];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

async function bareSelect(ds: DataSource, asOf: number): Promise<number> {
  const q = evidenceSql(asOf, SHIPPED_PARAMS, MASKS);
  const [ms] = await time(async () => {
    await runSql(ds, q.reception(null));
    await runSql(ds, q.lastOwn(null));
    await runSql(ds, q.appearances);
    await runSql(ds, q.attached);
    await runSql(ds, q.incidents);
  });
  return ms;
}

async function refreshRounds(ds: DataSource, clock: FixedClock, rounds: number): Promise<{ refresh: number[]; select: number[]; assessed: number }> {
  const svc = service(ds, clock);
  const refresh: number[] = [];
  const select: number[] = [];
  let assessed = 0;
  for (let i = 0; i < rounds; i++) {
    clock.advance(1000);
    select.push(await bareSelect(ds, clock.now()));
    const [ms, r] = await time(() => svc.refreshAll('bench'));
    refresh.push(ms);
    assessed = r.assessed;
  }
  return { refresh, select, assessed };
}

/** Re-assessments after one new incident (both targets), the plans of the aggregates, and the fit. */
async function reassessments(ds: DataSource, clock: FixedClock, institutions: { id: string; state: string }[], walSize: () => number, log: (s: string) => void): Promise<void> {
  const svc = service(ds, clock);
  await svc.refreshAll('bench');
  const r = rng(7);
  const withUpcoming = (await ds.query(`SELECT DISTINCT a.institution_id AS id FROM appearances a WHERE a.status IN ('planned','confirmed') AND a.starts_at > ${NOW}`)) as { id: string }[];
  const stateOf = new Map(institutions.map((i) => [i.id, i.state]));
  for (const target of ['general_activism', 'organisation'] as const) {
    const times: number[] = [];
    let assessed = 0;
    let waveMoved = 0;
    const fanOut: number[] = [];
    let fannedOut = 0;
    const runs: { i: number; ms: number; detail: string; gc: number; walBefore: number; walAfter: number; start: number; end: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      clock.advance(60_000);
      const instId = withUpcoming[Math.floor(r() * withUpcoming.length)].id;
      const walBefore = walSize();
      sqlTimes.clear();
      profiling = true;
      const start = performance.now();
      const [ms, res] = await time(() =>
        databaseOf(ds).write(async (m) => {
          await m.query(
            `INSERT INTO incidents (id, created_at, updated_at, institution_id, state, kind, occurred_at, recorded_at, severity, target, source, verification)
             VALUES ('${randomUUID()}', ${clock.now()}, ${clock.now()}, '${instId}', '${stateOf.get(instId)}', 'protest', ${clock.now() - 3600_000}, ${clock.now()}, 2, '${target}', 'first_hand', 'reported')`,
          );
          return svc.reassessInstitution(m, instId, 'incident_recorded');
        }),
      );
      const end = performance.now();
      profiling = false;
      runs.push({ i, ms, detail: breakdown(`run ${i} (${res.assessed} assessed)`, ms), gc: 0, walBefore, walAfter: walSize(), start, end });
      // the state's other appearances, re-assessed right after the commit (a write of its own)
      const [fanMs, fanned] = await time(() => svc.drainPendingStates());
      if (res.statePending && i >= 5) {
        fanOut.push(fanMs);
        fannedOut += fanned;
      }
      if (i >= 5) times.push(ms);
      if (i === RUNS - 1) {
        const instId2 = withUpcoming[Math.floor(r() * withUpcoming.length)].id;
        log(await profile(`sqlite: one re-assessment breakdown (${target})`, () => databaseOf(ds).write((m) => svc.reassessInstitution(m, instId2, 'bench'))));
        await svc.drainPendingStates();
      }
      assessed += res.assessed;
      if (res.waveMoved) waveMoved++;
    }
    await new Promise((res) => setTimeout(res, 50)); // let the GC observer deliver
    for (const run of runs) run.gc = gcPauses.filter((g) => g.start >= run.start && g.start <= run.end).reduce((a, g) => a + g.ms, 0);
    const slowest = runs
      .filter((x) => x.i >= 5)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 4);
    for (const run of slowest) log(`sqlite: slow run (${target}) ${run.detail}; GC ${run.gc.toFixed(1)} ms; WAL ${(run.walBefore / 1e6).toFixed(1)} → ${(run.walAfter / 1e6).toFixed(1)} MB`);
    log(`sqlite: per-run ms (${target}): ${runs.map((x) => x.ms.toFixed(0)).join(' ')}`);
    log(
      `sqlite: insert one incident (${target}) + re-assess in one transaction: p50 ${median(times).toFixed(1)} ms, p95 ${p95(times).toFixed(1)} ms ` +
        `(${times.length} runs; ${(assessed / RUNS).toFixed(1)} appearances re-assessed per run; state wave moved in ${waveMoved}/${RUNS}; target p95 ≤ 50 ms)`,
    );
    if (fanOut.length)
      log(
        `sqlite: the state's other appearances after the commit (${target}, a write of its own): p50 ${median(fanOut).toFixed(1)} ms, p95 ${p95(fanOut).toFixed(1)} ms ` +
          `(${fanOut.length} runs where the wave moved; ${(fannedOut / fanOut.length).toFixed(0)} appearances per run)`,
      );
  }
  const plan = (await runSql(ds, evidenceSql(clock.now(), SHIPPED_PARAMS, MASKS).incidents, 'EXPLAIN QUERY PLAN ')) as { detail: string }[];
  log(`sqlite: plan of the incident aggregate: ${plan.map((p) => p.detail).join(' | ')}`);
  const plan2 = (await runSql(ds, evidenceSql(clock.now(), SHIPPED_PARAMS, MASKS).appearances, 'EXPLAIN QUERY PLAN ')) as { detail: string }[];
  log(`sqlite: plan of the appearance aggregate: ${plan2.map((p) => p.detail).join(' | ')}`);
  // ---- the fit over the whole history (the last 90 days held out) ----
  {
    const [ms, run] = await time(() => runFit(ds, { holdoutDays: 90, version: 'bench-fit', data: 'risk bench', maxExposures: 200_000 }));
    log(
      `sqlite: risk:fit over ${N_PAST} past appearances and ${N_INC} incidents: ${(ms / 1000).toFixed(1)} s (load ${run.seconds.load.toFixed(1)}, cases ${run.seconds.cases.toFixed(1)}, fit ${run.seconds.fit.toFixed(1)}, judge ${run.seconds.judge.toFixed(1)}; ` +
        `${run.fitted.cases.total} cases; target ≤ 60 s)`,
    );
  }
}

async function main(): Promise<void> {
  const out: string[] = [];
  const log = (s: string) => {
    out.push(s);
    console.log(s);
  };

  log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')} (1/5/15 min) at start — other processes share these cores`,
  );

  // ---- pure model ----
  const ev: RiskEvidence = {
    institution: { n: 2.4, k: 1, severity: [0.5, 0.3, 0.2, 0] },
    state: { n: 40, k: 6, severity: [3, 2, 1, 0.2] },
    organisation: { n: 4000, k: 300, severity: [150, 100, 40, 10] },
    affiliationActivity: 1.3,
    activityActivity: 0.6,
    generalActivity: 4,
    stateWave: 0.7,
    nationalWave: 6,
    recent: { institution12m: 9, institutionByTopic12m: [2, 1, 0, 0, 5, 0, 1], state30d: 3, national30d: 40 },
    latestStance: 'cautious',
    declinedRecently: true,
    criticalRecently: false,
    lastOwnIncident: { occurredAt: NOW - 400 * DAY, kind: 'table_blocked', severity: 3 },
    relations: DEFAULT_TOPIC_RELATIONS,
  };
  const attrs = {
    kind: 'career_fair',
    format: 'in_person',
    audience: 'public',
    expectedAttendance: 300,
    visibleBranding: true,
    protestAnnounced: false,
    limitsImmigrationCooperation: true,
    ownership: 'public',
    highestDegree: 'graduate',
    state: 'OH',
  } as const;
  for (let i = 0; i < 20_000; i++) assessRisk(ev, attrs, SHIPPED_PARAMS);
  const N = 200_000;
  const t0 = process.hrtime.bigint();
  let sink = 0;
  // every call has a different institution record, so the Beta-quantile memo never helps (worst case)
  for (let i = 0; i < N; i++) sink += assessRisk({ ...ev, institution: { ...ev.institution, n: 2.4 + i * 1e-6 }, stateWave: (i % 100) / 50 }, attrs, SHIPPED_PARAMS).p;
  const perEval = Number(process.hrtime.bigint() - t0) / 1e3 / N;
  log(`pure model evaluation: ${perEval.toFixed(2)} µs per call (mean of ${N}; target ≤ 50 µs) [checksum ${sink.toFixed(3)}]`);

  // ---- SQLite ----
  // BENCH_SQLITE_FILE=<path> keeps the seeded database between runs (seeded once if missing).
  const keep = process.env.BENCH_SQLITE_FILE;
  const dir = keep ? null : mkdtempSync(join(tmpdir(), 'forewarn-risk-bench-'));
  const file = keep ?? join(dir as string, 'bench.sqlite');
  const fresh = !keep || !existsSync(keep);
  instrument();
  // opened as the app opens it (64 MiB page cache, one-writer serialisation)
  const ds = await createDataSource(buildDataSourceOptions({ type: 'sqlite', sqlitePath: file, poolSize: 1, logging: false }));
  await ds.runMigrations();
  let institutions: { id: string; state: string }[];
  if (fresh) {
    const [seedMs, seeded] = await time(() => seed(ds));
    institutions = seeded.institutions;
    log(`sqlite: seeded ${N_PAST} past + ${N_UP} upcoming appearances, ${N_INC} incidents, ${N_REC} reception entries, ${N_INST} institutions in ${(seedMs / 1000).toFixed(1)} s`);
  } else {
    institutions = ((await ds.query('SELECT id, state FROM institutions')) as { id: string; state: string }[]).map((r) => ({ id: r.id, state: r.state }));
    await ds.query('DELETE FROM risk_assessments');
    log(`sqlite: reusing ${file}`);
  }
  const walSize = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
  const [walInfo] = (await ds.query('PRAGMA wal_autocheckpoint')) as Record<string, unknown>[];
  const [jm] = (await ds.query('PRAGMA journal_mode')) as Record<string, unknown>[];
  log(`sqlite: journal_mode ${Object.values(jm)[0]}, wal_autocheckpoint ${Object.values(walInfo)[0]} pages, WAL ${(walSize() / 1e6).toFixed(1)} MB`);
  const clock = new FixedClock(NOW);
  const s = await refreshRounds(ds, clock, 3);
  log(`sqlite: full refresh of ${s.assessed} upcoming assessments: median ${median(s.refresh).toFixed(0)} ms (rounds ${s.refresh.map((x) => x.toFixed(0)).join(', ')}; target ≤ 2000 ms)`);
  log(`sqlite: bare SELECT of the same evidence aggregates: median ${median(s.select).toFixed(0)} ms → refresh / select = ${(median(s.refresh) / median(s.select)).toFixed(2)}`);

  log(await profile('sqlite: full refresh breakdown', () => service(ds, clock).refreshAll('bench')));
  const onlyRefresh = process.env.BENCH_RISK_ONLY === 'refresh';
  if (!onlyRefresh) await reassessments(ds, clock, institutions, walSize, log);
  await ds.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });

  log(
    `machine: load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')} after the SQLite part`,
  );

  // ---- PostgreSQL ----
  if (process.env.BENCH_PG !== '0') {
    const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
    const name = `forewarn_risk_bench_${process.pid}`;
    const admin = new DataSource({ type: 'postgres', url: `${base}/postgres` });
    try {
      await admin.initialize();
    } catch (e) {
      log(`postgres: skipped (${(e as Error).message})`);
      return;
    }
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const pg = new DataSource(buildDataSourceOptions({ type: 'postgres', url: `${base}/${name}`, sqlitePath: '', poolSize: 4, logging: false }));
      await pg.initialize();
      await pg.runMigrations();
      const [pgSeed] = await time(() => seed(pg));
      log(`postgres: seeded the same data in ${(pgSeed / 1000).toFixed(1)} s`);
      const pc = new FixedClock(NOW);
      const p = await refreshRounds(pg, pc, 3);
      log(`postgres: full refresh of ${p.assessed} upcoming assessments: median ${median(p.refresh).toFixed(0)} ms (rounds ${p.refresh.map((x) => x.toFixed(0)).join(', ')})`);
      log(`postgres: bare SELECT of the same evidence aggregates: median ${median(p.select).toFixed(0)} ms → refresh / select = ${(median(p.refresh) / median(p.select)).toFixed(2)}`);
      await pg.destroy();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.destroy();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
