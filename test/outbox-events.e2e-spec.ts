import { randomUUID } from 'node:crypto';
import { Appearance } from '../src/appearances/appearance.entity';
import { DomainEvents } from '../src/common/domain-events';
import { DAY_MS, HOUR_MS } from '../src/common/time';
import { Notification } from '../src/notifications/notification.entity';
import { OutboxWriter } from '../src/notifications/outbox-writer';
import { User } from '../src/users/user.entity';
import { assess, emit, rows } from './helpers/notifications';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * What each domain event writes to the outbox, row by row: who gets which message, under which
 * idempotency key, when it is due, what it carries, and what it withdraws. Nothing is sent here
 * (the notifications spec sends them through a real SMTP server); the rows are the contract.
 */
describe('outbox rows written by domain events', () => {
  let t: TestApp;
  let office: { id: string };
  let coord: User;
  let r1: User;
  let r2: User;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-02-20T12:00:00Z' });
    office = await t.factories.office({ timeZone: 'America/New_York' });
    coord = await t.factories.user('coordinator', { officeId: office.id });
    r1 = await t.factories.user('recruiter', { officeId: office.id });
    r2 = await t.factories.user('recruiter', { officeId: office.id });
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set('2026-02-20T12:00:00Z'));

  /** A planned appearance `inDays` ahead (4 hours long) with r1 and r2, its creation emitted. */
  async function planned(inDays = 20, o: Partial<Appearance> = {}, team = [r1.id, r2.id]): Promise<Appearance> {
    const startsAt = t.clock.now() + inDays * DAY_MS;
    const a = await t.factories.appearance({ officeId: office.id, startsAt, endsAt: startsAt + 4 * HOUR_MS, recruiterIds: team, ...o });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: team });
    return a;
  }
  const summary = (list: Notification[]) =>
    list.map((n) => ({ kind: n.kind, to: n.recipientId, status: n.status })).sort((x, y) => `${x.kind}${x.to}${x.status}`.localeCompare(`${y.kind}${y.to}${y.status}`));
  const statuses = async (appearanceId: string, kind: Notification['kind']) => [...new Set((await rows(t, { appearanceId, kind })).map((n) => n.status))];
  const rose = (a: Appearance, assessmentId: string, from: string | null, to: string, previousSeq?: number) =>
    emit(t, DomainEvents.RiskLevelRose, { appearanceId: a.id, assessmentId, from, to, ...(previousSeq === undefined ? {} : { previousSeq }) });

  describe('risk level rose', () => {
    it('a first assessment alerts only when it is already High or Critical; a later rise always does', async () => {
      const cases: Array<[string | null, string, boolean]> = [
        [null, 'low', false],
        [null, 'moderate', false],
        [null, 'high', true],
        [null, 'critical', true],
        ['low', 'moderate', true],
      ];
      for (const [from, to, alerts] of cases) {
        const a = await planned();
        const asm = await assess(t, a.id, to as never);
        await rose(a, asm.id, from, to);
        const got = await rows(t, { appearanceId: a.id, kind: 'escalation' });
        expect({ from, to, alerts: got.length > 0 }).toEqual({ from, to, alerts });
      }
    });

    it("goes to the appearance's own recruiters and the office's coordinators, once each, keyed by the rise, with the assessment", async () => {
      const other = await planned(20, {}, [r2.id]);
      const a = await planned(20, {}, [r1.id]);
      const asm = await assess(t, a.id, 'high');
      await rose(a, asm.id, 'moderate', 'high', 3);
      await rose(a, asm.id, 'moderate', 'high', 3); // a replay
      const got = await rows(t, { appearanceId: a.id, kind: 'escalation' });
      expect(got.map((n) => n.recipientId).sort()).toEqual([r1.id, coord.id].sort());
      expect(got.map((n) => n.idempotencyKey).sort()).toEqual([`escalation:${a.id}:s3->high:${r1.id}`, `escalation:${a.id}:s3->high:${coord.id}`].sort());
      expect(got.every((n) => n.assessmentId === asm.id && n.dueAt === t.clock.now() && n.status === 'pending' && !n.ackRequired)).toBe(true);
      expect(got[0].payload).toEqual({ from: 'moderate', to: 'high' });
      expect(await rows(t, { appearanceId: other.id, kind: 'escalation' })).toEqual([]);
      // An emitter that does not say which snapshot the level rose from keys on the assessment.
      const b = await planned(20, {}, [r1.id]);
      const asmB = await assess(t, b.id, 'critical');
      await rose(b, asmB.id, 'low', 'critical');
      expect((await rows(t, { appearanceId: b.id, kind: 'escalation', recipientId: r1.id }))[0].idempotencyKey).toBe(`escalation:${b.id}:${asmB.id}:${r1.id}`);
    });

    it('says nothing for an appearance that has started, is closed, or no longer exists', async () => {
      const started = await planned(0); // starts now
      const past = await planned(-1);
      const cancelled = await planned(20, { status: 'cancelled' });
      const completed = await planned(20, { status: 'completed' });
      for (const a of [started, past, cancelled, completed]) {
        const asm = await assess(t, a.id, 'critical');
        await rose(a, asm.id, 'moderate', 'critical');
        expect({ id: a.id, n: (await rows(t, { appearanceId: a.id, kind: 'escalation' })).length }).toEqual({ id: a.id, n: 0 });
      }
      await expect(emit(t, DomainEvents.RiskLevelRose, { appearanceId: randomUUID(), assessmentId: randomUUID(), from: 'low', to: 'critical' })).resolves.toBeUndefined();
    });

    it('reaches a recruiter who muted it (warnings and moves cannot be switched off); a muted debrief request is not written', async () => {
      const muted = await t.factories.user('recruiter', { officeId: office.id, mutedKinds: ['escalation', 'reschedule', 'debrief_request'] });
      const a = await planned(20, {}, [muted.id, r1.id]);
      const asm = await assess(t, a.id, 'high');
      await rose(a, asm.id, 'moderate', 'high', 1);
      expect((await rows(t, { appearanceId: a.id, kind: 'escalation' })).map((n) => n.recipientId).sort()).toEqual([muted.id, r1.id, coord.id].sort());
      const after = { ...a, startsAt: a.startsAt + DAY_MS, endsAt: a.endsAt + DAY_MS, sequence: 1 };
      await emit(t, DomainEvents.AppearanceUpdated, { before: a, after, recruitersBefore: [muted.id, r1.id], recruitersAfter: [muted.id, r1.id], rescheduled: true });
      expect((await rows(t, { appearanceId: a.id, kind: 'reschedule' })).map((n) => n.recipientId).sort()).toEqual([muted.id, r1.id, coord.id].sort());
      t.clock.set(after.endsAt + HOUR_MS);
      await emit(t, DomainEvents.AppearanceCompleted, { appearance: { ...after, status: 'completed' }, recruiterIds: [muted.id, r1.id] });
      expect((await rows(t, { appearanceId: a.id, kind: 'debrief_request' })).map((n) => n.recipientId)).toEqual([r1.id]);
      // Only the one who muted it: nothing to write, and nothing fails.
      const alone = await planned(1, {}, [muted.id]);
      t.clock.set(alone.endsAt + HOUR_MS);
      await emit(t, DomainEvents.AppearanceCompleted, { appearance: { ...alone, status: 'completed' }, recruiterIds: [muted.id] });
      expect(await rows(t, { appearanceId: alone.id, kind: 'debrief_request' })).toEqual([]);
    });
  });

  describe('the writer', () => {
    it('writes any number of rows, in chunks (one statement for 3,000 rows would pass PostgreSQL its limit of 65,535 bound values), and a replay adds none', async () => {
      const a = await t.factories.appearance({ officeId: office.id });
      const writer = t.app.get(OutboxWriter);
      const recipient = { id: r1.id, email: r1.email, mutedKinds: [] };
      const list = Array.from({ length: 3000 }, (_, i) => ({ key: `test-bulk:${a.id}:${i}`, kind: 'escalation' as const, recipient, appearanceId: a.id, dueAt: t.clock.now() + i }));
      await t.db.transaction((m) => writer.enqueue(m, list, t.clock.now()));
      await t.db.transaction((m) => writer.enqueue(m, list, t.clock.now()));
      const written = await rows(t, { appearanceId: a.id });
      expect(written).toHaveLength(3000);
      expect(new Set(written.map((n) => n.idempotencyKey)).size).toBe(3000);
      expect(written[2999]).toMatchObject({ dueAt: t.clock.now() + 2999, nextAttemptAt: t.clock.now() + 2999, status: 'pending', attempts: 0, payload: {} });
    });
  });

  describe('created', () => {
    it('withdraws the "level rose" alert when a briefing goes out at once (it carries the level); keeps it otherwise', async () => {
      for (const [inDays, escalation] of [
        [0.5, 'withdrawn'],
        [20, 'pending'],
      ] as const) {
        const startsAt = t.clock.now() + inDays * DAY_MS;
        const a = await t.factories.appearance({ officeId: office.id, startsAt, endsAt: startsAt + 4 * HOUR_MS, recruiterIds: [r1.id] });
        const asm = await assess(t, a.id, 'high');
        await rose(a, asm.id, null, 'high', 0);
        await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [r1.id] });
        expect({ inDays, escalation: await statuses(a.id, 'escalation') }).toEqual({ inDays, escalation: [escalation] });
        expect(await statuses(a.id, 'briefing')).toEqual(['pending']);
      }
    });
  });

  describe('updated', () => {
    it('an unassigned recruiter: their pending mail is withdrawn and they are told, once per sequence; the others keep theirs', async () => {
      const a = await planned();
      const before = await rows(t, { appearanceId: a.id, kind: 'briefing' });
      expect(before.length).toBeGreaterThan(0);
      await emit(t, DomainEvents.AppearanceUpdated, { before: a, after: a, recruitersBefore: [r1.id, r2.id], recruitersAfter: [r1.id], rescheduled: false });
      const briefings = await rows(t, { appearanceId: a.id, kind: 'briefing' });
      expect(new Set(briefings.filter((n) => n.recipientId === r2.id).map((n) => n.status))).toEqual(new Set(['withdrawn']));
      expect(new Set(briefings.filter((n) => n.recipientId !== r2.id).map((n) => n.status))).toEqual(new Set(['pending']));
      const told = await rows(t, { appearanceId: a.id, kind: 'cancellation' });
      expect(told.map((n) => ({ key: n.idempotencyKey, to: n.recipientId, due: n.dueAt, payload: n.payload }))).toEqual([
        { key: `cancellation:${a.id}:unassigned-s${a.sequence}:${r2.id}`, to: r2.id, due: t.clock.now(), payload: { unassigned: true } },
      ]);
    });

    it('a change that is not a move sends no "moved" mail; a move into the past, to now, or of a completed one neither', async () => {
      const a = await planned();
      const now = t.clock.now();
      const variants: Array<[string, Partial<Appearance>, boolean]> = [
        ['renamed', { title: 'Renamed fair' }, false],
        ['moved into the past', { startsAt: now - HOUR_MS, endsAt: now + HOUR_MS }, true],
        ['moved to start now', { startsAt: now, endsAt: now + HOUR_MS }, true],
        ['completed', { status: 'completed', startsAt: a.startsAt + DAY_MS, endsAt: a.endsAt + DAY_MS }, true],
      ];
      for (const [what, change, rescheduled] of variants) {
        await emit(t, DomainEvents.AppearanceUpdated, { before: a, after: { ...a, ...change, sequence: 1 }, recruitersBefore: [r1.id, r2.id], recruitersAfter: [r1.id, r2.id], rescheduled });
        expect({ what, n: (await rows(t, { appearanceId: a.id, kind: 'reschedule' })).length }).toEqual({ what, n: 0 });
      }
    });

    it('a move tells the whole team where it was before; an older unsent "moved" mail is withdrawn', async () => {
      const a = await planned();
      const first = { ...a, startsAt: a.startsAt + DAY_MS, endsAt: a.endsAt + DAY_MS, sequence: 1 };
      await emit(t, DomainEvents.AppearanceUpdated, { before: a, after: first, recruitersBefore: [r1.id, r2.id], recruitersAfter: [r1.id, r2.id], rescheduled: true });
      const moved = await rows(t, { appearanceId: a.id, kind: 'reschedule' });
      expect(moved.map((n) => n.recipientId).sort()).toEqual([r1.id, r2.id, coord.id].sort());
      expect(moved.every((n) => n.dueAt === t.clock.now() && n.idempotencyKey === `reschedule:${a.id}:s1:${n.recipientId}`)).toBe(true);
      expect(moved[0].payload).toEqual({ previousStartsAt: a.startsAt, previousTimeZone: a.timeZone, sequence: 1 });
      t.clock.advance(HOUR_MS);
      const second = { ...first, startsAt: first.startsAt + DAY_MS, endsAt: first.endsAt + DAY_MS, timeZone: 'America/Chicago', sequence: 2 };
      await emit(t, DomainEvents.AppearanceUpdated, { before: first, after: second, recruitersBefore: [r1.id, r2.id], recruitersAfter: [r1.id, r2.id], rescheduled: true });
      const all = await rows(t, { appearanceId: a.id, kind: 'reschedule' });
      expect(summary(all.filter((n) => n.idempotencyKey.includes(':s1:')))).toEqual(summary(moved.map((n) => ({ ...n, status: 'withdrawn' }) as Notification)));
      const latest = all.filter((n) => n.idempotencyKey.includes(':s2:'));
      expect(latest.map((n) => n.status)).toEqual(['pending', 'pending', 'pending']);
      expect(latest[0].payload).toEqual({ previousStartsAt: first.startsAt, previousTimeZone: 'America/New_York', sequence: 2 });
    });

    it('an update event for a cancelled appearance writes nothing (the cancellation handles it)', async () => {
      const a = await planned();
      await t.db.getRepository(Notification).update({ appearanceId: a.id }, { status: 'withdrawn' });
      const cancelled = { ...a, status: 'cancelled' as const, startsAt: a.startsAt + DAY_MS, endsAt: a.endsAt + DAY_MS, sequence: 1 };
      await emit(t, DomainEvents.AppearanceUpdated, { before: a, after: cancelled, recruitersBefore: [r1.id, r2.id], recruitersAfter: [r1.id], rescheduled: true });
      expect((await rows(t, { appearanceId: a.id })).filter((n) => n.status !== 'withdrawn')).toEqual([]);
    });
  });

  describe('cancelled and completed', () => {
    it('a cancellation withdraws every warning and reminder, and tells the team why; a notice already owed is still sent', async () => {
      const a = await planned(20, {}, [r1.id, r2.id]);
      // r2 was taken off before: that notice is owed whatever happens next
      await emit(t, DomainEvents.AppearanceUpdated, { before: a, after: a, recruitersBefore: [r1.id, r2.id], recruitersAfter: [r1.id], rescheduled: false });
      const owed = await rows(t, { appearanceId: a.id, kind: 'cancellation', recipientId: r2.id });
      expect(owed.map((n) => n.status)).toEqual(['pending']);
      const asm = await assess(t, a.id, 'high');
      await rose(a, asm.id, 'moderate', 'high', 1);
      const moved = { ...a, startsAt: a.startsAt + DAY_MS, endsAt: a.endsAt + DAY_MS, sequence: 1 };
      await emit(t, DomainEvents.AppearanceUpdated, { before: a, after: moved, recruitersBefore: [r1.id], recruitersAfter: [r1.id], rescheduled: true });
      const live = async (kind: Notification['kind']) => (await rows(t, { appearanceId: a.id, kind })).filter((n) => n.recipientId !== r2.id).map((n) => n.status);
      for (const kind of ['briefing', 'escalation', 'reschedule'] as const) expect({ kind, s: [...new Set(await live(kind))] }).toEqual({ kind, s: ['pending'] });
      const cancelled = { ...moved, status: 'cancelled' as const, sequence: 2 };
      await emit(t, DomainEvents.AppearanceCancelled, { appearance: cancelled, recruiterIds: [r1.id], reason: 'Host withdrew the invitation' });
      for (const kind of ['briefing', 'escalation', 'reschedule'] as const) expect({ kind, s: [...new Set(await live(kind))] }).toEqual({ kind, s: ['withdrawn'] });
      const told = (await rows(t, { appearanceId: a.id, kind: 'cancellation' })).filter((n) => n.id !== owed[0].id);
      expect(told.map((n) => n.recipientId).sort()).toEqual([r1.id, coord.id].sort());
      expect(told.every((n) => n.status === 'pending' && n.idempotencyKey === `cancellation:${a.id}:s2:${n.recipientId}`)).toBe(true);
      expect(told[0].payload).toEqual({ reason: 'Host withdrew the invitation' });
      expect((await rows(t, { id: owed[0].id }))[0].status).toBe('pending');
    });

    it('completion withdraws what is still to come and asks the recruiters (not coordinators) for a debrief once it has ended', async () => {
      const a = await planned(1);
      const moved = { ...a, startsAt: a.startsAt + HOUR_MS, endsAt: a.endsAt + HOUR_MS, sequence: 1 };
      await emit(t, DomainEvents.AppearanceUpdated, { before: a, after: moved, recruitersBefore: [r1.id, r2.id], recruitersAfter: [r1.id, r2.id], rescheduled: true });
      t.clock.set(moved.startsAt + HOUR_MS); // marked completed while it is still on
      await emit(t, DomainEvents.AppearanceCompleted, { appearance: { ...moved, status: 'completed' }, recruiterIds: [r1.id, r2.id] });
      for (const kind of ['briefing', 'reschedule'] as const) expect({ kind, s: await statuses(a.id, kind) }).toEqual({ kind, s: ['withdrawn'] });
      const asked = await rows(t, { appearanceId: a.id, kind: 'debrief_request' });
      const byRecipient = (x: { to: string }, y: { to: string }) => (x.to < y.to ? -1 : 1);
      expect(asked.map((n) => ({ to: n.recipientId, due: n.dueAt, key: n.idempotencyKey })).sort(byRecipient)).toEqual(
        [r1.id, r2.id].map((id) => ({ to: id, due: moved.endsAt, key: `debrief_request:${a.id}:end:${id}` })).sort(byRecipient),
      );
      // Marked completed after it ended: the debrief is due at once.
      const late = await planned(1);
      t.clock.set(late.endsAt + DAY_MS);
      await emit(t, DomainEvents.AppearanceCompleted, { appearance: { ...late, status: 'completed' }, recruiterIds: [r1.id] });
      expect((await rows(t, { appearanceId: late.id, kind: 'debrief_request' })).map((n) => n.dueAt)).toEqual([t.clock.now()]);
    });
  });
});
