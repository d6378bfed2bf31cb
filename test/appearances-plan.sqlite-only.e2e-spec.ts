import { buildListingSql, ListingFilter } from '../src/appearances/appearance-listing.sql';
import { createTestApp, TestApp } from './helpers/test-app';

/** The window listing must be served by indexes: EXPLAIN QUERY PLAN shows no full scan of appearances. */
describe('appearance listing query plans (SQLite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    // A little data and fresh statistics, so the planner decides as it would in production.
    const offices = [await t.factories.office(), await t.factories.office()];
    const institutions = [];
    for (let i = 0; i < 60; i++) institutions.push(await t.factories.institution());
    for (let i = 0; i < 120; i++) {
      const startsAt = Date.UTC(2026, 0, 1) + i * 43_200_000;
      await t.factories.appearance({ officeId: offices[i % 2].id, institutionId: institutions[i % 60].id, startsAt, endsAt: startsAt + 3_600_000 });
    }
    await t.db.query('ANALYZE');
  });
  afterAll(() => t.close());

  const window = { from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 1, 5), limit: 50, offset: 0 };
  const someId = '00000000-0000-4000-8000-000000000001';

  async function plan(sql: string, params: unknown[]): Promise<string[]> {
    const rows: { detail: string }[] = await t.db.query(`EXPLAIN QUERY PLAN ${sql}`, params);
    return rows.map((r) => r.detail);
  }

  it.each<[string, ListingFilter]>([
    ['window', window],
    ['window, descending', { ...window, order: 'desc' }],
    ['window + office', { ...window, officeId: someId }],
    ['window + institution', { ...window, institutionId: someId }],
    ['window + recruiter', { ...window, recruiterId: someId }],
    ['window + status + kind', { ...window, status: ['planned', 'confirmed'], kind: 'career_fair' }],
  ])('%s: uses an index for appearances (the page with its count, as GET /appearances runs it; page and count alone)', async (_name, filter) => {
    const s = buildListingSql(filter, 'sqlite');
    for (const [sql, params] of [
      [s.withCountSql, s.withCountParams],
      [s.sql, s.params],
      [s.countSql, s.countParams],
    ] as const) {
      const lines = await plan(sql, params as unknown[]);
      const joined = lines.join('\n');
      expect(joined).not.toMatch(/SCAN (a|appearances)\b(?! USING (COVERING )?INDEX)/);
      expect(joined).toMatch(/(SEARCH|SCAN) (a|appearances) USING (COVERING )?INDEX/);
      expect(joined).not.toMatch(/SCAN (i|institutions|r|ra|ar|appearance_recruiters|risk_assessments)\b(?! USING)/);
    }
  });
});
