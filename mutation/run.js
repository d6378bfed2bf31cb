#!/usr/bin/env node
/**
 * npm run mutate [-- options]: one Stryker run per (module, suite) of mutation/modules.js, one after
 * the other, each reusing its committed incremental file; then the per-module score table.
 *
 *   --only a,b         only these modules (slugs)
 *   --suite unit|e2e   only this suite
 *   --since <ref>      only the modules whose mutated files or specs changed since <ref> (git diff)
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
/** --budget N: at most N Stryker runs (CI's time); more than that and none run, the table is shown as it stands. */
const budget = opt('--budget') === undefined ? Infinity : Number(opt('--budget'));

const { fileOf } = require('./resolve');
let changed = null;
if (since) {
  changed = new Set(execFileSync('git', ['diff', '--name-only', since, '--'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean));
  // Any change to the mutation set-up itself re-checks everything.
  if ([...changed].some((f) => f.startsWith('mutation/') || f === 'stryker.config.mjs' || f === 'package-lock.json')) changed = null;
}

const runs = [];
for (const m of modules) {
  if (only && !only.includes(m.slug)) continue;
  for (const suite of SUITES) {
    const part = m[suite];
    if (!part || (suiteOnly && suite !== suiteOnly)) continue;
    if (changed && ![...part.mutate.map(fileOf), ...part.specs].some((f) => changed.has(f))) continue;
    runs.push({ slug: m.slug, suite });
  }
}

if (runs.length > budget) {
  console.log(
    `${runs.length} mutation runs needed (${runs.map((r) => `${r.slug}.${r.suite}`).join(', ')}), more than the budget of ${budget}: none run here. Run \`npm run mutate -- --since ${since ?? '<base>'}\` locally and commit the reports.`,
  );
  runs.length = 0;
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
// With --since the table gates only the modules re-run here; a full run gates them all.
const gateArgs = since ? ['--gate', [...new Set(runs.map((r) => r.slug))].join(',')] : [];
const score = spawnSync(process.execPath, [path.join(__dirname, 'score.js'), ...gateArgs], { cwd: root, stdio: 'inherit' });
process.exit(broken ? 2 : (score.status ?? 1));
