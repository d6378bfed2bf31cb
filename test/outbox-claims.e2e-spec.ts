import type { OutboxChannel } from '../src/common/enums';
import { DatabaseService } from '../src/database/database.service';
import { claimDue, renewLeases } from '../src/notifications/outbox-claims';
import { Notification } from '../src/notifications/notification.entity';
import type { User } from '../src/users/user.entity';
import { putOutboxRows } from './helpers/notifications';
import { createTestApp, TestApp } from './helpers/test-app';

const MIN = 60_000;

/**
 * The outbox's claims, on each database: which rows a dispatcher may take (due, of its channels, or
 * whose lease ran out), how many, in which order, what a claim writes, and lease renewal. Both
 * dispatchers (mail; webhooks and chat) claim through these two functions.
 */
describe('outbox claims and leases', () => {
  let t: TestApp;
  let db: DatabaseService;
  let user: User;
  let now: number;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-04-01T12:00:00Z' });
    db = t.app.get(DatabaseService);
    user = await t.factories.user('recruiter');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.db.query('DELETE FROM notifications');
    now = t.clock.now();
  });

  const put = (list: Array<Partial<Notification> & { label: string }>) => putOutboxRows(t, user, now, list);
  const claim = (owner: string, limit = 10, channels: OutboxChannel[] = ['email']) => claimDue(db, { owner, now, leaseMs: 2 * MIN, limit, channels });
  const labelsOf = (ids: Map<string, string>, got: { id: string }[]) => got.map((r) => [...ids].find(([, id]) => id === r.id)![0]);
  const row = (id: string) => t.db.getRepository(Notification).findOneByOrFail({ id });

  it('takes due pending and retrying rows and expired leases of its channels, and nothing else', async () => {
    const ids = await put([
      { label: 'pending due', nextAttemptAt: now - 3 * MIN },
      { label: 'pending due now', nextAttemptAt: now },
      { label: 'retrying due', status: 'retrying', nextAttemptAt: now - 2 * MIN },
      { label: 'lease ran out', status: 'sending', leaseOwner: 'crashed#1', leaseUntil: now - 1, nextAttemptAt: now - 4 * MIN },
      { label: 'pending later', nextAttemptAt: now + 1 },
      { label: 'retrying later', status: 'retrying', nextAttemptAt: now + MIN },
      { label: 'lease still held', status: 'sending', leaseOwner: 'busy#1', leaseUntil: now + MIN, nextAttemptAt: now - 5 * MIN },
      { label: 'lease ends now', status: 'sending', leaseOwner: 'busy#2', leaseUntil: now, nextAttemptAt: now - 5 * MIN },
      { label: 'sent', status: 'sent', nextAttemptAt: now - 5 * MIN },
      { label: 'dead', status: 'dead', nextAttemptAt: now - 5 * MIN },
      { label: 'withdrawn', status: 'withdrawn', nextAttemptAt: now - 5 * MIN },
      { label: 'webhook due', channel: 'webhook', nextAttemptAt: now - 5 * MIN },
    ]);
    const got = await claim('me#1');
    // earliest attempt first
    expect(labelsOf(ids, got)).toEqual(['lease ran out', 'pending due', 'retrying due', 'pending due now']);
    for (const r of got)
      expect({ status: r.status, leaseOwner: r.leaseOwner, leaseUntil: Number(r.leaseUntil), updatedAt: Number(r.updatedAt) }).toEqual({
        status: 'sending',
        leaseOwner: 'me#1',
        leaseUntil: now + 2 * MIN,
        updatedAt: now,
      });
    expect(got.map((r) => r.attempts)).toEqual([1, 1, 1, 1]);
    // what it did not take is as it was
    const held = await row(ids.get('lease still held')!);
    expect({ owner: held.leaseOwner, attempts: held.attempts }).toEqual({ owner: 'busy#1', attempts: 0 });
    expect((await row(ids.get('pending later')!)).status).toBe('pending');
    // the webhook dispatcher takes its own
    expect(labelsOf(ids, await claim('hooks#1', 10, ['webhook', 'slack', 'teams']))).toEqual(['webhook due']);
  });

  it('takes at most `limit` rows, the earliest due first, and a second claim takes the next ones', async () => {
    // inserted latest first, so neither insertion order nor id order is the due order
    const ids = await put([5, 4, 3, 2, 1].map((k) => ({ label: `due ${k}`, nextAttemptAt: now - (10 - k) * MIN })));
    expect(labelsOf(ids, await claim('a#1', 2))).toEqual(['due 1', 'due 2']);
    expect(labelsOf(ids, await claim('b#1', 2))).toEqual(['due 3', 'due 4']);
    expect(labelsOf(ids, await claim('c#1', 2))).toEqual(['due 5']);
    expect(await claim('d#1', 2)).toEqual([]);
  });

  it('counts an attempt for each claim, a reclaimed row included', async () => {
    const ids = await put([{ label: 'x', attempts: 2, status: 'retrying' }]);
    expect((await claim('a#1'))[0].attempts).toBe(3);
    now += 3 * MIN; // a#1 crashed: its lease runs out
    const again = await claim('b#1');
    expect(again.map((r) => [r.id, r.attempts, r.leaseOwner])).toEqual([[ids.get('x'), 4, 'b#1']]);
  });

  it("renews only the given owners' rows that are still being sent", async () => {
    const ids = await put([
      { label: 'mine', status: 'sending', leaseOwner: 'me#1', leaseUntil: now + MIN },
      { label: 'mine too', status: 'sending', leaseOwner: 'me#2', leaseUntil: now + MIN },
      { label: 'mine, already sent', status: 'sent', leaseOwner: 'me#1', leaseUntil: now + MIN },
      { label: 'theirs', status: 'sending', leaseOwner: 'other#1', leaseUntil: now + MIN },
    ]);
    await renewLeases(db, ['me#1', 'me#2'], now + 5 * MIN);
    const until = async (label: string) => Number((await row(ids.get(label)!)).leaseUntil);
    expect([await until('mine'), await until('mine too'), await until('mine, already sent'), await until('theirs')]).toEqual([now + 5 * MIN, now + 5 * MIN, now + MIN, now + MIN]);
    await renewLeases(db, [], now + 9 * MIN); // nothing held: nothing to do
    expect(await until('theirs')).toBe(now + MIN);
    await renewLeases(db, ['other#1'], now + 7 * MIN);
    expect([await until('mine'), await until('theirs')]).toEqual([now + 5 * MIN, now + 7 * MIN]);
  });
});
