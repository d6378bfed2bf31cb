import { createTestDatabase } from './helpers/databases';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * Every migration from an empty database, as an app starts on a new install (the other specs start
 * from a copy of a migrated template); then fails when entities and migrations drift apart: TypeORM
 * must find nothing to change.
 */
describe('schema: migrations match entities', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ database: await createTestDatabase({ empty: true }) });
  });
  afterAll(() => t.close());

  it('has no pending schema changes after running every migration', async () => {
    const sql = await t.db.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has no pending migrations, and applied every one of them itself', async () => {
    expect(await t.db.showMigrations()).toBe(false);
    const applied: { n: string | number }[] = await t.db.query('SELECT COUNT(*) AS n FROM migrations');
    expect(Number(applied[0].n)).toBe(t.db.migrations.length);
  });
});
