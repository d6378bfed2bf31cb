import { createTestApp, TestApp } from './helpers/test-app';

/** Concurrent corrections: on PostgreSQL real concurrent transactions, on SQLite serialised ones (database/sqlite-serialise.ts). */
describe('reception ledger under concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  it('lets only one of three concurrent corrections of the same entry through', async () => {
    const u = await t.factories.user('coordinator');
    const inst = await t.factories.institution();
    const e = await t.factories.reception({ institutionId: inst.id, kind: 'access_restricted', stance: 'restricted' });
    const fix = () => t.http().post(`/institutions/${inst.id}/reception`).set(t.auth(u)).send({ kind: 'welcomed', effectiveAt: '2026-02-01T00:00:00Z', supersedesId: e.id });
    const results = await Promise.all([fix(), fix(), fix()]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'ALREADY_SUPERSEDED')).toBe(true);
  });
});
