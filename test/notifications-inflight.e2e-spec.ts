import { DomainEvents } from '../src/common/domain-events';
import { dispatcher, emit, rows, withMail } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

const HOUR = 3_600_000;
const CONNECTIONS = 2;

/**
 * What a crash can resend is what the relay accepted and the outbox has not recorded yet. Two batches
 * are in flight at once (the next one is claimed while the last one is on the wire), each with a
 * worker per pooled connection: when recording is slow (a busy writer), the relay must still never
 * hold more accepted-but-unrecorded messages than there are connections. Counted at a real SMTP
 * server against the outbox's record writes, slowed down.
 */
describe('notifications: accepted but not yet recorded, at most one per connection across overlapping batches', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start({ parse: false });
    t = await createTestApp({ now: '2026-05-04T12:00:00Z', override: withMail({ smtpUrl: smtp.url, maxConnections: CONNECTIONS }) });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  afterEach(() => jest.restoreAllMocks());

  it('the relay never holds more unrecorded messages than connections, and every briefing is sent once', async () => {
    const office = await t.factories.office();
    const recruiterIds: string[] = [];
    for (let i = 0; i < 15; i++) recruiterIds.push((await t.factories.user('recruiter', { officeId: office.id })).id);
    await t.factories.user('coordinator', { officeId: office.id });
    const a = await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + 6 * HOUR, recruiterIds });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds });
    const queued = await rows(t, { appearanceId: a.id });
    expect(queued).toHaveLength(16);

    const d = dispatcher(t);
    let recorded = 0;
    let worst = 0;
    let batchesAtOnce = 0;
    let inFlightBatches = 0;
    const record = (d as unknown as { recordSent: (...args: unknown[]) => Promise<void> }).recordSent.bind(d);
    jest.spyOn(d as unknown as { recordSent: (...args: unknown[]) => Promise<void> }, 'recordSent').mockImplementation(async (...args: unknown[]) => {
      await new Promise((resolve) => setTimeout(resolve, 120)); // a slow writer
      await record(...args);
      recorded += (args[0] as unknown[]).length;
    });
    const process = (d as unknown as { process: (...args: unknown[]) => Promise<unknown> }).process.bind(d);
    jest.spyOn(d as unknown as { process: (...args: unknown[]) => Promise<unknown> }, 'process').mockImplementation(async (...args: unknown[]) => {
      inFlightBatches++;
      batchesAtOnce = Math.max(batchesAtOnce, inFlightBatches);
      try {
        return await process(...args);
      } finally {
        inFlightBatches--;
      }
    });
    smtp.onMessage(() => {
      worst = Math.max(worst, smtp.messages.length - recorded);
    });

    const report = await d.dispatchDue(t.clock.now(), { batchSize: 4 });
    expect(report).toMatchObject({ claimed: 16, sent: 16 });
    expect(batchesAtOnce).toBe(2); // the overlap this is about did happen
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(CONNECTIONS);
    const ids = smtp.messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(16);
    expect(ids).toHaveLength(16);
    expect((await rows(t, { appearanceId: a.id })).filter((n) => n.status !== 'sent')).toEqual([]);
  });
});
