/**
 * The code mutation testing guards, by module: the ONE list the Stryker config, its Jest config, the
 * score table and CI read. Move a file → change its path here (and nowhere else).
 *
 * Each module has up to two suites, because a mutant is only as cheap as the tests that cover it:
 * - `unit`: pure code, mutated against the module's unit specs;
 * - `e2e`: service code only a real database and HTTP round trip exercise, mutated against the
 *   module's e2e specs on SQLite. Each mutant there costs an app boot, so only the functions that
 *   carry the rule are listed, by name (`file#Class.method` or `file#function`; mutation/resolve.js
 *   turns each into its current line range, and stops on a name that no longer exists).
 * - `pg`: code whose rule only PostgreSQL can break (a row lock, a claim with SKIP LOCKED, a versioned
 *   UPDATE's guard against a concurrent writer: SQLite's single writer makes them moot), mutated against
 *   specs run on PostgreSQL (TEST_DATABASE_URL, as the e2e-postgres project; without it the run is
 *   skipped and says so). Such code is often in the e2e suite's targets too: the score counts each
 *   mutant once, detected when either suite detects it (mutation/score.js).
 * Every (module, suite) is its own Stryker run with its own incremental file
 * (reports/mutation/<slug>.<suite>.json, committed), so a change re-tests only its module.
 */
const modules = [
  {
    slug: 'signed-links',
    name: 'signed links',
    unit: {
      mutate: ['src/notifications/signed-link.ts', 'src/notifications/page-links.ts', 'src/auth/key-ring.ts#KeyRing.load', 'src/auth/key-ring.ts#KeyRing.fromFile', 'src/auth/key-ring.ts#checked'],
      specs: ['src/notifications/signed-link.spec.ts', 'src/auth/key-ring.spec.ts'],
    },
    e2e: {
      mutate: ['src/notifications/notifications.service.ts#NotificationsService.acknowledge', 'src/pages/page-link-minter.ts'],
      specs: ['test/notifications.e2e-spec.ts', 'test/pages.e2e-spec.ts'],
    },
  },
  {
    slug: 'auth-office',
    name: 'auth guards and office scoping',
    unit: { mutate: ['src/reports/report-scope.ts#resolveScope'], specs: ['src/reports/report-scope.spec.ts'] },
    e2e: {
      mutate: [
        'src/auth/auth.guard.ts',
        'src/appearances/appearances.service.ts#AppearancesService.assertCanEdit',
        'src/appearances/appearances.service.ts#AppearancesService.resolveOffice',
        'src/appearances/appearances.service.ts#AppearancesService.assertAssignable',
      ],
      specs: ['test/office-boundaries.e2e-spec.ts', 'test/auth.e2e-spec.ts', 'test/access-rules.e2e-spec.ts'],
    },
  },
  {
    slug: 'versions',
    name: 'version checks',
    unit: { mutate: ['src/common/expected-version.ts'], specs: ['src/common/expected-version.spec.ts'] },
    e2e: {
      mutate: ['src/appearances/appearances.service.ts#AppearancesService.assertVersion', 'src/appearances/appearances.service.ts#AppearancesService.writeVersioned'],
      specs: ['test/appearances.e2e-spec.ts'],
    },
    // the UPDATE's `AND version = :read`: only a concurrent writer on PostgreSQL gets past the read's check
    pg: { mutate: ['src/appearances/appearances.service.ts#AppearancesService.writeVersioned'], specs: ['test/versioned-update.pg-only.e2e-spec.ts'] },
  },
  {
    slug: 'double-booking',
    name: 'double-booking',
    // the planning rules are pure: mutated against their unit spec (the e2e spec never reached them)
    unit: { mutate: ['src/appearances/appearance-rules.ts'], specs: ['src/appearances/appearance-rules.spec.ts'] },
    e2e: {
      mutate: ['src/appearances/appearances.service.ts#AppearancesService.update', 'src/appearances/appearances.service.ts#AppearancesService.assertNoClash'],
      specs: ['test/appearances.e2e-spec.ts', 'test/appearance-edits.e2e-spec.ts'],
    },
    // the recruiters' row lock (SELECT ... FOR UPDATE) that keeps two concurrent bookings apart
    pg: { mutate: ['src/appearances/appearances.service.ts#AppearancesService.assertNoClash'], specs: ['test/double-booking.pg-only.e2e-spec.ts'] },
  },
  {
    slug: 'privacy',
    name: 'privacy guard',
    unit: {
      mutate: ['src/common/privacy/privacy-guard.ts', 'src/common/privacy/privacy-patterns.ts', 'src/common/privacy/person-names.ts'],
      // Not privacy-rates.spec: it is one test over ~10,000 texts held to bounded error rates, so every
      // mutant would re-run the whole table (the first run's estimate: 2 h 18 min), and a bound on a
      // rate lets a change that breaks a few cases pass anyway. Survivors answer to the per-case tables.
      specs: ['src/common/privacy/privacy-guard.spec.ts', 'src/common/privacy/person-names.spec.ts'],
    },
  },
  {
    slug: 'csv',
    name: 'CSV escaping',
    unit: { mutate: ['src/common/csv-formula.ts', 'src/reports/csv.ts', 'src/common/csv.ts'], specs: ['src/common/csv.spec.ts', 'src/reports/csv.spec.ts', 'src/imports/imports.spec.ts'] },
  },
  {
    slug: 'imports',
    name: 'import atomicity and retention',
    unit: { mutate: ['src/imports/created-rows.ts'], specs: ['src/imports/created-rows.spec.ts'] },
    e2e: {
      mutate: ['src/incidents/incident-import.service.ts#IncidentImportService.chunk', 'src/incidents/retention.service.ts#retentionCutoff'],
      specs: ['test/imports.e2e-spec.ts', 'test/incident-import-rules.e2e-spec.ts'],
    },
  },
  {
    slug: 'risk',
    name: 'risk model and levels',
    unit: { mutate: ['src/risk/model.ts', 'src/risk/params.ts'], specs: ['src/risk/model.spec.ts'] },
  },
  {
    slug: 'outbox',
    name: 'outbox keys and leases',
    unit: {
      mutate: ['src/notifications/outbox-writer.ts#briefingDueAt', 'src/notifications/outbox-writer.ts#briefingPlan', 'src/notifications/outbox-writer.ts#briefingKey'],
      specs: ['src/notifications/notifications.spec.ts'],
    },
    e2e: {
      mutate: [
        'src/notifications/outbox-writer.ts#OutboxWriter.enqueue',
        'src/notifications/notification-events.listener.ts',
        'src/notifications/outbox-claims.ts#claimDue',
        'src/notifications/outbox-claims.ts#renewLeases',
      ],
      specs: ['test/notifications.e2e-spec.ts', 'test/notifications-lease.e2e-spec.ts', 'test/outbox-events.e2e-spec.ts', 'test/outbox-claims.e2e-spec.ts'],
    },
    // the claim's PostgreSQL statement (UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING id),
    // lease renewal with no owners (an empty IN list is an error there), and the writer's chunks (one
    // INSERT of thousands of rows passes PostgreSQL's 65,535 bound values)
    pg: {
      mutate: ['src/notifications/outbox-claims.ts#claimDue', 'src/notifications/outbox-claims.ts#renewLeases', 'src/notifications/outbox-writer.ts#OutboxWriter.enqueue'],
      specs: ['test/outbox-claims.e2e-spec.ts', 'test/outbox-claims.pg-only.e2e-spec.ts', 'test/outbox-events.e2e-spec.ts'],
    },
  },
  { slug: 'trend', name: 'trend verdict', unit: { mutate: ['src/reports/trend-verdict.ts'], specs: ['src/reports/trend-verdict.spec.ts'] } },
  { slug: 'times', name: 'appearance times', unit: { mutate: ['src/appearances/appearance-times.ts'], specs: ['src/appearances/appearance-times.spec.ts'] } },
];

const SUITES = ['unit', 'e2e', 'pg'];

/** Each module must reach this mutation score (killed + timed out, of the mutants that ran). */
const THRESHOLD = 80;

/** The run a Stryker process was started for (mutation/run.js sets both variables). */
function selected(env = process.env) {
  const suite = env.MUTATION_SUITE;
  const mod = modules.find((m) => m.slug === env.MUTATION_MODULE);
  if (!mod || !SUITES.includes(suite) || !mod[suite])
    throw new Error(`Set MUTATION_MODULE (one of ${modules.map((m) => m.slug).join(', ')}) and MUTATION_SUITE (unit, e2e or pg); npm run mutate does`);
  return { mod, suite, part: mod[suite] };
}

const incrementalFile = (slug, suite) => `reports/mutation/${slug}.${suite}.json`;

module.exports = { modules, SUITES, THRESHOLD, selected, incrementalFile };
