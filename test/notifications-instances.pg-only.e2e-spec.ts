import { DomainEvents } from '../src/common/domain-events';
import { HOUR_MS } from '../src/common/time';
import { dispatcher, emit, rows, withMail } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * Two Forewarn instances against the same PostgreSQL database dispatch the same outbox at the same
 * time: row claims (FOR UPDATE SKIP LOCKED + lease) give every notification to exactly one of them.
 * PostgreSQL only (this file is matched by the e2e-postgres project alone: *.pg-only.*).
 */
describe('notifications: two instances on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    a = await createTestApp({ now: '2026-03-01T12:00:00Z', override: withMail({ smtpUrl: smtp.url, batchSize: 20 }) });
    b = await createTestApp({ now: '2026-03-01T12:00:00Z', database: a.database, override: withMail({ smtpUrl: smtp.url, batchSize: 20 }) });
  });
  afterAll(async () => {
    await b.close({ keepDatabase: true });
    await a.close();
    await smtp.close();
  });

  it('sends each notification exactly once while both dispatch concurrently', async () => {
    const office = await a.factories.office();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push((await a.factories.user('recruiter', { officeId: office.id })).id);
    await a.factories.user('coordinator', { officeId: office.id });
    for (let k = 0; k < 4; k++) {
      const ap = await a.factories.appearance({ officeId: office.id, startsAt: a.clock.now() + (6 + k) * HOUR_MS, recruiterIds: ids });
      await emit(a, DomainEvents.AppearanceCreated, { appearance: ap, recruiterIds: ids });
    }
    const queued = await rows(a, {});
    expect(queued).toHaveLength(4 * 61);
    expect(dispatcher(a).instanceId).not.toBe(dispatcher(b).instanceId);

    const now = a.clock.now();
    const [ra, rb] = await Promise.all([dispatcher(a).dispatchDue(now), dispatcher(b).dispatchDue(now)]);
    expect(ra.sent + rb.sent).toBe(queued.length);
    expect(ra.sent).toBeGreaterThan(0);
    expect(rb.sent).toBeGreaterThan(0);
    const messageIds = smtp.messages.map((m) => m.messageId);
    expect(messageIds).toHaveLength(queued.length);
    expect(new Set(messageIds).size).toBe(queued.length);
    expect((await rows(a, {})).every((n) => n.status === 'sent' && n.attempts === 1)).toBe(true);
    const [again1, again2] = await Promise.all([dispatcher(a).dispatchDue(now), dispatcher(b).dispatchDue(now)]);
    expect(again1.claimed + again2.claimed).toBe(0);
  });
});
