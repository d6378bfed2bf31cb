/**
 * The Jest config Stryker runs: one flat project (Stryker's per-test coverage wraps a single test
 * environment) holding only the specs of the module and suite being mutated (see modules.js).
 */
const path = require('node:path');
const { selected } = require('./modules');

const { suite, part } = selected();
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    '/node_modules/.+\\.m?js$': '<rootDir>/test/helpers/esm-transformer.js',
  },
  transformIgnorePatterns: ['/node_modules/typescript/', '/node_modules/\\.bin/'],
  testRegex: part.specs.map((f) => `/${escape(f)}$`),
  setupFiles: { unit: [], e2e: ['<rootDir>/test/helpers/env-sqlite.ts'], pg: ['<rootDir>/test/helpers/env-postgres.ts'] }[suite],
  // the PostgreSQL template database, made once before the tests copy it (as the e2e-postgres project does)
  ...(suite === 'pg' ? { globalSetup: '<rootDir>/test/helpers/global-setup.ts' } : {}),
  testTimeout: 60000,
};
