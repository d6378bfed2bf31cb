import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AcknowledgementsOverdueEvent, DomainEvents } from '../common/domain-events';
import { DateTime } from 'luxon';
import { EntityManager, In } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { bool } from '../database/dialect';
import { query, sql } from '../database/sql';
import { DAY_MS } from '../common/time';
import { mailConfig } from '../config';
import { Office } from '../offices/office.entity';
import { User } from '../users/user.entity';
import { debriefRow } from './notification-events.listener';
import { ackWindowMs } from './notification-definitions';
import { Notification } from './notification.entity';
import { NewNotification, OutboxWriter, Recipient } from './outbox-writer';

export interface SchedulerReport {
  ackEscalations: number;
  digests: number;
  debriefs: number;
  deadMailReports: number;
}

/** Admins hear about dead mail at most this often. */
const DEAD_MAIL_REPORT_EVERY_MS = 3_600_000;

/** Appearances that ended within this window still get their debrief request (covers downtime). */
const DEBRIEF_WINDOW_MS = 3 * DAY_MS;
const MIN_ACK_WINDOW_MS = 15 * 60_000;

/** How late a missed weekly digest may still go out (the service was down at the digest hour). */
export const DIGEST_CATCH_UP_MS = 3 * 24 * 3_600_000;

/**
 * Thin scheduler (STYLE habit 8): decides what is due at `now` and enqueues it with idempotency keys;
 * it never sends. Ticking twice, or on two instances at once, enqueues nothing twice.
 */
@Injectable()
export class NotificationScheduler {
  constructor(
    private readonly db: DatabaseService,
    @Inject(mailConfig.KEY) private readonly cfg: ConfigType<typeof mailConfig>,
    private readonly outbox: OutboxWriter,
    private readonly events: EventEmitter2,
  ) {}

  async runScheduler(now: number): Promise<SchedulerReport> {
    return {
      ackEscalations: await this.ackEscalations(now),
      digests: await this.weeklyDigests(now),
      debriefs: await this.debriefRequests(now),
      deadMailReports: await this.deadMailReports(now),
    };
  }

  /**
   * Mail that went dead since the last report → every active admin, at most once an hour (keyed by
   * the hour, so instances ticking together enqueue one): how much is dead, of which kinds, and the
   * link to list and retry it. The reports themselves are not counted.
   */
  async deadMailReports(now: number): Promise<number> {
    const [last] = (await this.db.read((m) => m.query(`SELECT MAX(created_at) AS at FROM notifications WHERE kind = 'mail_dead'`))) as { at: string | number | null }[];
    const lastAt = last?.at === null || last?.at === undefined ? null : Number(last.at);
    if (lastAt !== null && now - lastAt < DEAD_MAIL_REPORT_EVERY_MS) return 0;
    const dead = await this.db.read((m) =>
      query<{ kind: string; n: string | number; fresh: string | number }>(
        m,
        sql`SELECT kind, COUNT(*) AS n, SUM(CASE WHEN updated_at >= ${lastAt ?? -1} THEN 1 ELSE 0 END) AS fresh
         FROM notifications WHERE status = 'dead' AND channel = 'email' AND kind <> 'mail_dead' GROUP BY kind ORDER BY kind`,
      ),
    );
    const newCount = dead.reduce((s, d) => s + Number(d.fresh), 0);
    if (!newCount) return 0;
    return this.withManager(async (m) => {
      const admins = await m.getRepository(User).find({ where: { role: 'admin', active: true }, select: { id: true, email: true, mutedKinds: true } });
      const hour = Math.floor(now / DEAD_MAIL_REPORT_EVERY_MS);
      const payload = { count: dead.reduce((s, d) => s + Number(d.n), 0), newCount, kinds: dead.map((d) => `${d.kind} ${Number(d.n)}`).join(', ') };
      const rows: NewNotification[] = admins.map((a) => ({
        key: `mail_dead:${hour}:${a.id}`,
        kind: 'mail_dead',
        recipient: { id: a.id, email: a.email, mutedKinds: a.mutedKinds ?? [] },
        appearanceId: null,
        dueAt: now,
        payload,
      }));
      return this.outbox.enqueue(m, rows, now);
    });
  }

  /** High/Critical warnings nobody acknowledged in time → the office's coordinators (admins if none). */
  async ackEscalations(now: number): Promise<number> {
    const groups = await this.db.read((m) =>
      query<{ appearance_id: string; kind: string; due_at: string | number; first_sent: string | number; recipients: string | number; starts_at: string | number; office_id: string }>(
        m,
        sql`SELECT n.appearance_id, n.kind, n.due_at, MIN(n.sent_at) AS first_sent, COUNT(*) AS recipients, a.starts_at, a.office_id
         FROM notifications n JOIN appearances a ON a.id = n.appearance_id
         WHERE n.ack_required = ${bool(true)} AND n.status = 'sent' AND n.kind IN ('briefing', 'escalation')
           AND a.status IN ('planned', 'confirmed') AND a.starts_at > ${now} AND n.sent_at <= ${now - MIN_ACK_WINDOW_MS}
         GROUP BY n.appearance_id, n.kind, n.due_at, a.starts_at, a.office_id
         HAVING SUM(CASE WHEN n.acknowledged_at IS NULL THEN 0 ELSE 1 END) = 0`,
      ),
    );
    // One escalation per appearance: its latest overdue unacknowledged warning.
    const latest = new Map<string, (typeof groups)[number]>();
    for (const g of groups) {
      if (Number(g.first_sent) + ackWindowMs(this.cfg.ackTimeoutMs, Number(g.first_sent), Number(g.starts_at)) > now) continue;
      const prev = latest.get(g.appearance_id);
      if (!prev || Number(g.due_at) > Number(prev.due_at)) latest.set(g.appearance_id, g);
    }
    const overdue = [...latest.values()];
    if (!overdue.length) return 0;
    // A transaction (unlike the other scheduler steps): the escalation is an event, and the rows its
    // listeners write (webhooks, chat) commit with the mail rows.
    return this.db.write(async (m) => {
      const officeIds = [...new Set(overdue.map((g) => g.office_id))];
      const coordinators = await m.getRepository(User).find({
        where: { officeId: In(officeIds), role: 'coordinator', active: true },
        select: { id: true, email: true, mutedKinds: true, officeId: true },
      });
      const admins = await m.getRepository(User).find({ where: { role: 'admin', active: true }, select: { id: true, email: true, mutedKinds: true } });
      const rows: NewNotification[] = [];
      const escalated: AcknowledgementsOverdueEvent['overdue'] = [];
      for (const g of overdue) {
        // who has not acknowledged: every recipient of the warning (the group has no acknowledgement)
        const waiting: { name: string }[] = await m
          .createQueryBuilder()
          .select('u.display_name', 'name')
          .from(Notification, 'n')
          .innerJoin(User, 'u', 'u.id = n.recipient_id')
          .where('n.appearance_id = :a AND n.kind = :k AND n.due_at = :d AND n.status = :s AND n.ack_required = :t', { a: g.appearance_id, k: g.kind, d: Number(g.due_at), s: 'sent', t: true })
          .orderBy('u.display_name', 'ASC')
          .getRawMany();
        const notAcknowledged = [...new Set(waiting.map((w) => w.name))];
        const list: Recipient[] = coordinators.filter((c) => c.officeId === g.office_id);
        const to = list.length ? list : admins;
        for (const r of to) {
          rows.push({
            key: `ack_escalation:${g.appearance_id}:${g.kind}-${Number(g.due_at)}:${r.id}`,
            kind: 'ack_escalation',
            recipient: { id: r.id, email: r.email, mutedKinds: r.mutedKinds ?? [] },
            appearanceId: g.appearance_id,
            dueAt: now,
            payload: { originalKind: g.kind, originalDueAt: Number(g.due_at), sentAt: Number(g.first_sent), recipients: Number(g.recipients), notAcknowledged },
          });
        }
        escalated.push({
          appearanceId: g.appearance_id,
          officeId: g.office_id,
          warningKind: g.kind,
          warningDueAt: Number(g.due_at),
          firstSentAt: Number(g.first_sent),
          recipients: Number(g.recipients),
          escalatedTo: to.length,
        });
      }
      const offered = await this.outbox.enqueue(m, rows, now);
      const event: AcknowledgementsOverdueEvent = { manager: m, actorId: null, at: now, overdue: escalated };
      await this.events.emitAsync(DomainEvents.AcknowledgementsOverdue, event);
      return offered;
    });
  }

  /**
   * Monday morning (configurable) in each office's zone: one digest per coordinator per week, keyed
   * by the digest day. A digest missed because no scheduler ran then (the service was down) goes
   * out at the first tick within DIGEST_CATCH_UP_MS of that moment, covering two weeks from that
   * tick's day; after that the week's digest is skipped and next week's comes as usual.
   */
  async weeklyDigests(now: number): Promise<number> {
    const offices = await this.db.read((m) => m.getRepository(Office).find());
    const due = offices.flatMap((o) => {
      const local = DateTime.fromMillis(now, { zone: o.timeZone });
      if (!local.isValid) return [];
      // the latest digest moment at or before now
      let day = local.startOf('day').minus({ days: (local.weekday - this.cfg.digestWeekday + 7) % 7 });
      if (day.set({ hour: this.cfg.digestHour }) > local) day = day.minus({ weeks: 1 });
      const moment = day.set({ hour: this.cfg.digestHour });
      if (now - moment.toMillis() > DIGEST_CATCH_UP_MS) return [];
      return [{ o, digestDay: day, from: local.startOf('day') }];
    });
    if (!due.length) return 0;
    return this.withManager(async (m) => {
      const coordinators = await m.getRepository(User).find({
        where: { officeId: In(due.map((d) => d.o.id)), role: 'coordinator', active: true },
        select: { id: true, email: true, mutedKinds: true, officeId: true },
      });
      const rows: NewNotification[] = [];
      for (const { o, digestDay, from } of due) {
        const to = from.plus({ days: 14 });
        for (const c of coordinators.filter((c) => c.officeId === o.id)) {
          rows.push({
            key: `weekly_digest:${o.id}:${digestDay.toISODate()}:${c.id}`,
            kind: 'weekly_digest',
            recipient: { id: c.id, email: c.email, mutedKinds: c.mutedKinds ?? [] },
            appearanceId: null,
            dueAt: now,
            payload: { officeId: o.id, fromMs: from.toMillis(), toMs: to.toMillis() },
          });
        }
      }
      return this.outbox.enqueue(m, rows, now);
    });
  }

  /** Recruiters of appearances that ended (and have no outcome yet) are asked for a debrief. */
  async debriefRequests(now: number): Promise<number> {
    const ended = await this.db.read((m) =>
      query<{ appearance_id: string; user_id: string; ends_at: string | number }>(
        m,
        sql`SELECT ar.appearance_id, ar.user_id, a.ends_at FROM appearances a JOIN appearance_recruiters ar ON ar.appearance_id = a.id
       WHERE a.ends_at <= ${now} AND a.ends_at > ${now - DEBRIEF_WINDOW_MS} AND a.status IN ('planned', 'confirmed', 'completed')
         AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.appearance_id = a.id)`,
      ),
    );
    if (!ended.length) return 0;
    return this.withManager(async (m) => {
      const users = new Map(
        (
          await this.outbox.users(
            m,
            ended.map((e) => e.user_id),
          )
        ).map((u) => [u.id, u]),
      );
      const rows = ended.filter((e) => users.has(e.user_id)).map((e) => debriefRow({ id: e.appearance_id }, users.get(e.user_id)!, now));
      return this.outbox.enqueue(m, rows, now);
    });
  }

  /**
   * One short write per step: every insert is INSERT ... ON CONFLICT DO NOTHING with an idempotency
   * key, so a step's reads made before it (another instance may have enqueued since) are harmless
   * and a tick cut short is completed by the next one.
   */
  private withManager<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.write(fn);
  }
}
