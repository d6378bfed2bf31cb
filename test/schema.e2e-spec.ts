import { createTestApp, TestApp } from './helpers/test-app';

/** Fails when entities and migrations drift apart: after the real migrations, TypeORM must find nothing to change. */
describe('schema: migrations match entities', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('has no pending schema changes after running every migration', async () => {
    const sql = await t.db.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has no pending migrations', async () => {
    expect(await t.db.showMigrations()).toBe(false);
  });
});
