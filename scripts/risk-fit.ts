/**
 * `npm run risk:fit [-- options]`: fit a new version of the risk model's parameters to the history
 * the database holds, judge it on the part it did not see, and store it with its report.
 *
 *   (no option)          the configured database (DATABASE_URL / SQLITE_PATH): fit on everything
 *                        before the last --holdout-days (default 90) of history, judge on those days,
 *                        store the set in risk_parameter_sets (inactive; an admin activates it with
 *                        POST /risk/parameters/:version/activate, which refuses a set that did not
 *                        beat every baseline unless forced)
 *   --campus             the Fall 2024 campus data of data-fixtures/risk-backtest instead: fit on
 *                        15 Aug – 15 Oct 2024, judge on 16 Oct – 31 Dec 2024
 *   --ship               (with --campus) write the set as Forewarn's shipped default
 *                        (src/risk/fitted/shipped.json) — only if it beats every baseline
 *   --version <name>     version to write (default forewarn-risk-2.0 with --campus, else fit-<date>)
 *   --max-exposures <n>  thin the reference exposures to about n (default 200000)
 *   --json               print the report as JSON
 *
 * Its last line is the verdict.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../src/config/database.config';
import { buildDataSourceOptions } from '../src/database/typeorm-options';
import { buildCases } from '../src/risk/fit/cases';
import { fitParameterSet } from '../src/risk/fit/fit';
import { evidenceFor, loadHistory } from '../src/risk/fit/history';
import { Comparison, judge, Split } from '../src/risk/fit/judge';
import { DEFAULT_TOPIC_RELATIONS, RiskParams, STARTING_PARAMS } from '../src/risk/params';
import { masksOf } from '../src/risk/risk-parameters.service';
import { RiskParameterSet } from '../src/risk/risk-parameter-set.entity';
import { RiskSetting } from '../src/risk/risk-setting.entity';
import { campusDatabase } from './campus-db';
import { formatFit, formatJudge } from './fit-report';

const DAY = 86_400_000;
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const flag = (name: string) => process.argv.includes(`--${name}`);

export const CAMPUS_SPLIT: Split = { fitFrom: Date.UTC(2024, 7, 15), origin: Date.UTC(2024, 9, 16), testTo: Date.UTC(2025, 0, 1), leadMs: DAY };

export interface FitRun {
  fitted: ReturnType<typeof fitParameterSet>;
  report: ReturnType<typeof judge>;
  seconds: { load: number; cases: number; fit: number; judge: number };
}

/** Load, build cases, fit, judge: the whole run on one database. */
export async function runFit(
  ds: DataSource,
  o: { split?: Split; holdoutDays?: number; version: string; data: string; base?: RiskParams; maxExposures?: number; universe?: Set<string> },
): Promise<FitRun> {
  const t0 = Date.now();
  const h = await loadHistory(ds.manager);
  const stored = await ds.getRepository(RiskSetting).findOneBy({ key: 'topic_relations' });
  const relations = { ...DEFAULT_TOPIC_RELATIONS, ...(stored ? JSON.parse(stored.value) : {}) };
  const masks = masksOf(relations);
  const t1 = Date.now();
  let split = o.split;
  if (!split) {
    const times = [...h.incidents.map((x) => x.occurredAt), ...h.appearances.filter((a) => a.status === 'completed').map((a) => a.startsAt)];
    if (!times.length) throw new Error('risk:fit: the database holds no incidents and no completed appearances: nothing to fit');
    const last = times.reduce((x, y) => Math.max(x, y), -Infinity);
    const first = times.reduce((x, y) => Math.min(x, y), Infinity);
    const holdout = (o.holdoutDays ?? 90) * DAY;
    split = { fitFrom: first + 14 * DAY, origin: last - holdout, testTo: last + DAY, leadMs: DAY };
    if (split.origin <= split.fitFrom) throw new Error(`risk:fit: history spans ${Math.round((last - first) / DAY)} days; it needs more than the ${o.holdoutDays ?? 90} held out plus 14 of warm-up`);
  }
  const base = o.base ?? STARTING_PARAMS;
  const fitCases = buildCases(h, { from: split.fitFrom, to: split.origin, leadMs: split.leadMs, params: base, masks, relations, maxExposures: o.maxExposures ?? 200_000 });
  const t2 = Date.now();
  // the own record at the end of the fit period, for the prior strengths
  const ends = [...h.institutions.values()].map((i) => ({ institutionId: i.id, asOf: split!.origin }));
  const evEnd = evidenceFor(h, ends, base, masks, relations);
  const states = new Map<string, { n: number; k: number }>();
  ends.forEach((q, i) => states.set(h.institutions.get(q.institutionId)!.state, { n: evEnd[i].state.n, k: evEnd[i].state.k }));
  const fitted = fitParameterSet({
    cases: fitCases,
    base,
    version: o.version,
    data: o.data,
    fittedAt: new Date().toISOString(),
    ownRecord: { institutions: ends.map((q, i) => ({ n: evEnd[i].institution.n, k: evEnd[i].institution.k, state: h.institutions.get(q.institutionId)!.state })), states },
  });
  const t3 = Date.now();
  const report = judge({ history: h, params: fitted.params, masks, relations, split, fitCases, universe: o.universe });
  const t4 = Date.now();
  return { fitted, report, seconds: { load: (t1 - t0) / 1000, cases: (t2 - t1) / 1000, fit: (t3 - t2) / 1000, judge: (t4 - t3) / 1000 } };
}

async function main(): Promise<void> {
  const campus = flag('campus');
  const json = flag('json');
  const version = arg('version') ?? (campus ? 'forewarn-risk-2.0' : `fit-${new Date().toISOString().slice(0, 16).replace(/[-:]/g, '')}`);
  if (version.length > 40) throw new Error('--version: at most 40 characters');
  const maxExposures = arg('max-exposures') ? Number(arg('max-exposures')) : undefined;
  if (campus) {
    const db = await campusDatabase();
    try {
      const run = await runFit(db.ds, {
        split: CAMPUS_SPLIT,
        version,
        data: 'Fall 2024 campus protests (Crowd Counting Consortium) at College Scorecard institutions, 15 Aug – 15 Oct 2024; held out 16 Oct – 31 Dec 2024',
        maxExposures,
        universe: db.sample,
      });
      print(run, json);
      if (flag('ship')) {
        if (!run.report.beatsEveryBaseline) {
          console.log(`not shipped: ${version} does not beat every baseline; the shipped set stays.`);
        } else {
          const file = join(__dirname, '..', 'src', 'risk', 'fitted', 'shipped.json');
          writeFileSync(file, `${JSON.stringify({ params: run.fitted.params, report: summary(run) }, null, 1)}\n`);
          console.log(`shipped: wrote ${version} to src/risk/fitted/shipped.json`);
        }
      }
      console.log(run.report.verdict);
    } finally {
      await db.cleanup();
    }
    return;
  }
  const ds = new DataSource(buildDataSourceOptions(readDatabaseConfig()));
  await ds.initialize();
  try {
    const run = await runFit(ds, {
      holdoutDays: arg('holdout-days') ? Number(arg('holdout-days')) : undefined,
      version,
      data: `this database, ${new Date().toISOString().slice(0, 10)}`,
      maxExposures,
    });
    print(run, json);
    await ds.getRepository(RiskParameterSet).insert({
      version,
      params: JSON.stringify(run.fitted.params),
      report: JSON.stringify(summary(run)),
      beatsBaselines: run.report.beatsEveryBaseline,
      active: false,
      createdAt: Date.now(),
      createdById: null,
      activatedAt: null,
      activatedById: null,
    });
    console.log(
      `stored ${version} in risk_parameter_sets (inactive). ${run.report.beatsEveryBaseline ? 'It beats every baseline: activate it with POST /risk/parameters/' + version + '/activate.' : 'It does not beat every baseline: the set in force stays.'}`,
    );
    console.log(run.report.verdict);
  } finally {
    await ds.destroy();
  }
}

function summary(run: FitRun) {
  const r = run.report;
  const pick = (c: Comparison) => ({ scores: c.scores, auc95: c.auc95, differences: c.differences, beatsEveryBaseline: c.beatsEveryBaseline });
  return {
    verdict: r.verdict,
    beatsBaselines: r.beatsEveryBaseline,
    split: r.split,
    appearanceLevel: { ...pick(r.appearanceLevel), byLevel: r.appearanceLevel.byLevel, reliability: r.appearanceLevel.reliability },
    institutionLevel: {
      relevant: pick(r.institutionLevel.relevant),
      anyProtest: pick(r.institutionLevel.anyProtest),
      institutions: r.institutionLevel.institutions,
      horizonDays: r.institutionLevel.horizonDays,
    },
    coefficients: run.fitted.table,
    priorStrengths: run.fitted.priorStrengths,
    cases: run.fitted.cases,
  };
}

function print(run: FitRun, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(summary(run), null, 1));
    return;
  }
  console.log(formatFit(run.fitted));
  console.log('');
  console.log(formatJudge(run.report));
  console.log(`(timings: load ${run.seconds.load.toFixed(1)} s, cases ${run.seconds.cases.toFixed(1)} s, fit ${run.seconds.fit.toFixed(1)} s, judge ${run.seconds.judge.toFixed(1)} s)`);
}

if (require.main === module)
  main().catch((e) => {
    console.error(e instanceof Error ? (process.env.DEBUG ? e.stack : e.message) : e);
    process.exit(1);
  });
