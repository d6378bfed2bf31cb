/**
 * Is a committed mutation report still about the code in the tree? Stryker's incremental file holds
 * the text of every mutated file and test file it ran with (mutation-testing-report-schema `source`);
 * a (module, suite) whose report is missing, or whose mutated files or specs now read differently,
 * needs a run. This needs no git history, so a fresh clone (CI) answers the same as a working copy.
 */
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { incrementalFile } = require('./modules');
const { fileOf } = require('./resolve');

const NO_REPORT = 'no report yet';

/** Why the run is needed (a sentence naming the first file that differs), or null when the report stands. */
function staleness(slug, suite, part, root) {
  const f = path.join(root, incrementalFile(slug, suite));
  if (!existsSync(f)) return NO_REPORT;
  const report = JSON.parse(readFileSync(f, 'utf8'));
  const read = (file) => readFileSync(path.join(root, file), 'utf8');
  for (const file of new Set(part.mutate.map(fileOf))) {
    const was = report.files?.[file]?.source;
    if (was === undefined) return `${file} is not in the report`;
    if (was !== read(file)) return `${file} changed since the report`;
  }
  for (const spec of part.specs) {
    const was = report.testFiles?.[spec]?.source;
    if (was === undefined) return `${spec} is not in the report`;
    if (was !== read(spec)) return `${spec} changed since the report`;
  }
  return null;
}

module.exports = { NO_REPORT, staleness };
