/**
 * The code mutation testing guards, by module: the ONE list the Stryker config, the score table and
 * CI read. Move a file → change its path here (and nowhere else).
 *
 * Two suites, because a mutant is only as cheap as the tests that cover it:
 * - `unit`: pure code, mutated against the unit specs (fast; static mutants — constants, regular
 *   expressions — are run too, against the specs related to their file);
 * - `e2e`: service code that only a real database and HTTP round trip exercise, mutated against the
 *   unit specs plus the e2e specs listed below (on SQLite). Each mutant there costs an app boot, so
 *   only the functions that carry the rule are listed (file:from-to, 1-based lines, inclusive).
 *
 * A line range is the function that holds the rule; keep it on the function when the file changes.
 */
const modules = [
  {
    name: 'signed links',
    unit: ['src/notifications/signed-link.ts', 'src/notifications/page-links.ts', 'src/auth/key-ring.ts'],
    e2e: ['src/notifications/notifications.service.ts:98-147', 'src/pages/page-link-minter.ts'],
  },
  {
    name: 'auth guards and office scoping',
    unit: ['src/reports/report-scope.ts'],
    e2e: ['src/auth/auth.guard.ts', 'src/appearances/appearances.service.ts:223-227', 'src/appearances/appearances.service.ts:239-269'],
  },
  {
    name: 'version checks',
    unit: ['src/institutions/expected-version.ts'],
    e2e: ['src/appearances/appearances.service.ts:229-237'],
  },
  {
    name: 'double-booking',
    unit: [],
    e2e: ['src/appearances/appearance-rules.ts', 'src/appearances/appearances.service.ts:141-147', 'src/appearances/appearances.service.ts:276-300'],
  },
  { name: 'privacy guard', unit: ['src/common/privacy/privacy-guard.ts', 'src/common/privacy/privacy-patterns.ts', 'src/common/privacy/person-names.ts'], e2e: [] },
  { name: 'CSV escaping', unit: ['src/common/csv-formula.ts', 'src/reports/csv.ts', 'src/imports/csv.ts'], e2e: [] },
  {
    name: 'import atomicity and retention',
    unit: ['src/imports/created-rows.ts'],
    e2e: ['src/imports/incident-import.service.ts:132-200', 'src/incidents/retention.service.ts:13-16'],
  },
  { name: 'risk model and levels', unit: ['src/risk/model.ts', 'src/risk/params.ts'], e2e: [] },
  {
    name: 'outbox keys and leases',
    unit: ['src/notifications/outbox-writer.ts:35-56'],
    e2e: ['src/notifications/outbox-writer.ts:72-101', 'src/notifications/notification-events.listener.ts', 'src/notifications/notification-dispatcher.service.ts:122-155'],
  },
  { name: 'trend verdict', unit: ['src/reports/trend-verdict.ts'], e2e: [] },
  { name: 'appearance times', unit: ['src/appearances/appearance-times.ts'], e2e: [] },
];

/** The specs each suite runs (perTest coverage then picks, per mutant, the tests that reach it). */
const specs = {
  unit: [
    'src/appearances/appearance-times.spec.ts',
    'src/auth/key-ring.spec.ts',
    'src/common/privacy/privacy-guard.spec.ts',
    'src/common/privacy/privacy-rates.spec.ts',
    'src/imports/created-rows.spec.ts',
    'src/imports/imports.spec.ts',
    'src/institutions/expected-version.spec.ts',
    'src/notifications/notifications.spec.ts',
    'src/notifications/signed-link.spec.ts',
    'src/reports/csv.spec.ts',
    'src/reports/report-scope.spec.ts',
    'src/reports/trend-verdict.spec.ts',
    'src/risk/model.spec.ts',
  ],
  e2e: [
    'test/appearances.e2e-spec.ts',
    'test/auth.e2e-spec.ts',
    'test/concurrency.e2e-spec.ts',
    'test/imports.e2e-spec.ts',
    'test/notifications.e2e-spec.ts',
    'test/notifications-lease.e2e-spec.ts',
    'test/office-boundaries.e2e-spec.ts',
    'test/pages.e2e-spec.ts',
    'test/retention.e2e-spec.ts',
  ],
};

/** Each module must reach this mutation score (killed + timed out, of the mutants that ran). */
const THRESHOLD = 80;

module.exports = { modules, specs, THRESHOLD };
