#!/usr/bin/env node
/**
 * The mutation score per module, from the committed incremental reports (reports/mutation/*.json,
 * mutation-testing-report-schema). Score = detected / valid, where detected = killed + timed out and
 * valid = detected + survived + no coverage; a survivor listed in mutation/equivalent.md (file, line,
 * mutator, replacement, reason) is equivalent and leaves the count. Static mutants that were not run
 * (see stryker.config.mjs) are shown as "static, not run". Only the mutants inside the module's current
 * targets count: Stryker's incremental file keeps the results of mutants outside the run's scope (a
 * file moved away, a function range that narrowed), which no run re-tests. A mutant that two suites of a
 * module both make (the `pg` suite re-mutates code the `e2e` suite runs on SQLite) counts once, with the
 * best answer either suite gave: killed on PostgreSQL is killed. Exit 1 when a module is under THRESHOLD,
 * or (with --strict) has no report yet.
 *   node mutation/score.js [--survivors] [--strict]   (--survivors lists every unexplained survivor)
 */
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { modules, SUITES, THRESHOLD, incrementalFile } = require('./modules');
const { resolveAll } = require('./resolve');

const root = path.resolve(__dirname, '..');
const showAll = process.argv.includes('--survivors');
/** Without --strict a module with no report yet is shown ("not run") but does not fail the table. */
const strict = process.argv.includes('--strict');
/**
 * --gate a,b: only these modules can fail the table (the incremental run passes the modules it re-ran,
 * so a change is held to the threshold on what it touched; the other rows are shown as they stand).
 */
const gateArg = process.argv.indexOf('--gate');
const gate = gateArg < 0 ? null : new Set((process.argv[gateArg + 1] ?? '').split(',').filter(Boolean));

/**
 * `| src/x.ts:12 | ConditionalExpression | `false` | why |` rows of equivalent.md; `src/x.ts:12:7` (the
 * column as --survivors prints it) picks one of several mutants with the same replacement on a line.
 */
function equivalents() {
  const file = path.join(__dirname, 'equivalent.md');
  if (!existsSync(file)) return [];
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => /^\|\s*`?([^`|\s:]+):(\d+)(?::(\d+))?`?\s*\|\s*(\w+)\s*\|\s*`([^`]*)`\s*\|\s*(.+?)\s*\|\s*$/.exec(l))
      .filter(Boolean)
      // a `|` inside a table cell is written `\|` (GitHub's tables need it even in code spans)
      .map(([, file, line, column, mutator, replacement, reason]) => ({
        file,
        line: Number(line),
        column: column === undefined ? null : Number(column),
        mutator,
        replacement: replacement.replace(/\\\|/g, '|'),
        reason,
      }))
  );
}

const eq = equivalents();

/** Is the mutant inside the suite's current targets (whole files, or `file:from-to` line ranges)? */
function inScope(targets, file, m) {
  return targets.some((t) => {
    const range = /^(.*):(\d+)-(\d+)$/.exec(t);
    if (!range) return t === file;
    return range[1] === file && m.location.start.line >= Number(range[2]) && m.location.start.line <= Number(range[3]);
  });
}
let outOfScope = 0;
const matches = (e, file, m) =>
  e.file === file && e.line === m.location.start.line && (e.column === null || e.column === m.location.start.column) && e.mutator === m.mutatorName && e.replacement === (m.replacement ?? '');
const isEquivalent = (file, m) => eq.some((e) => matches(e, file, m));

let failed = false;
const rows = [];
/** Rows of equivalent.md that match a detected mutant, and rows that explain a survivor (a row can match both: two mutants with one start). */
const rowDetected = new Set();
const rowExplains = new Set();
const survivors = [];
/** Of two suites' answers for one mutant, the one that says more: detected beats survived beats not covered. */
const RANK = { Killed: 6, Timeout: 5, Survived: 3, NoCoverage: 2, Ignored: 1, CompileError: 0, RuntimeError: 0 };
for (const mod of modules) {
  const c = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, equivalent: 0, static: 0, errors: 0 };
  let reports = 0;
  const byMutant = new Map();
  for (const suite of SUITES) {
    if (!mod[suite]) continue;
    const f = path.join(root, incrementalFile(mod.slug, suite));
    if (!existsSync(f)) continue;
    reports++;
    const report = JSON.parse(readFileSync(f, 'utf8'));
    const targets = resolveAll(mod[suite].mutate, root);
    for (const [file, { mutants }] of Object.entries(report.files)) {
      for (const m of mutants) {
        if (!inScope(targets, file, m)) {
          outOfScope++;
          continue;
        }
        const key = `${file}:${m.location.start.line}:${m.location.start.column}:${m.location.end.line}:${m.location.end.column}:${m.mutatorName}:${m.replacement ?? ''}`;
        const seen = byMutant.get(key);
        if (!seen || (RANK[m.status] ?? 0) > (RANK[seen.m.status] ?? 0)) byMutant.set(key, { file, m });
      }
    }
  }
  for (const { file, m } of byMutant.values()) {
    for (const e of eq) if (matches(e, file, m)) (m.status === 'Killed' || m.status === 'Timeout' ? rowDetected : rowExplains).add(e);
    if (m.status === 'Killed') c.killed++;
    else if (m.status === 'Timeout') c.timeout++;
    else if (m.status === 'Ignored') c.static++;
    else if (m.status === 'CompileError' || m.status === 'RuntimeError') c.errors++;
    else if ((m.status === 'Survived' || m.status === 'NoCoverage') && isEquivalent(file, m)) c.equivalent++;
    else if (m.status === 'Survived' || m.status === 'NoCoverage') {
      c[m.status === 'Survived' ? 'survived' : 'noCoverage']++;
      survivors.push(`${mod.slug}: ${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '')} (${m.status})`);
    }
  }
  const detected = c.killed + c.timeout;
  const valid = detected + c.survived + c.noCoverage;
  const score = valid ? (100 * detected) / valid : NaN;
  const expected = SUITES.filter((s) => mod[s]).length;
  const ok = reports === expected && (valid === 0 || score >= THRESHOLD);
  if (!ok && (strict || reports > 0) && (!gate || gate.has(mod.slug))) failed = true;
  rows.push([
    mod.name,
    reports < expected ? `${reports}/${expected} reports` : 'ok',
    c.killed,
    c.timeout,
    c.survived,
    c.noCoverage,
    c.equivalent,
    c.static,
    c.errors,
    valid ? score.toFixed(1) : '—',
    ok ? 'pass' : reports ? 'FAIL' : 'not run',
  ]);
}

const head = ['module', 'reports', 'killed', 'timeout', 'survived', 'no cov.', 'equiv.', 'static, not run', 'compile err.', 'score %', `≥ ${THRESHOLD}%`];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (r) => r.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]))).join(' | ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
if (outOfScope) console.log(`\n${outOfScope} mutant(s) in the reports lie outside the current targets (a file moved, a range narrowed): not counted`);
if (survivors.length) {
  console.log(`\n${survivors.length} surviving mutant(s) neither killed nor listed in mutation/equivalent.md${showAll ? ':' : ' (--survivors lists them)'}`);
  if (showAll) for (const s of survivors) console.log(`  ${s}`);
}
// A row that now matches only detected mutants is no longer an equivalent: it is stale.
const staleRows = [...rowDetected].filter((e) => !rowExplains.has(e));
if (staleRows.length) {
  console.log(`\n${staleRows.length} row(s) of mutation/equivalent.md match only mutants a suite now detects (remove them):`);
  for (const e of staleRows) console.log(`  ${e.file}:${e.line}${e.column === null ? '' : `:${e.column}`} ${e.mutator} → ${JSON.stringify(e.replacement)}`);
}
process.exit(failed ? 1 : 0);
