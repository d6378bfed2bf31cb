/**
 * Three projects: pure unit specs beside the code, the e2e suite on SQLite, and the same e2e suite
 * on PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it). `npm test` runs all of them in two
 * parts: FW_TEST_PART=parallel, everything but the crash specs, in two workers; then
 * FW_TEST_PART=serial, the crash specs alone, one at a time. Those SIGKILL app processes mid-batch
 * and count what is sent twice; with another spec beside them on two cores they ran past their
 * three-minute timeout. Without FW_TEST_PART (plain `npx jest`) every spec is selected.
 */
const SERIAL = '-crash\\.[a-z-]+\\.e2e-spec\\.ts$';
const part = process.env.FW_TEST_PART;
const base = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // ESM-only packages (NestJS 12 ...) become CommonJS for Jest; see test/helpers/esm-transformer.js.
    '/node_modules/.+\\.m?js$': '<rootDir>/test/helpers/esm-transformer.js',
  },
  transformIgnorePatterns: ['/node_modules/typescript/', '/node_modules/\\.bin/'],
};
const e2eIgnore = (only) => ['/node_modules/', `\\.${only}-only\\.`, ...(part === 'parallel' ? [SERIAL] : [])];
const e2eMatch = part === 'serial' ? { testRegex: [`/test/[^/]*${SERIAL}`] } : { testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] };
const projects = [
  ...(part === 'serial' ? [] : [{ ...base, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] }]),
  {
    ...base,
    displayName: 'e2e-sqlite',
    ...e2eMatch,
    testPathIgnorePatterns: e2eIgnore('pg'),
    setupFiles: ['<rootDir>/test/helpers/env-sqlite.ts'],
    globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    ...base,
    displayName: 'e2e-postgres',
    ...e2eMatch,
    testPathIgnorePatterns: e2eIgnore('sqlite'),
    setupFiles: ['<rootDir>/test/helpers/env-postgres.ts'],
    globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  });
}
// Each test file runs in a worker that is replaced once it holds more than workerIdleMemoryLimit
// after a file: a single long-lived process (--runInBand) grew past Node's 4 GB heap over the
// 147 test files of the three projects and was killed (heap out of memory) in CI.
module.exports = { projects, testTimeout: 60000, workerIdleMemoryLimit: '1GB' };
