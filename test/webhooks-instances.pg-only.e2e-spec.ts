import { DomainEvents } from '../src/common/domain-events';
import { HOUR_MS } from '../src/common/time';
import { emit } from './helpers/notifications';
import { createTestApp, TestApp } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';
import { hooks, register, withWebhooks } from './helpers/webhooks';

/** Two instances on one PostgreSQL database deliver the same webhook outbox at once: each event once per endpoint. */
describe('webhooks: two instances on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    a = await createTestApp({ now: Date.now(), override: withWebhooks({ batchSize: 15, concurrency: 4 }) });
    b = await createTestApp({ now: Date.now(), database: a.database, override: withWebhooks({ batchSize: 15, concurrency: 4 }) });
  });
  afterAll(async () => {
    await b.close({ keepDatabase: true });
    await a.close();
    await receiver.stop();
  });

  it('delivers each event exactly once per endpoint while both dispatch concurrently', async () => {
    const admin = a.auth(await a.factories.user('admin'));
    const endpoints = [];
    for (let i = 0; i < 3; i++) endpoints.push(await register(a, admin, `${receiver.url}?e=${i}`, ['appearance.created']));
    receiver.secrets = endpoints.map((e) => e.secret);
    const office = await a.factories.office();
    for (let i = 0; i < 40; i++) {
      const ap = await a.factories.appearance({ officeId: office.id, startsAt: a.clock.now() + 48 * HOUR_MS });
      await emit(a, DomainEvents.AppearanceCreated, { appearance: ap, recruiterIds: [] });
    }
    const now = a.clock.now();
    const [ra, rb] = await Promise.all([hooks(a).dispatchDue(now), hooks(b).dispatchDue(now)]);
    expect(ra.delivered + rb.delivered).toBe(120);
    expect(ra.delivered).toBeGreaterThan(0);
    expect(rb.delivered).toBeGreaterThan(0);
    expect(receiver.rejected).toBe(0);
    const counts = receiver.countsById();
    expect(counts.size).toBe(120);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // per endpoint: each appearance once
    for (let i = 0; i < 3; i++) {
      const mine = receiver.received.filter((h) => h.verifiedWith.includes(i)).map((h) => h.json.data.appearanceId);
      expect(new Set(mine).size).toBe(40);
      expect(mine).toHaveLength(40);
    }
    const [again1, again2] = await Promise.all([hooks(a).dispatchDue(now), hooks(b).dispatchDue(now)]);
    expect(again1.claimed + again2.claimed).toBe(0);
  });
});
