import { createTestDatabase, TestDatabase } from './helpers/databases';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * Two instances started at the same moment on an empty PostgreSQL database: both run the migrations
 * and the first-admin set-up at once. The migrations take an advisory lock, so one instance applies
 * them while the other waits and then finds nothing to do; both start, with one admin.
 */
describe('migrations: two instances starting together on an empty PostgreSQL database', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    for (const t of apps) await t.close({ keepDatabase: true });
    await database.drop();
  });

  it('both start, the schema is applied once and there is one first admin', async () => {
    const started = await Promise.allSettled([createTestApp({ database }), createTestApp({ database })]);
    for (const s of started) if (s.status === 'fulfilled') apps.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String((s.reason as Error)?.message ?? s.reason) : 'started'))).toEqual(['started', 'started']);
    const [a, b] = apps;
    expect(await a.db.showMigrations()).toBe(false);
    const applied: { n: string }[] = await a.db.query(`SELECT COUNT(*) AS n FROM migrations`);
    expect(Number(applied[0].n)).toBe(a.db.migrations.length);
    const admins: { n: string }[] = await b.db.query(`SELECT COUNT(*) AS n FROM users WHERE role = 'admin'`);
    expect(Number(admins[0].n)).toBe(1);
    expect((await a.http().get('/health')).status).toBe(200);
    expect((await b.http().get('/health')).status).toBe(200);
  });
});
