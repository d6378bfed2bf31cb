/**
 * Three projects: pure unit specs beside the code, the e2e suite on SQLite, and the same e2e suite
 * on PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it). `npm test` runs all of them.
 */
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
const projects = [
  { ...base, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
  {
    ...base,
    displayName: 'e2e-sqlite',
    testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '\\.pg-only\\.'],
    setupFiles: ['<rootDir>/test/helpers/env-sqlite.ts'],
    globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    ...base,
    displayName: 'e2e-postgres',
    testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '\\.sqlite-only\\.'],
    setupFiles: ['<rootDir>/test/helpers/env-postgres.ts'],
    globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  });
}
module.exports = { projects, testTimeout: 60000 };
