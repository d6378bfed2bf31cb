#!/usr/bin/env node
/**
 * npm run mutate [-- options]: one Stryker run per (module, suite) of mutation/modules.js, one after
 * the other, each reusing its committed incremental file; then the per-module score table.
 *
 *   --only a,b         only these modules (slugs)
 *   --suite unit|e2e|pg  only this suite (pg: on PostgreSQL, needs TEST_DATABASE_URL)
 *   --since <ref>      only the modules whose mutated files or specs changed since <ref> (git diff)
 *   --stale            only the (module, suite) runs whose committed report was made from other text
 *                      of a mutated file or spec than the tree holds now (no git needed)
 *   --with-missing     with --stale, also the runs that have no report yet
 *   --static           also run static mutants (module-level constants; slow, see modules.js)
 *   --dry              print what would run, run nothing
 * The exit code is the score table's: 1 when a module is under the threshold (with --since, only the modules re-run here count).
 */
const { execFileSync, spawnSync } = require('node:child_process');
const path = require('node:path');
const { modules, SUITES } = require('./modules');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const only = opt('--only')?.split(',');
const suiteOnly = opt('--suite');
const since = opt('--since');
const staleOnly = args.includes('--stale');
/** With --stale, also the runs that have no report yet (a first run is a full one: CI leaves those to a local run). */
const withMissing = args.includes('--with-missing');
const neverRun = [];
/** --budget N: at most N Stryker runs (CI's time); more than that and none run, the table is shown as it stands. */
const budget = opt('--budget') === undefined ? Infinity : Number(opt('--budget'));

const { fileOf } = require('./resolve');
const { NO_REPORT, staleness } = require('./stale');
let changed = null;
if (since) {
  changed = new Set(execFileSync('git', ['diff', '--name-only', since, '--'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean));
  // Any change to the mutation set-up itself re-checks everything.
  if ([...changed].some((f) => f.startsWith('mutation/') || f === 'stryker.config.mjs' || f === 'package-lock.json')) changed = null;
}

const runs = [];
/** The `pg` suites run on PostgreSQL (TEST_DATABASE_URL, as `npm test` uses it); without one they are named, not run. */
const noPostgres = [];
for (const m of modules) {
  if (only && !only.includes(m.slug)) continue;
  for (const suite of SUITES) {
    const part = m[suite];
    if (!part || (suiteOnly && suite !== suiteOnly)) continue;
    if (changed && ![...part.mutate.map(fileOf), ...part.specs].some((f) => changed.has(f))) continue;
    if (suite === 'pg' && !process.env.TEST_DATABASE_URL) {
      noPostgres.push(`${m.slug}.${suite}`);
      continue;
    }
    const why = staleOnly ? staleness(m.slug, suite, part, root) : null;
    if (staleOnly && !why) continue;
    if (staleOnly && why === NO_REPORT && !withMissing) {
      neverRun.push(`${m.slug}.${suite}`);
      continue;
    }
    runs.push({ slug: m.slug, suite, why });
  }
}

for (const r of runs) if (r.why) console.log(`${r.slug}.${r.suite}: ${r.why}`);
if (neverRun.length) console.log(`No report yet, not run here (a first run is a full run; \`npm run mutate -- --stale --with-missing\` runs them): ${neverRun.join(', ')}`);
if (noPostgres.length) console.log(`No TEST_DATABASE_URL: the PostgreSQL runs are not run here: ${noPostgres.join(', ')}`);
if (runs.length > budget) {
  const left = runs.splice(budget);
  console.log(
    `${left.length + runs.length} mutation runs needed, more than the budget of ${budget}: not re-run here: ${left.map((r) => `${r.slug}.${r.suite}`).join(', ')}. Run \`npm run mutate -- --stale\` locally and commit reports/mutation/.`,
  );
}
console.log(runs.length ? `Mutation runs: ${runs.map((r) => `${r.slug}.${r.suite}`).join(', ')}` : 'No critical module changed: no mutation run (the committed reports stand).');
if (args.includes('--dry')) process.exit(0);
let broken = 0;
for (const r of runs) {
  const started = Date.now();
  const res = spawnSync('npx', ['stryker', 'run'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MUTATION_MODULE: r.slug, MUTATION_SUITE: r.suite, ...(args.includes('--static') ? { MUTATION_STATIC: '1' } : {}) },
  });
  console.log(`${r.slug}.${r.suite}: ${res.status === 0 ? 'done' : `Stryker exited ${res.status}`} in ${Math.round((Date.now() - started) / 1000)} s`);
  if (res.status !== 0) broken++; // the next module still runs; its report stays as it was
}
// With --since or --stale the table gates only the modules re-run here; a full run gates them all.
const gateArgs = since || staleOnly ? ['--gate', [...new Set(runs.map((r) => r.slug))].join(',')] : [];
const score = spawnSync(process.execPath, [path.join(__dirname, 'score.js'), ...gateArgs], { cwd: root, stdio: 'inherit' });
process.exit(broken ? 2 : (score.status ?? 1));
