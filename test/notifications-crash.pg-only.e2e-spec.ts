import { DomainEvents } from '../src/common/domain-events';
import { HOUR_MS } from '../src/common/time';
import { runTs } from './helpers/child-process';
import { emit, rows } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

jest.setTimeout(180_000);

/**
 * Two Forewarn processes dispatch the same PostgreSQL outbox; one is killed with SIGKILL in the middle
 * of its batch. The survivor sends its own claims; the dead one's claims, no longer renewed, are taken
 * over half a minute after the kill (DISPATCH_LEASE_MS, 30 s) by the next dispatch. Nothing is lost,
 * and only what was in flight on the dead process's connections is sent twice (same Message-ID): at
 * most one per SMTP connection (SMTP_MAX_CONNECTIONS, 5).
 */
describe('notifications: one of two instances killed mid-batch on PostgreSQL', () => {
  const BATCH = 50;
  const CONNECTIONS = 5;
  let t: TestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createTestApp({ now: Date.now() });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('loses nothing and resends at most one message per connection of the killed instance', async () => {
    const office = await t.factories.office();
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) ids.push((await t.factories.user('recruiter', { officeId: office.id })).id);
    await t.factories.user('coordinator', { officeId: office.id });
    const a = await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + 6 * HOUR_MS, recruiterIds: ids });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: ids });
    const queued = await rows(t, { appearanceId: a.id });
    expect(queued).toHaveLength(201);

    const env = {
      DATABASE_URL: t.database.config.url!,
      SMTP_URL: smtp.url,
      SCHEDULER_ENABLED: 'false',
      DISPATCH_BATCH_SIZE: String(BATCH),
      PUBLIC_URL: 'http://forewarn.test',
      LOG_LEVEL: 'error',
    };
    const spawnedAt = Date.now();
    const at = String(t.clock.now());
    const victim = runTs('test/helpers/outbox-child.ts', { ...env, FW_DISPATCH_AT: at });
    const survivor = runTs('test/helpers/outbox-child.ts', { ...env, FW_DISPATCH_AT: at });
    smtp.onMessage(() => {
      if (smtp.messages.length === 100) victim.proc.kill('SIGKILL'); // both instances are mid-batch
    });
    const [killed, survived] = await Promise.all([victim.exited, survivor.exited]);
    const killedAt = t.clock.now() + (Date.now() - spawnedAt);
    expect(killed.signal).toBe('SIGKILL');
    expect({ code: survived.code, err: survivor.stderr() }).toEqual({ code: 0, err: '' });
    const stuck = (await rows(t, { appearanceId: a.id })).filter((n) => n.status === 'sending');
    expect(stuck.length).toBeGreaterThan(0); // the dead instance's claims, lease still running

    const next = runTs('test/helpers/outbox-child.ts', { ...env, FW_DISPATCH_AT: String(killedAt + 31_000) });
    const done = await next.exited;
    expect({ code: done.code, err: next.stderr() }).toEqual({ code: 0, err: '' });

    const sent = smtp.messages.map((m) => m.messageId);
    const unique = new Set(sent);
    const expected = new Set(queued.map((n) => `<${n.id}@forewarn>`));
    expect([...expected].filter((id) => !unique.has(id))).toEqual([]);
    expect([...unique].filter((id) => !expected.has(id))).toEqual([]);
    const duplicates = sent.length - unique.size;
    process.stdout.write(`crash test (PostgreSQL, 2 instances): ${stuck.length} claim(s) of the killed instance taken over; ${duplicates} duplicate(s) (at most ${CONNECTIONS}, one per connection)\n`);
    expect(duplicates).toBeLessThanOrEqual(CONNECTIONS);
    expect((await rows(t, { appearanceId: a.id })).filter((n) => n.status !== 'sent')).toEqual([]);
  });
});
