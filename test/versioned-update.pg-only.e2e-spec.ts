import { blockedStatement, rawClient } from './helpers/pg-locks';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * The versioned UPDATE's own guard (`WHERE id = … AND version = …`), where only it can hold: on
 * PostgreSQL two transactions really overlap, so a writer can read version 1 after another has
 * written version 2 but before it committed. SQLite runs one write transaction at a time, so there
 * the version check on the row read already refuses the second writer and hides a missing guard.
 * The other writer here is a raw transaction holding the row; the request is released only once
 * PostgreSQL shows it waiting for that row lock, so the interleaving is the same on every run. The
 * raw transaction has its own connection (not one of the app's pool, which the request needs).
 */
describe('versioned UPDATE guard (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
  });
  afterAll(() => t.close());

  it('a writer that read version 1 while another was writing version 2 gets 409, and the other write stands', async () => {
    const office = await t.factories.office();
    const coord = await t.factories.user('coordinator', { officeId: office.id });
    const inst = await t.factories.institution();
    const a = await t.factories.appearance({ officeId: office.id, institutionId: inst.id, venue: 'Hall A', version: 1 });

    const other = await rawClient(t.db);
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE appearances SET venue = 'Hall B', version = version + 1 WHERE id = $1`, [a.id]);
      // Reads the committed row (version 1), passes the version check, then waits at its UPDATE.
      let settled = false;
      const pending = t
        .http()
        .patch(`/appearances/${a.id}`)
        .set(t.auth(coord))
        .set('If-Match', '"1"')
        .send({ venue: 'Hall C' })
        .then((r) => {
          settled = true;
          return r;
        });
      // the request has read version 1 and now waits for the row the raw transaction holds
      expect(await blockedStatement(other, () => settled)).not.toBeNull();
      await other.query('COMMIT');
      const res = await pending;
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('STALE_VERSION');
      // it names the appearance and the version it read; the current one is past it
      expect(res.body.message).toBe(`Appearance ${a.id} was changed by someone else (you sent version 1, current is 2); reload and retry`);
      expect(res.body.details).toMatchObject({ entity: 'Appearance', id: a.id, expected: 1, actual: 2 });
    } finally {
      await other.end();
    }
    const now = await t.http().get(`/appearances/${a.id}`).set(t.auth(coord)).expect(200);
    expect(now.body).toMatchObject({ venue: 'Hall B', version: 2 });
  });
});
