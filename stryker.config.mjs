// Mutation testing of the critical core (README "Mutation testing"). The files are listed once, in
// mutation/modules.js; MUTATION_MODULE and MUTATION_SUITE pick one run (npm run mutate runs them all).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { selected, incrementalFile } = require('./mutation/modules.js');
const { resolveAll } = require('./mutation/resolve.js');
const { mod, suite, part } = selected();

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'mutation/jest.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'mutation/tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // `file#Class.method` entries become the function's current line range (mutation/resolve.js)
  mutate: resolveAll(part.mutate),
  // Static mutants (module-level constants: the privacy guard's regular expressions, the parameter
  // tables) need every related spec re-run per mutant: ~90% of the run's time for ~35% of its mutants.
  // They run only with MUTATION_STATIC=1 (npm run mutate -- --static); otherwise Stryker reports them
  // as ignored and the hand-made probes in mutation/README.md stand for them.
  ignoreStatic: suite !== 'unit' || process.env.MUTATION_STATIC !== '1',
  incremental: true,
  incrementalFile: incrementalFile(mod.slug, suite),
  // The incremental file is the full report (mutation-testing-report-schema): mutation/score.js reads it.
  reporters: ['progress', 'clear-text'],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 3),
  // extra time over twice the dry run's: a unit spec runs in seconds, so 15 s over it only ends a mutant
  // that loops for ever (at 60 s each, the created-rows table's looping mutants took half of its run);
  // an e2e spec boots an app and may wait on a real SMTP server, so it keeps a minute
  timeoutMS: suite === 'unit' ? 15000 : 60000,
  timeoutFactor: 2,
  tempDirName: `.stryker-tmp/${mod.slug}-${suite}`,
  // .stryker-tmp: the sandboxes of other runs going on at the same time (each run has its own folder there)
  ignorePatterns: ['/data', '/dist', '/coverage', '/test-artifacts', '/reports', '/docs', '/bench', '/.stryker-tmp'],
  cleanTempDir: 'always',
};
