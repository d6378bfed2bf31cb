import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainEvents } from '../src/common/domain-events';
import { HOUR_MS } from '../src/common/time';
import { runTs } from './helpers/child-process';
import { emit } from './helpers/notifications';
import { createTestApp, TestApp } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';
import { deliveries, register } from './helpers/webhooks';

jest.setTimeout(180_000);

/**
 * Webhooks through a crash: a separate Forewarn process delivers 150 events from a shared SQLite
 * file and is killed with SIGKILL in the middle of a batch; a restarted process, asked what is due
 * after the dead worker's lease (DISPATCH_LEASE_MS, 30 s) ran out, finishes. Counted by webhook-id
 * at a receiver that verifies every signature: none missing; a resend is only a delivery that was
 * in flight (at most WEBHOOK_CONCURRENCY), with the same webhook-id.
 */
describe('webhooks: a dispatcher killed mid-batch and restarted', () => {
  const CONCURRENCY = 4;
  let dir: string;
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forewarn-hooks-crash-'));
    receiver = await WebhookReceiver.start();
    t = await createTestApp({ now: Date.now(), sqlitePath: join(dir, 'shared.sqlite') });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing, and resends only what was in flight, with the same webhook-id', async () => {
    const admin = t.auth(await t.factories.user('admin'));
    const ep = await register(t, admin, receiver.url, ['appearance.created']);
    receiver.secrets = [ep.secret];
    const office = await t.factories.office();
    for (let i = 0; i < 150; i++) {
      const a = await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + 48 * HOUR_MS });
      await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [] });
    }
    const queued = await deliveries(t, ep.id);
    expect(queued).toHaveLength(150);
    const env = {
      SQLITE_PATH: join(dir, 'shared.sqlite'),
      SCHEDULER_ENABLED: 'false',
      WEBHOOK_BATCH_SIZE: '40',
      WEBHOOK_CONCURRENCY: String(CONCURRENCY),
      PUBLIC_URL: 'http://forewarn.test',
      LOG_LEVEL: 'error',
    };
    const spawnedAt = Date.now();
    const first = runTs('test/helpers/webhook-child.ts', { ...env, FW_DISPATCH_AT: String(t.clock.now()) });
    receiver.onDelivery(() => {
      if (receiver.received.length === 60) first.proc.kill('SIGKILL'); // in the middle of the second batch
    });
    const killed = await first.exited;
    const killedAt = t.clock.now() + (Date.now() - spawnedAt);
    expect(killed.signal).toBe('SIGKILL');
    const before = new Set(receiver.received.map((h) => h.id)).size;
    expect(before).toBeLessThan(150);
    expect((await deliveries(t, ep.id)).filter((d) => d.status === 'sending').length).toBeGreaterThan(0);

    const second = runTs('test/helpers/webhook-child.ts', { ...env, FW_DISPATCH_AT: String(killedAt + 31_000) });
    const done = await second.exited;
    expect({ code: done.code, err: second.stderr() }).toEqual({ code: 0, err: '' });

    expect(receiver.rejected).toBe(0);
    const ids = receiver.received.map((h) => h.id);
    const unique = new Set(ids);
    expect(queued.filter((d) => !unique.has(d.id))).toEqual([]); // none missing
    expect(unique.size).toBe(150);
    const resent = ids.length - unique.size;
    process.stdout.write(`webhook crash test (SQLite): killed after ${before} deliveries; ${resent} resent after the restart (at most ${CONCURRENCY} in flight)\n`);
    expect(resent).toBeLessThanOrEqual(CONCURRENCY);
    expect((await deliveries(t, ep.id)).filter((d) => d.status !== 'sent')).toEqual([]);
  });
});
