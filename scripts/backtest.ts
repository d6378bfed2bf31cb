/**
 * `npm run backtest [-- options]`: judge a parameter set of the risk model on history it did not
 * see (RISK_MODEL §7), at the appearance level and the institution level, beside four baselines
 * (base rate, any prior protest, count of prior protests, recency-weighted count), with bootstrap
 * 95% intervals. Its last line is one verdict.
 *
 *   (no option)     the Fall 2024 campus data (data-fixtures/risk-backtest: Crowd Counting Consortium
 *                   protests at College Scorecard institutions): the set in force by default (the
 *                   shipped one), fitted on 15 Aug – 15 Oct 2024, judged on 16 Oct – 31 Dec 2024
 *   --db            the configured database (DATABASE_URL / SQLITE_PATH) and its active set: the
 *                   last --holdout-days (default 90) of its history judged, the rest as the fit period
 *   --starting      judge the starting values (every coefficient at its prior) instead
 *   --json          the report as JSON
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../src/config/database.config';
import { bool } from '../src/database/dialect';
import { query, sql } from '../src/database/sql';
import { buildDataSourceOptions } from '../src/database/typeorm-options';
import { buildCases } from '../src/risk/fit/cases';
import { loadHistory } from '../src/risk/fit/history';
import { judge, Split } from '../src/risk/fit/judge';
import { DEFAULT_TOPIC_RELATIONS, parseParams, RiskParams, STARTING_PARAMS } from '../src/risk/params';
import { masksOf } from '../src/risk/risk-parameters.service';
import { RiskSetting } from '../src/risk/risk-setting.entity';
import { SHIPPED_PARAMS } from '../src/risk/shipped-params';
import { campusDatabase } from './campus-db';
import { formatJudge } from './fit-report';
import { CAMPUS_SPLIT } from './risk-fit';

const DAY = 86_400_000;
const flag = (name: string) => process.argv.includes(`--${name}`);
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function judgeOn(ds: DataSource, params: RiskParams, split: Split | null, universe?: Set<string>) {
  const h = await loadHistory(ds.manager);
  const stored = await ds.getRepository(RiskSetting).findOneBy({ key: 'topic_relations' });
  const relations = { ...DEFAULT_TOPIC_RELATIONS, ...(stored ? JSON.parse(stored.value) : {}) };
  const masks = masksOf(relations);
  if (!split) {
    const times = [...h.incidents.map((x) => x.occurredAt), ...h.appearances.filter((a) => a.status === 'completed').map((a) => a.startsAt)];
    if (!times.length) throw new Error('backtest: the database holds no incidents and no completed appearances');
    const last = times.reduce((a, b) => Math.max(a, b), -Infinity);
    const first = times.reduce((a, b) => Math.min(a, b), Infinity);
    split = { fitFrom: first + 14 * DAY, origin: last - Number(arg('holdout-days') ?? 90) * DAY, testTo: last + DAY, leadMs: DAY };
  }
  const fitCases = buildCases(h, { from: split.fitFrom, to: split.origin, leadMs: split.leadMs, params, masks, relations, maxExposures: 200_000 });
  return judge({ history: h, params, masks, relations, split, fitCases, universe });
}

async function main(): Promise<void> {
  const params = flag('starting') ? STARTING_PARAMS : SHIPPED_PARAMS;
  let report;
  if (flag('db')) {
    const ds = new DataSource(buildDataSourceOptions(readDatabaseConfig()));
    await ds.initialize();
    try {
      const rows = await query<{ params: string }>(ds.manager, sql`SELECT params FROM risk_parameter_sets WHERE active = ${bool(true)}`);
      report = await judgeOn(ds, flag('starting') || !rows.length ? params : parseParams(rows[0].params), null);
    } finally {
      await ds.destroy();
    }
  } else {
    const db = await campusDatabase();
    try {
      report = await judgeOn(db.ds, params, CAMPUS_SPLIT, db.sample);
    } finally {
      await db.cleanup();
    }
  }
  if (flag('json')) console.log(JSON.stringify(report, null, 1));
  else console.log(formatJudge(report));
  if (flag('json')) console.log(report.verdict);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
