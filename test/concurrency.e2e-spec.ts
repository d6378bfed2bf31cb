import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { Institution } from '../src/institutions/institution.entity';
import { ReceptionEntry } from '../src/reception/reception-entry.entity';
import { createTestApp, TestApp } from './helpers/test-app';

const SCORECARD = join(__dirname, 'fixtures', 'us-institutions.csv');

/**
 * Overlapping requests must not interfere: on SQLite the one connection is serialised
 * (database/sqlite-serialise.ts); on PostgreSQL transactions are really concurrent.
 */
describe('overlapping write transactions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  it('commits every one of many parallel creates, and a failing one in the middle rolls back only itself', async () => {
    const admin = await t.factories.user('admin');
    const body = (i: number) => ({ name: `Parallel College ${i}`, kind: 'college', city: 'Akron', state: 'OH', timeZone: 'America/New_York' });
    const results = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => t.http().post('/institutions').set(t.auth(admin)).send(body(i))),
      t.http().post('/institutions').set(t.auth(admin)).send(body(3)), // duplicate of one above: exactly one of the two loses
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(12);
    expect(statuses.filter((s) => s === 409)).toHaveLength(1);
    expect(await t.db.getRepository(Institution).count({ where: { city: 'Akron' } })).toBe(12);
    expect(await t.db.getRepository(AuditEntry).count({ where: { entityType: 'institution', action: 'create' } })).toBe(12);
  });

  it('keeps parallel reception entries and a concurrent CSV import apart (nothing lost, nothing joined to the import)', async () => {
    const coord = await t.factories.user('coordinator');
    const admin = await t.factories.user('admin');
    const inst = await t.factories.institution();
    const entry = (i: number) =>
      t
        .http()
        .post(`/institutions/${inst.id}/reception`)
        .set(t.auth(coord))
        .send({ kind: 'welcomed', effectiveAt: `2026-02-0${i + 1}T00:00:00Z` });
    // A dry-run import is rolled back: writes that overlap it must not be rolled back with it.
    const dryImport = t.http().post('/institutions/import?dryRun=true').set(t.auth(admin)).set('Content-Type', 'text/csv').send(readFileSync(SCORECARD));
    const results = await Promise.all([dryImport, entry(0), entry(1), entry(2), entry(3)]);
    expect(results.map((r) => r.status)).toEqual([200, 201, 201, 201, 201]);
    expect(results[0].body.committed).toBe(false);
    expect(await t.db.getRepository(ReceptionEntry).count({ where: { institutionId: inst.id } })).toBe(4);
  });
});
