/**
 * A scratch SQLite database (the real migrations) holding the Fall 2024 campus data of
 * data-fixtures/risk-backtest: every College Scorecard institution as the Scorecard import stores it,
 * and every Crowd Counting Consortium campus protest as the campus-protest import stores it
 * (context incident at local noon, topics from its flags, severity 1, recorded a day after it happened).
 */
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { crowdBand } from '../src/incidents/incident-import-rows';
import { scorecardKind } from '../src/institutions/institution-import.service';
import { zoneForState } from '../src/institutions/state-zones';
import { buildDataSourceOptions } from '../src/database/typeorm-options';
import { dedupeKey, normaliseText } from '../src/institutions/normalise';
import { query, sql, SqlValue } from '../src/database/sql';
import { cccTopics, topicMask } from '../src/common/topics';
import { hash01 } from '../src/risk/fit/cases';

const DIR = join(__dirname, '..', 'data-fixtures', 'risk-backtest');
const DAY = 86_400_000;
const uuid = (s: string) => {
  const h = createHash('sha1').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export async function bulkInsert(ds: DataSource, table: string, cols: string[], rows: unknown[][]): Promise<void> {
  const per = Math.max(1, Math.min(500, Math.floor(30000 / cols.length)));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = chunk.map((row) => sql`(${sql.join(row.map((v) => sql`${(v ?? null) as SqlValue}`))})`);
    await query(ds.manager, sql`INSERT INTO ${sql.ident(table)} (${sql.join(cols.map((c) => sql.ident(c)))}) VALUES ${sql.join(values)}`);
  }
}

export interface CampusDb {
  ds: DataSource;
  /** The back-test's sample of institutions: every one in the protest data plus 1,500 others (deterministic). */
  sample: Set<string>;
  cleanup: () => Promise<void>;
}

export async function campusDatabase(): Promise<CampusDb> {
  const tmp = mkdtempSync(join(tmpdir(), 'forewarn-campus-'));
  const ds = new DataSource(buildDataSourceOptions({ type: 'sqlite', sqlitePath: join(tmp, 'campus.sqlite'), poolSize: 1, logging: false }));
  await ds.initialize();
  await ds.runMigrations();
  type Inst = { name: string; city: string; state: string; ownership: string; highest_degree: string };
  type Protest = { date: string; institution: string; city: string; state: string; size: string } & Record<string, string>;
  const insts = parse(readFileSync(join(DIR, 'us-institutions.csv')), { columns: true, skip_empty_lines: true }) as Inst[];
  const protests = parse(readFileSync(join(DIR, 'campus-protests-fall-2024.csv')), { columns: true, skip_empty_lines: true }) as Protest[];
  const seen = new Set<string>();
  const rows: unknown[][] = [];
  const byName = new Map<string, { id: string; state: string; zone: string }[]>();
  for (const i of insts) {
    const key = dedupeKey(i.name, i.city, i.state);
    const zone = zoneForState(i.state, i.city);
    if (seen.has(key) || !zone) continue;
    seen.add(key);
    const id = uuid(`inst|${key}`);
    const nk = `${normaliseText(i.name)}|${i.state}`;
    byName.set(nk, [...(byName.get(nk) ?? []), { id, state: i.state, zone }]);
    rows.push([id, 0, 0, i.name, normaliseText(i.name), key, scorecardKind(i.name, i.highest_degree), i.city, i.state, zone, i.ownership || null, i.highest_degree || null]);
  }
  await bulkInsert(ds, 'institutions', ['id', 'created_at', 'updated_at', 'name', 'search_name', 'dedupe_key', 'kind', 'city', 'state', 'time_zone', 'ownership', 'highest_degree'], rows);
  const incidents: unknown[][] = [];
  const inData = new Set<string>();
  protests.forEach((p, n) => {
    const match = byName.get(`${normaliseText(p.institution)}|${p.state}`);
    if (!match || match.length !== 1) return;
    const inst = match[0];
    inData.add(inst.id);
    // local noon, as the import reads a bare date
    const at = DateTime.fromISO(`${p.date}T12:00:00`, { zone: inst.zone }).toMillis();
    const recruiting = /^(yes|true|1)$/i.test(p.about_recruiting ?? '');
    incidents.push([
      uuid(`ccc|${n}`),
      at + DAY,
      at + DAY,
      inst.id,
      inst.state,
      'protest',
      at,
      at + DAY,
      1,
      crowdBand(p.size),
      recruiting ? 'peer_recruiters' : 'general_activism',
      'news',
      'reported',
      topicMask(cccTopics(p)),
    ]);
  });
  await bulkInsert(
    ds,
    'incidents',
    ['id', 'created_at', 'updated_at', 'institution_id', 'state', 'kind', 'occurred_at', 'recorded_at', 'severity', 'crowd_size', 'target', 'source', 'verification', 'topic_mask'],
    incidents,
  );
  await ds.query('ANALYZE');
  // the sample: every institution in the protest data plus 1,500 others
  const others = (rows.map((r) => String(r[0])) as string[])
    .filter((id) => !inData.has(id))
    .sort((a, b) => hash01(a) - hash01(b))
    .slice(0, 1500);
  return {
    ds,
    sample: new Set([...inData, ...others]),
    cleanup: async () => {
      await ds.destroy();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
