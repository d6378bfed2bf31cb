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

  /** An appearance 6 hours out with 15 recruiters and a coordinator: 16 catch-up briefings due now. */
  async function briefed(): Promise<{ id: string }> {
    const office = await t.factories.office();
    const recruiterIds: string[] = [];
    for (let i = 0; i < 15; i++) recruiterIds.push((await t.factories.user('recruiter', { officeId: office.id })).id);
    await t.factories.user('coordinator', { officeId: office.id });
    const a = await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + 6 * HOUR, recruiterIds });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds });
    expect(await rows(t, { appearanceId: a.id })).toHaveLength(16);
    return a;
  }

  it('the relay never holds more unrecorded messages than connections, and every briefing is sent once', async () => {
    smtp.messages.length = 0;
    const a = await briefed();

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
    const processBatch = (d as unknown as { process: (...args: unknown[]) => Promise<unknown> }).process.bind(d);
    jest.spyOn(d as unknown as { process: (...args: unknown[]) => Promise<unknown> }, 'process').mockImplementation(async (...args: unknown[]) => {
      inFlightBatches++;
      batchesAtOnce = Math.max(batchesAtOnce, inFlightBatches);
      try {
        return await processBatch(...args);
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
    expect(worst).toBeLessThanOrEqual(CONNECTIONS);
    const ids = smtp.messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(16);
    expect(ids).toHaveLength(16);
    expect((await rows(t, { appearanceId: a.id })).filter((n) => n.status !== 'sent')).toEqual([]);
  });

  it('once a record fails, nothing more is sent: what the relay accepted unrecorded is at most one per connection, and the rest waits for its lease', async () => {
    smtp.messages.length = 0;
    const a = await briefed();
    const d = dispatcher(t);
    let calls = 0;
    const record = (d as unknown as { recordSent: (...args: unknown[]) => Promise<void> }).recordSent.bind(d);
    jest.spyOn(d as unknown as { recordSent: (...args: unknown[]) => Promise<void> }, 'recordSent').mockImplementation(async (...args: unknown[]) => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      if (++calls >= 2) throw new Error('disk full'); // from the second record write on, every one fails
      await record(...args);
    });
    await expect(d.dispatchDue(t.clock.now(), { batchSize: 4 })).rejects.toThrow('disk full');
    const after = await rows(t, { appearanceId: a.id });
    const recorded = after.filter((n) => n.status === 'sent').length;
    expect(recorded).toBeGreaterThan(0);
    expect(smtp.messages.length - recorded).toBeLessThanOrEqual(CONNECTIONS); // sent and not recorded: resent later
    expect(smtp.messages.length).toBeLessThan(16); // the rest was not sent
    // the rest is still claimed (sent again after its lease) or not claimed yet; nothing counts as a failed send
    expect(
      after
        .filter((n) => n.status !== 'sent')
        .map((n) => n.status)
        .sort(),
    ).toEqual(
      after
        .filter((n) => n.status !== 'sent')
        .map((n) => (n.status === 'sending' ? 'sending' : 'pending'))
        .sort(),
    );
    expect(after.filter((n) => n.status === 'sending').length).toBeGreaterThan(0);
  });
});
