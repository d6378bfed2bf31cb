import { DomainEvents } from '../src/common/domain-events';
import { Mailer } from '../src/notifications/mailer.service';
import type { ComposedMail } from '../src/notifications/notification-composer';
import type { Notification } from '../src/notifications/notification.entity';
import type { User } from '../src/users/user.entity';
import { dispatcher, emit, rows, withMail } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;
const LEASE = 120_000;

/**
 * A long dispatch run: each claim's lease, each record and each send decision use the clock of the
 * moment (not the run's start), the lease is renewed between sends and a row another worker has
 * reclaimed is not sent again, and a briefing whose appearance was cancelled mid-batch is withdrawn.
 * The clock is injected; "time passing during a send" is the test moving it from inside the send.
 */
describe('notifications: leases and re-checks during a long dispatch run', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let office: { id: string };
  let team: User[];
  let mailer: Mailer;
  let realSend: (m: ComposedMail) => Promise<string>;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start({ parse: false });
    // one pooled connection: 4 sends in flight per batch
    t = await createTestApp({ now: '2026-05-04T12:00:00Z', override: withMail({ smtpUrl: smtp.url, maxConnections: 1, leaseMs: LEASE }) });
    office = await t.factories.office({ timeZone: 'America/Chicago' });
    team = [await t.factories.user('coordinator', { officeId: office.id })];
    for (let i = 0; i < 7; i++) team.push(await t.factories.user('recruiter', { officeId: office.id }));
    mailer = t.app.get(Mailer);
    realSend = mailer.send.bind(mailer);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /** An appearance 2 days out: one catch-up briefing per team member due now (8 rows), and the 1-day ones later. */
  async function briefed(): Promise<{ id: string; rows: Notification[] }> {
    const inst = await t.factories.institution({ state: 'IL' });
    const recruiterIds = team.slice(1).map((u) => u.id);
    const a = await t.factories.appearance({ officeId: office.id, institutionId: inst.id, startsAt: t.clock.now() + 2 * DAY, recruiterIds });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds });
    const list = await rows(t, { appearanceId: a.id, kind: 'briefing', dueAt: t.clock.now() });
    expect(list).toHaveLength(8);
    return { id: a.id, rows: list };
  }

  it('claims, leases and records at the time each happens, not at the start of the run', async () => {
    const a = await briefed();
    const start = t.clock.now();
    const d = dispatcher(t);
    const claims: { at: number; leaseUntil: number[] }[] = [];
    const claim = d.claim.bind(d);
    jest.spyOn(d, 'claim').mockImplementation(async (now: number, limit: number) => {
      const at = t.clock.now(); // sends of the batch still on the wire move the clock while this claim runs
      const got = await claim(now, limit);
      claims.push({ at, leaseUntil: got.map((r) => Number(r.leaseUntil)) });
      return got;
    });
    // every send takes a minute
    jest.spyOn(mailer, 'send').mockImplementation(async (m) => {
      t.clock.advance(60_000);
      return realSend(m);
    });
    const report = await d.dispatchDue(start, { batchSize: 2 });
    expect(report.sent).toBe(8);
    expect(claims.length).toBeGreaterThanOrEqual(4);
    // a batch claimed minutes into the run holds its rows for a full lease from then
    for (const c of claims) for (const until of c.leaseUntil) expect(until).toBe(c.at + LEASE);
    expect(claims[claims.length - 1].at).toBeGreaterThan(start);
    const sent = await rows(t, { appearanceId: a.id, kind: 'briefing', dueAt: start });
    expect(sent.every((n) => n.status === 'sent' && n.sentAt! > start)).toBe(true);
    expect(Math.max(...sent.map((n) => n.sentAt!))).toBeGreaterThanOrEqual(start + 4 * 60_000);
  });

  it('does not send a row another worker reclaimed after the lease ran out mid-batch', async () => {
    const a = await briefed();
    const d = dispatcher(t);
    const sentIds: string[] = [];
    let reclaimed: string[] = [];
    let first: string | null = null;
    expect(a.rows).toHaveLength(8);
    jest.spyOn(mailer, 'send').mockImplementation(async (m) => {
      sentIds.push(m.notificationId);
      if (first === null) {
        first = m.notificationId;
        // this send hangs past the lease; meanwhile another instance claims whatever has expired
        t.clock.advance(2 * LEASE);
        reclaimed = (await d.claim(t.clock.now(), 100)).map((r) => r.id);
      }
      return realSend(m);
    });
    await d.dispatchDue(t.clock.now());
    // the first round (4 sends in flight when the lease ran out) may go twice — at-least-once; no
    // row started after that is sent by this worker once another one holds it
    expect(sentIds.slice(4).filter((id) => reclaimed.includes(id))).toEqual([]);
    expect(new Set([...sentIds, ...reclaimed]).size).toBe(8);
    await t.db.query(`UPDATE notifications SET status = 'withdrawn' WHERE appearance_id = '${a.id}' AND status = 'sending'`);
  });

  it('withdraws the rest of a batch when its appearance is cancelled while the batch is being sent', async () => {
    const a = await briefed();
    let cancelled = false;
    jest.spyOn(mailer, 'send').mockImplementation(async (m) => {
      if (!cancelled) {
        cancelled = true;
        // someone cancels the appearance while the first briefing is on the wire
        await t.db.query(`UPDATE appearances SET status = 'cancelled' WHERE id = '${a.id}'`);
      }
      return realSend(m);
    });
    const report = await dispatcher(t).dispatchDue(t.clock.now());
    // the sends already in flight went; every later one was checked against the appearance first
    expect(report.sent).toBeLessThanOrEqual(4);
    expect(report.withdrawn).toBe(8 - report.sent);
    const after = await rows(t, { appearanceId: a.id, kind: 'briefing', dueAt: a.rows[0].dueAt });
    expect(after.filter((n) => n.status === 'withdrawn').every((n) => n.lastError === 'appearance was cancelled')).toBe(true);
  });
});
