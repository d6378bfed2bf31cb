import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainEvents } from '../src/common/domain-events';
import { HOUR_MS } from '../src/common/time';
import { runTs } from './helpers/child-process';
import { emit, rows } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

jest.setTimeout(180_000);

/**
 * Exactly-once per recipient through a crash: a separate Forewarn process dispatches 201 briefings
 * from a shared SQLite file and is killed with SIGKILL in the middle of a batch; a restarted process,
 * asked what is due half a minute after the kill (the dead worker's leases are no longer renewed and
 * last DISPATCH_LEASE_MS, 30 s), finishes the job. Counted by Message-ID at a real SMTP server: none
 * missing. Delivery is at-least-once: each send is recorded as soon as the relay accepts it, so only
 * the messages in flight when the process died are sent again — with the SAME Message-ID, so they are
 * recognisable — at most one per SMTP connection (SMTP_MAX_CONNECTIONS, 5).
 */
describe('notifications: a dispatcher killed mid-batch and restarted', () => {
  const BATCH = 50;
  const CONNECTIONS = 5; // SMTP_MAX_CONNECTIONS default
  let dir: string;
  let t: TestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forewarn-crash-'));
    smtp = await TestSmtpServer.start();
    t = await createTestApp({ now: Date.now(), sqlitePath: join(dir, 'shared.sqlite') });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing and resends at most one message per connection, recognisably, half a minute after the kill', async () => {
    const office = await t.factories.office();
    const recruiters = [];
    for (let i = 0; i < 200; i++) recruiters.push(await t.factories.user('recruiter', { officeId: office.id }));
    await t.factories.user('coordinator', { officeId: office.id });
    const a = await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + 6 * HOUR_MS, recruiterIds: recruiters.map((r) => r.id) });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: recruiters.map((r) => r.id) });
    const queued = await rows(t, { appearanceId: a.id });
    expect(queued).toHaveLength(201); // catch-up briefing due now, one per recipient

    const env = {
      SQLITE_PATH: join(dir, 'shared.sqlite'),
      SMTP_URL: smtp.url,
      SCHEDULER_ENABLED: 'false',
      DISPATCH_BATCH_SIZE: String(BATCH),
      PUBLIC_URL: 'http://forewarn.test',
      LOG_LEVEL: 'error',
    };
    const spawnedAt = Date.now();
    const first = runTs('test/helpers/outbox-child.ts', { ...env, FW_DISPATCH_AT: String(t.clock.now()) });
    smtp.onMessage(() => {
      if (smtp.messages.length === 70) first.proc.kill('SIGKILL'); // in the middle of the second batch
    });
    const killed = await first.exited;
    const killedAt = t.clock.now() + (Date.now() - spawnedAt); // on the dead process's clock
    expect(killed.signal).toBe('SIGKILL');
    const beforeRestart = new Set(smtp.messages.map((m) => m.messageId)).size;
    expect(beforeRestart).toBeLessThan(201);
    const stuck = (await rows(t, { appearanceId: a.id })).filter((n) => n.status === 'sending');
    expect(stuck.length).toBeGreaterThan(0); // claimed by the dead process, lease still running

    // Restarted: what is due 31 s after the kill (the dead worker's last lease, 30 s, has run out).
    const second = runTs('test/helpers/outbox-child.ts', { ...env, FW_DISPATCH_AT: String(killedAt + 31_000) });
    const done = await second.exited;
    expect({ code: done.code, err: second.stderr() }).toEqual({ code: 0, err: '' });

    const ids = smtp.messages.map((m) => m.messageId);
    const unique = new Set(ids);
    const expected = new Set(queued.map((n) => `<${n.id}@forewarn>`));
    expect([...expected].filter((id) => !unique.has(id))).toEqual([]); // none missing
    expect([...unique].filter((id) => !expected.has(id))).toEqual([]); // nothing foreign
    const duplicates = ids.length - unique.size;
    process.stdout.write(`crash test (SQLite): killed after ${beforeRestart} accepted messages; ${duplicates} duplicate(s) after the restart (at most ${CONNECTIONS}, one per connection)\n`);
    expect(duplicates).toBeLessThanOrEqual(CONNECTIONS); // at most the message in flight on each connection
    const final = await rows(t, { appearanceId: a.id });
    expect(final.filter((n) => n.status !== 'sent')).toEqual([]);
    // Every recipient got their briefing; a duplicate is the same message (same Message-ID) again.
    expect(new Set(smtp.messages.flatMap((m) => m.rcptTo)).size).toBe(201);
  });
});
