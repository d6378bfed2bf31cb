/**
 * The Jest config Stryker runs: one flat project (Stryker's per-test coverage wraps a single test
 * environment) holding only the specs of the suite picked by MUTATION_SUITE (see modules.js).
 * `e2e` adds the listed e2e specs on SQLite to the unit specs.
 */
const path = require('node:path');
const { specs } = require('./modules');

const root = path.resolve(__dirname, '..');
const suite = process.env.MUTATION_SUITE === 'e2e' ? 'e2e' : 'unit';
const files = suite === 'e2e' ? [...specs.unit, ...specs.e2e] : specs.unit;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = {
  rootDir: root,
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    '/node_modules/.+\\.m?js$': '<rootDir>/test/helpers/esm-transformer.js',
  },
  transformIgnorePatterns: ['/node_modules/typescript/', '/node_modules/\\.bin/'],
  testRegex: files.map((f) => `/${escape(f)}$`),
  setupFiles: suite === 'e2e' ? ['<rootDir>/test/helpers/env-sqlite.ts'] : [],
  testTimeout: 60000,
};
