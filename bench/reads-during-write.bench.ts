/**
 * Reads during a long write, on SQLite: the appearance listing (50 rows of a 30-day window, the
 * listing's rows and count) asked back to back while RiskService.refreshAll writes 10,000 risk
 * snapshots, and the same reads with nothing writing. Side by side in one run: this tree and the
 * commit it branched from (BENCH_BASE, default `git merge-base HEAD main`, exported to a temporary
 * folder), interleaved rounds. Target on SQLite: p99 of the reads during the refresh ≤ 25 ms.
 *
 *   npm run bench reads-during-write        (BENCH_ROUNDS, default 2; BENCH_SCALE scales the data)
 */
import 'reflect-metadata';
import { execSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scaled } from './scale';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12);

interface Result {
  idle: number[];
  during: number[];
  refreshMs: number;
  assessed: number;
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))] ?? NaN;
};

/** One measurement in this process, with the sources under `root`. */
async function measure(root: string): Promise<Result> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const req = (p: string) => require(join(root, p));
  const { createDataSource } = req('src/database/data-source.factory');
  const { buildDataSourceOptions } = req('src/database/typeorm-options');
  const { FixedClock } = req('src/common/clock');
  const { RiskService } = req('src/risk/risk.service');
  const { RiskParametersService } = req('src/risk/risk-parameters.service');
  const { AuditService } = req('src/audit/audit.service');
  const { AppearanceReader } = req('src/appearances/appearance-reader');
  const { EventEmitter2 } = require('@nestjs/event-emitter');
  let databaseOf: ((ds: unknown) => unknown) | null;
  try {
    databaseOf = req('src/database/database.service').databaseOf;
  } catch {
    databaseOf = null; // the old tree: services take the DataSource
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-reads-bench-'));
  const ds = await createDataSource(buildDataSourceOptions({ type: 'sqlite', sqlitePath: join(dir, 'bench.sqlite'), poolSize: 1, logging: false }));
  await ds.runMigrations();
  const nInst = scaled(5_000);
  const nUp = scaled(10_000);
  const nInc = scaled(40_000);
  const officeId = randomUUID();
  const inst = Array.from({ length: nInst }, (_, i) => ({ id: randomUUID(), state: `S${i % 50}`, i }));
  const bulk = async (m: { query: (s: string, p: unknown[]) => Promise<unknown> }, table: string, cols: string[], rows: unknown[][]) => {
    const per = Math.floor(30000 / cols.length);
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      await m.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${chunk.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ')}`, chunk.flat());
    }
  };
  let x = 7;
  const r = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  await ds.transaction(async (m: { query: (s: string, p?: unknown[]) => Promise<unknown> }) => {
    await m.query(`INSERT INTO offices (id, created_at, updated_at, name, region, time_zone) VALUES ('${officeId}', ${NOW}, ${NOW}, 'Bench office', 'Bench', 'UTC')`);
    await bulk(
      m,
      'institutions',
      ['id', 'created_at', 'updated_at', 'name', 'search_name', 'dedupe_key', 'kind', 'city', 'state', 'time_zone', 'limits_immigration_cooperation'],
      inst.map((v) => [v.id, NOW, NOW, `Bench U ${v.i}`, `bench u ${v.i}`, `bench u ${v.i}|city|${v.state}`, 'university', 'City', v.state, 'UTC', v.i % 7 === 0]),
    );
    const cols = [
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
    const up = Array.from({ length: nUp }, () => {
      const startsAt = NOW + DAY + Math.floor(r() * 120 * DAY);
      return [
        randomUUID(),
        NOW - DAY,
        NOW - DAY,
        inst[Math.floor(r() * nInst)].id,
        officeId,
        'career_fair',
        'Upcoming',
        startsAt,
        startsAt + 4 * 3600_000,
        'UTC',
        'in_person',
        'public',
        200,
        true,
        'planned',
      ];
    });
    await bulk(m, 'appearances', cols, up);
    const incCols = ['id', 'created_at', 'updated_at', 'institution_id', 'state', 'kind', 'occurred_at', 'recorded_at', 'severity', 'target', 'source', 'verification', 'topic_mask'];
    const inc = Array.from({ length: nInc }, () => {
      const v = inst[Math.floor(r() * nInst)];
      const at = NOW - Math.floor(r() * 3 * 365 * DAY) - 3600_000;
      return [randomUUID(), at, at, v.id, v.state, 'protest', at, at, 1 + Math.floor(r() * 4), r() < 0.05 ? 'organisation' : 'general_activism', 'news', 'reported', 1];
    });
    await bulk(m, 'incidents', incCols, inc);
  });
  const clock = new FixedClock(NOW);
  const handle = databaseOf ? databaseOf(ds) : ds;
  // RiskService takes the DatabaseService once it has withJobLock (older trees: the DataSource)
  const riskDb = typeof handle.withJobLock === 'function' ? handle : ds;
  const risk = new RiskService(riskDb, clock, new EventEmitter2(), new RiskParametersService(riskDb, clock, new AuditService(handle, clock)), {
    refreshHorizonDays: 400,
    refreshHourUtc: 3,
    orgCacheSeconds: 600,
  });
  const reader = new AppearanceReader(handle);
  const read = async (): Promise<number> => {
    const from = NOW + DAY + Math.floor(r() * 90 * DAY);
    const t0 = process.hrtime.bigint();
    await reader.list({ from: new Date(from).toISOString(), to: new Date(from + 30 * DAY).toISOString(), page: 1, pageSize: 50 });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  await risk.refreshAll('bench'); // warm: the first pass fills the caches
  for (let i = 0; i < 50; i++) await read();
  const idle: number[] = [];
  for (let i = 0; i < 300; i++) idle.push(await read());
  clock.advance(1000);
  let done = false;
  const t0 = process.hrtime.bigint();
  const refresh = risk.refreshAll('bench').finally(() => (done = true));
  const during: number[] = [];
  while (!done) during.push(await read());
  const { assessed } = await refresh;
  const refreshMs = Number(process.hrtime.bigint() - t0) / 1e6;
  await ds.destroy();
  rmSync(dir, { recursive: true, force: true });
  return { idle, during, refreshMs, assessed };
}

function main(): void {
  const here = resolve(__dirname, '..');
  const base = process.env.BENCH_BASE ?? execSync('git merge-base HEAD main', { cwd: here }).toString().trim();
  const old = mkdtempSync(join(tmpdir(), 'forewarn-base-'));
  execSync(`git archive ${base} | tar -x -C ${old}`, { cwd: here, shell: '/bin/bash' });
  symlinkSync(join(here, 'node_modules'), join(old, 'node_modules'));
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' / ')} at start; base ${base.slice(0, 7)} vs this tree`,
  );
  const all: Record<'base' | 'this', Result[]> = { base: [], this: [] };
  try {
    for (let i = 0; i < rounds; i++) {
      for (const [name, root] of [
        ['base', old],
        ['this', here],
      ] as const) {
        const c = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--child', root], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
        const line = c.stdout.split('\n').find((l) => l.startsWith('{'));
        if (c.status !== 0 || !line) throw new Error(`${name}: ${c.stderr.slice(-2000)}`);
        all[name].push(JSON.parse(line) as Result);
      }
    }
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
  for (const name of ['base', 'this'] as const) {
    const idle = all[name].flatMap((x) => x.idle);
    const during = all[name].flatMap((x) => x.during);
    const refresh = all[name].map((x) => x.refreshMs.toFixed(0)).join(', ');
    console.log(
      `${name}: reads idle p50 ${pct(idle, 0.5).toFixed(1)} / p99 ${pct(idle, 0.99).toFixed(1)} ms; during the refresh of ${all[name][0].assessed} snapshots (${refresh} ms): ${during.length} reads, p50 ${pct(during, 0.5).toFixed(1)} / p99 ${pct(during, 0.99).toFixed(1)} / max ${Math.max(...during).toFixed(1)} ms`,
    );
  }
  const p99 = (n: 'base' | 'this') =>
    pct(
      all[n].flatMap((x) => x.during),
      0.99,
    );
  console.log(
    `p99 of reads during the refresh: this ${p99('this').toFixed(1)} ms vs base ${p99('base').toFixed(1)} ms (×${(p99('this') / p99('base')).toFixed(2)}); target ≤ 25 ms: ${p99('this') <= 25 ? 'met' : 'NOT met'}`,
  );
}

if (process.argv[2] === '--child') {
  measure(process.argv[3])
    .then((res) => {
      console.log(JSON.stringify(res));
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
} else {
  main();
}
