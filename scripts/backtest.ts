/**
 * `npm run backtest -- [options]`: rolling-origin back-test of the risk model.
 *
 *   --csv <dir>        read institutions.csv, appearances.csv, incidents.csv [, reception.csv] from <dir>
 *                      into a scratch SQLite database (same migrations, same SQL) instead of the
 *                      configured database (DATABASE_URL / SQLITE_PATH)
 *   --from <ISO>       judge appearances starting at or after (default: 1970)
 *   --to <ISO>         ... and before (default: now)
 *   --lead-hours <h>   briefing time = start − h (default 24): only records written before it count
 *   --json             machine-readable output
 *
 * CSV columns (header row; times ISO 8601):
 *   institutions: id,name,city,state[,limits_immigration_cooperation]
 *   appearances:  id,institution_id,kind,format,audience,expected_attendance,visible_branding,starts_at,status[,created_at]
 *   incidents:    id,institution_id,appearance_id,kind,occurred_at,recorded_at,severity,target,verification
 *   reception:    id,institution_id,kind,stance,effective_at,recorded_at
 */
import 'reflect-metadata';
import { parse } from 'csv-parse/sync';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../src/config/database.config';
import { buildDataSourceOptions } from '../src/database/typeorm-options';
import { placeholders } from '../src/risk/evidence';
import { RISK_PARAMS } from '../src/risk/params';
import { buildCases, evaluate, formatReport } from './backtest-core';

type Csv = Record<string, string>[];
const ms = (v: string) => {
  const t = new Date(v).getTime();
  if (!Number.isFinite(t)) throw new Error(`not an ISO time: ${v}`);
  return t;
};
const yes = (v: string | undefined) => v === 'true' || v === '1' || v === 'yes';

export async function bulkInsert(ds: DataSource, table: string, cols: string[], rows: unknown[][]): Promise<void> {
  const per = Math.max(1, Math.min(500, Math.floor(30000 / cols.length)));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const ph = placeholders(ds.manager, chunk.length * cols.length);
    const values = chunk.map((_, j) => `(${ph.slice(j * cols.length, (j + 1) * cols.length).join(', ')})`).join(', ');
    await ds.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${values}`, chunk.flat());
  }
}

/** A scratch SQLite database with the real migrations, filled from the CSV files in `dir`. */
export async function databaseFromCsv(dir: string): Promise<{ ds: DataSource; cleanup: () => Promise<void> }> {
  const tmp = mkdtempSync(join(tmpdir(), 'forewarn-backtest-'));
  const ds = new DataSource(buildDataSourceOptions({ type: 'sqlite', sqlitePath: join(tmp, 'backtest.sqlite'), poolSize: 1, logging: false }));
  await ds.initialize();
  await ds.runMigrations();
  const read = (f: string): Csv => (existsSync(join(dir, f)) ? (parse(readFileSync(join(dir, f)), { columns: true, skip_empty_lines: true }) as Csv) : []);
  const t0 = 0;
  const officeId = '00000000-0000-4000-8000-000000000001';
  await ds.query(`INSERT INTO offices (id, created_at, updated_at, name, region, time_zone) VALUES ('${officeId}', 0, 0, 'Backtest', '', 'UTC')`);
  await bulkInsert(
    ds,
    'institutions',
    ['id', 'created_at', 'updated_at', 'name', 'search_name', 'dedupe_key', 'kind', 'city', 'state', 'time_zone', 'limits_immigration_cooperation'],
    read('institutions.csv').map((r) => [r.id, t0, t0, r.name, r.name.toLowerCase(), `${r.id}`, 'university', r.city ?? '', r.state ?? '', 'UTC', yes(r.limits_immigration_cooperation)]),
  );
  await bulkInsert(
    ds,
    'appearances',
    ['id', 'created_at', 'updated_at', 'institution_id', 'office_id', 'kind', 'title', 'starts_at', 'ends_at', 'time_zone', 'format', 'audience', 'expected_attendance', 'visible_branding', 'status'],
    read('appearances.csv').map((r) => {
      const s = ms(r.starts_at);
      const created = r.created_at ? ms(r.created_at) : s - 30 * 86_400_000;
      return [r.id, created, created, r.institution_id, officeId, r.kind, 'Backtest', s, s + 4 * 3_600_000, 'UTC', r.format, r.audience, r.expected_attendance ? Number(r.expected_attendance) : null, yes(r.visible_branding), r.status || 'completed'];
    }),
  );
  await bulkInsert(
    ds,
    'incidents',
    ['id', 'created_at', 'updated_at', 'institution_id', 'state', 'appearance_id', 'kind', 'occurred_at', 'recorded_at', 'severity', 'target', 'source', 'verification'],
    read('incidents.csv').map((r) => {
      const rec = ms(r.recorded_at);
      return [r.id, rec, rec, r.institution_id, r.state ?? '', r.appearance_id || null, r.kind, ms(r.occurred_at), rec, Number(r.severity), r.target, 'news', r.verification || 'reported'];
    }),
  );
  // incidents carry their institution's state
  await ds.query(`UPDATE incidents SET state = (SELECT i.state FROM institutions i WHERE i.id = incidents.institution_id)`);
  await bulkInsert(
    ds,
    'reception_entries',
    ['id', 'institution_id', 'kind', 'stance', 'effective_at', 'recorded_at'],
    read('reception.csv').map((r) => [r.id, r.institution_id, r.kind, r.stance, ms(r.effective_at), ms(r.recorded_at)]),
  );
  await ds.query('ANALYZE');
  return {
    ds,
    cleanup: async () => {
      await ds.destroy();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const csv = arg('csv');
  const from = arg('from') ? ms(arg('from') as string) : 0;
  const to = arg('to') ? ms(arg('to') as string) : Date.now();
  const leadMs = Number(arg('lead-hours') ?? 24) * 3_600_000;
  const json = process.argv.includes('--json');
  let ds: DataSource;
  let cleanup: () => Promise<void>;
  if (csv) {
    ({ ds, cleanup } = await databaseFromCsv(csv));
  } else {
    ds = new DataSource(buildDataSourceOptions(readDatabaseConfig()));
    await ds.initialize();
    cleanup = () => ds.destroy();
  }
  try {
    const cases = await buildCases(ds, { from, to, leadMs, params: RISK_PARAMS });
    if (!cases.length) {
      console.log(json ? JSON.stringify({ appearances: 0, note: 'no past appearance to judge in this window' }) : 'No past appearance to judge in this window: nothing to report.');
      return;
    }
    const report = evaluate(cases, RISK_PARAMS, { from, to, leadMs });
    console.log(json ? JSON.stringify(report, null, 2) : formatReport(csv ? `back-test of ${csv}` : 'back-test of the configured database', report));
  } finally {
    await cleanup();
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
