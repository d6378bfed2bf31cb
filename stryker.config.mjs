// Mutation testing of the critical core (README "Mutation testing"). The files are listed once, in
// mutation/modules.js; MUTATION_SUITE=unit|e2e picks the suite (npm run mutate runs both).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { modules } = require('./mutation/modules.js');
const suite = process.env.MUTATION_SUITE === 'e2e' ? 'e2e' : 'unit';
// MUTATION_FILES (comma-separated, set by mutation/run.js --since) narrows the run to changed files.
const only = process.env.MUTATION_FILES ? new Set(process.env.MUTATION_FILES.split(',')) : null;
const mutate = modules.flatMap((m) => m[suite]).filter((f) => !only || only.has(f.replace(/:.*$/, '')));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'mutation/jest.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'mutation/tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate,
  // Static mutants (module-level constants: the privacy guard's regular expressions, the parameter
  // tables) need every related spec re-run per mutant: ~90% of the run's time for ~35% of its mutants.
  // They run only with MUTATION_STATIC=1 (npm run mutate -- --static); otherwise Stryker reports them
  // as ignored and the hand-made probes in mutation/README.md stand for them.
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${suite}.json`,
  // The incremental file is the full report (mutation-testing-report-schema): mutation/score.js reads it.
  reporters: ['progress', 'clear-text'],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 3),
  timeoutMS: 60000,
  timeoutFactor: 2,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['/data', '/dist', '/coverage', '/test-artifacts', '/reports', '/docs', '/bench'],
  cleanTempDir: 'always',
};
