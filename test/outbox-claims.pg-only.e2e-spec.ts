import { DatabaseService } from '../src/database/database.service';
import { claimDue } from '../src/notifications/outbox-claims';
import type { User } from '../src/users/user.entity';
import { putOutboxRows } from './helpers/notifications';
import { blockedStatement, rawClient } from './helpers/pg-locks';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * Two dispatchers claiming at once on PostgreSQL: a row another claim holds (here a raw transaction
 * that has it locked, as a concurrent claim's UPDATE would) is skipped, not waited for and not taken
 * twice — FOR UPDATE SKIP LOCKED. (SQLite runs one write at a time, so it cannot show a claim that waits.)
 */
describe('outbox claims under a concurrent claim (PostgreSQL)', () => {
  let t: TestApp;
  let user: User;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-04-01T12:00:00Z' });
    user = await t.factories.user('recruiter');
  });
  afterAll(() => t.close());

  it('skips the rows another claim has locked and takes the rest at once; the skipped ones are claimable after', async () => {
    const now = t.clock.now();
    const ids = await putOutboxRows(t, user, now, [
      { label: 'held', nextAttemptAt: now - 3 * 60_000 },
      { label: 'free 1', nextAttemptAt: now - 2 * 60_000 },
      { label: 'free 2', nextAttemptAt: now - 60_000 },
    ]);
    const db = t.app.get(DatabaseService);
    const claim = (owner: string) => claimDue(db, { owner, now, leaseMs: 120_000, limit: 10, channels: ['email'] });
    const raw = await rawClient(t.db);
    let pending: Promise<{ id: string }[]> | undefined;
    try {
      await raw.query('BEGIN');
      await raw.query('SELECT id FROM notifications WHERE id = $1 FOR UPDATE', [ids.get('held')]);
      let settled = false;
      pending = claim('a#1').finally(() => {
        settled = true;
      });
      // nothing of the claim waits for the held row
      expect(await blockedStatement(raw, () => settled)).toBeNull();
      expect((await pending).map((r) => r.id)).toEqual([ids.get('free 1'), ids.get('free 2')]);
      await raw.query('COMMIT');
    } finally {
      await raw.query('ROLLBACK').catch(() => undefined);
      // a claim that did wait goes on once the lock is released: let it end before the app closes
      await pending?.catch(() => undefined);
      await raw.end();
    }
    expect((await claim('b#1')).map((r) => [r.id, r.leaseOwner])).toEqual([[ids.get('held'), 'b#1']]);
  });
});
