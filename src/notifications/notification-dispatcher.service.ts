import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { CriticalBriefingsSentEvent, DomainEvents, EscalationsSentEvent } from '../common/domain-events';
import { DatabaseService } from '../database/database.service';
import { Clock } from '../common/clock';
import type { NotificationKind } from '../common/enums';
import { mailConfig } from '../config';
import { BatchData, MailDataLoader } from './mail-data.loader';
import { describeError, isPermanentFailure, Mailer } from './mailer.service';
import { ComposedMail, NotificationComposer, Withdrawal } from './notification-composer';
import { retriesUntilDelivered } from './notification-definitions';
import { Notification } from './notification.entity';
import type { Failed, Sent } from './dispatch-records';
import { backoffMs, claimDue, GroupCommit, markWithdrawn, renewLeases, SendSlots } from './outbox-claims';

export { backoffMs };

export interface DispatchReport {
  claimed: number;
  sent: number;
  retrying: number;
  dead: number;
  withdrawn: number;
}

const ESCALATIONS: readonly NotificationKind[] = ['escalation', 'ack_escalation'];
/** The longest subject the row keeps (notifications.subject is varchar(300)). */
const SUBJECT_MAX = 300;

const GUARD_CHUNK = 500;

/** The clock of one dispatch run: `start` at the run's start, then moving with the injected clock. */
type Now = () => number;
/** What the batches of one dispatch run share: a failed record stops every send of the run. */
type RunState = { recordFailed: boolean };

/**
 * Delivers the outbox. Claims due rows with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one
 * UPDATE ... WHERE id IN (SELECT ... LIMIT n)), renders them from current data, sends them through
 * the pooled transport and records each send as soon as the relay accepts it (group commit). A
 * connection gets its next message only once the last one is recorded (SendSlots), so a crash
 * resends at most one message per connection, with the same Message-ID. Leases are renewed on a
 * timer (every third of DISPATCH_LEASE_MS), so a dead worker's claims are taken over one lease later.
 */
@Injectable()
export class NotificationDispatcher {
  private readonly logger = new Logger(NotificationDispatcher.name);
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private claims = 0;
  /** Claims (lease owners) of the batches in flight, renewed by the lease timer. */
  private readonly held = new Set<string>();
  /** Sends on the wire or accepted and not yet recorded, across the overlapping batches: one per connection. */
  private readonly slots: SendSlots;

  constructor(
    private readonly db: DatabaseService,
    @Inject(mailConfig.KEY) private readonly cfg: ConfigType<typeof mailConfig>,
    private readonly loader: MailDataLoader,
    private readonly composer: NotificationComposer,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {
    this.slots = new SendSlots(cfg.maxConnections);
  }

  /**
   * Sends everything due at `now` (claim, send, record, repeat until nothing is due). Two batches
   * overlap: the next one is claimed and rendered while the previous one is still on the wire, so
   * the SMTP pool never idles between batches.
   *
   * `now` is the run's start; every later claim, lease, send decision, record and backoff uses
   * `now` plus the time the injected clock has moved since (the loop passes the clock's now, so in
   * production that is the real time of each step — a claim made minutes into a long run gets a
   * lease counted from then, not from the start; tests with a fixed clock see `now` throughout).
   */
  async dispatchDue(now: number, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<DispatchReport> {
    const started = this.clock.now();
    const at: Now = () => now + (this.clock.now() - started);
    const total: DispatchReport = { claimed: 0, sent: 0, retrying: 0, dead: 0, withdrawn: 0 };
    const size = opts.batchSize ?? this.cfg.batchSize;
    const running = new Set<Promise<void>>();
    const run: RunState = { recordFailed: false };
    let failure: unknown = null;
    const renewal = setInterval(() => void this.renewLeases(at()).catch((err) => this.logger.warn(`Lease renewal failed: ${describeError(err)}`)), Math.max(250, Math.floor(this.cfg.leaseMs / 3)));
    renewal.unref();
    try {
      for (let b = 0; b < (opts.maxBatches ?? Infinity) && failure === null; b++) {
        if (running.size >= 2) await Promise.race(running);
        const rows = await this.claim(at(), size);
        if (!rows.length) break;
        const owner = rows[0].leaseOwner as string;
        this.held.add(owner);
        const p: Promise<void> = this.process(rows, at, run)
          .then((r) => {
            for (const k of Object.keys(total) as (keyof DispatchReport)[]) total[k] += r[k];
          })
          .catch((err) => {
            failure = err;
          })
          .finally(() => {
            this.held.delete(owner);
            running.delete(p);
          });
        running.add(p);
        if (rows.length < size) break;
      }
      await Promise.all(running);
    } finally {
      clearInterval(renewal);
    }
    if (failure !== null) throw failure as Error;
    return total;
  }

  /** Extends the leases of the batches in flight (their rows still being sent by this worker). */
  private async renewLeases(now: number): Promise<void> {
    await renewLeases(this.db, [...this.held], now + this.cfg.leaseMs);
  }

  /** Claims up to `limit` due mail rows (or rows whose lease expired) for this worker. */
  async claim(now: number, limit: number): Promise<Notification[]> {
    return claimDue(this.db, { owner: `${this.instanceId}#${++this.claims}`, now, leaseMs: this.cfg.leaseMs, limit, channels: ['email'] });
  }

  /**
   * Between sends, once per round of concurrent sends (and whenever the lease is close to running
   * out): extends the lease of the batch's rows this worker still holds, drops the rows it no longer
   * holds (another instance reclaimed them after an expired lease: they are not sent twice), and
   * refreshes the status of the batch's appearances (one query), so a briefing is not sent after its
   * appearance was cancelled while the batch was on the wire.
   */
  private async guard(rows: Notification[], owner: string, data: BatchData, lost: Set<string>, now: number): Promise<number> {
    const leaseUntil = now + this.cfg.leaseMs;
    const ids = rows.map((r) => r.id).filter((id) => !lost.has(id));
    for (let i = 0; i < ids.length; i += GUARD_CHUNK) {
      const chunk = ids.slice(i, i + GUARD_CHUNK);
      await this.db.write((m) =>
        m
          .createQueryBuilder()
          .update(Notification)
          .set({ leaseUntil })
          .where('id IN (:...ids)', { ids: chunk })
          .andWhere('lease_owner = :owner', { owner })
          .andWhere('status = :sending', { sending: 'sending' })
          .execute(),
      );
      const held: { id: string; appearance_id: string | null; appearance_status: string | null }[] = await this.db.read((m) =>
        m
          .createQueryBuilder()
          .select('n.id', 'id')
          .addSelect('a.id', 'appearance_id')
          .addSelect('a.status', 'appearance_status')
          .from(Notification, 'n')
          .leftJoin('appearances', 'a', 'a.id = n.appearance_id')
          .where('n.id IN (:...ids)', { ids: chunk })
          .andWhere('n.lease_owner = :owner', { owner })
          .getRawMany(),
      );
      const mine = new Set(held.map((h) => h.id));
      for (const id of chunk) if (!mine.has(id)) lost.add(id);
      for (const h of held) {
        const a = h.appearance_id ? data.appearances.get(h.appearance_id) : undefined;
        if (a && h.appearance_status) a.status = h.appearance_status as typeof a.status;
      }
    }
    return leaseUntil;
  }

  /**
   * Renders and sends one claimed batch. Each worker renders the row it is about to send (rather than
   * rendering the whole batch up front), so rendering interleaves with SMTP round trips instead of
   * blocking the event loop while the pool's connections wait. Outcomes are recorded as they come,
   * each at the time it happens.
   */
  private async process(rows: Notification[], at: Now, run: RunState): Promise<DispatchReport> {
    const report: DispatchReport = { claimed: rows.length, sent: 0, retrying: 0, dead: 0, withdrawn: 0 };
    const owner = rows[0].leaseOwner as string;
    const data = await this.loader.load(rows);
    const withdrawals: Withdrawal[] = [];
    const failures: Failed[] = [];
    const lost = new Set<string>();
    // a worker per pooled connection; the sends themselves take slots shared with the overlapping batch
    const concurrency = Math.min(rows.length, this.cfg.maxConnections);
    let leaseUntil = Math.min(...rows.map((r) => Number(r.leaseUntil ?? 0)));
    let sinceGuard = 0;
    let guarding: Promise<void> | null = null;
    const beforeSend = async () => {
      if (guarding) await guarding;
      else if (sinceGuard >= concurrency || at() >= leaseUntil - this.cfg.leaseMs / 4) {
        guarding = this.guard(rows, owner, data, lost, at())
          .then((until) => {
            leaseUntil = until;
          })
          .finally(() => {
            sinceGuard = 0;
            guarding = null;
          });
        await guarding;
      }
      sinceGuard++;
    };
    // Group commit: a send is recorded as soon as the relay accepts it; sends accepted while a record
    // is being written go together in the next one.
    const commit = new GroupCommit<Sent>((chunk) =>
      this.recordSent(chunk, owner, at()).catch((err: unknown) => {
        run.recordFailed = true;
        throw err;
      }),
    );
    const sendOne = async (row: Notification) => {
      await beforeSend();
      if (lost.has(row.id)) return; // another worker holds it now: it sends and records it
      let mail: ComposedMail;
      try {
        const out = this.composer.compose(row, data, at());
        if (!('subject' in out)) {
          // A risk alert that kept failing until its appearance started was never delivered: dead, not withdrawn.
          if (row.lastError && row.appearanceId && retriesUntilDelivered(row.kind as NotificationKind, row.ackRequired)) {
            return void failures.push({ row, error: `not delivered before the appearance (${out.reason}); last error: ${row.lastError}`.slice(0, 500), permanent: true, alert: true });
          }
          return void withdrawals.push(out);
        }
        mail = out;
      } catch (err) {
        this.logger.error(`Notification ${row.id} (${row.kind}) could not be rendered: ${describeError(err)}`);
        return void failures.push({ row, error: `render: ${describeError(err)}`, permanent: true, alert: false });
      }
      const alert = retriesUntilDelivered(row.kind as NotificationKind, mail.ackRequired);
      if (!alert && row.attempts > this.cfg.maxAttempts) {
        return void failures.push({ row, error: row.lastError ?? 'claimed too many times without a recorded outcome', permanent: true, alert });
      }
      try {
        await this.slots.run(async () => {
          // re-checked after the wait for a slot; and once a record failed in either batch nothing more
          // is sent (it could not be recorded either: the row stays claimed and is sent after its lease)
          if (lost.has(row.id) || run.recordFailed) return;
          await this.mailer.send(mail);
          report.sent++;
          await commit.push({
            id: row.id,
            kind: row.kind as NotificationKind,
            recipientId: row.recipientId,
            appearanceId: row.appearanceId,
            ackRequired: mail.ackRequired,
            assessmentId: mail.assessmentId,
            subject: mail.subject.slice(0, SUBJECT_MAX),
            level: mail.riskLevel,
          });
        });
      } catch (err) {
        row.ackRequired = mail.ackRequired; // kept on the row: a High/Critical briefing stays a retrying alert
        failures.push({ row, error: describeError(err), permanent: isPermanentFailure(err), alert });
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < rows.length) await sendOne(rows[next++]);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await commit.drain();
    if (withdrawals.length) await this.recordWithdrawals(withdrawals, owner, at());
    report.withdrawn = withdrawals.length;
    for (const f of failures) {
      if (this.isDead(f)) report.dead++;
      else report.retrying++;
    }
    if (failures.length) await this.recordFailures(failures, owner, at());
    return report;
  }

  private async recordSent(sent: Sent[], owner: string, now: number): Promise<void> {
    if (!sent.length) return;
    const groups = new Map<string, Sent[]>();
    for (const s of sent) {
      const k = `${s.ackRequired}|${s.assessmentId ?? ''}`;
      groups.set(k, [...(groups.get(k) ?? []), s]);
    }
    // One short write per group, as soon as the relay accepted its sends (never held open across the
    // sends of an overlapping batch); for escalations and Critical briefings, whose "sent" is itself an
    // event (webhooks, chat), the rows its listeners write commit with the record.
    for (const list of groups.values()) {
      const escalations = list.filter((s) => ESCALATIONS.includes(s.kind));
      const critical = list.filter((s) => s.kind === 'briefing' && s.level === 'critical' && s.appearanceId && s.assessmentId);
      if (!escalations.length && !critical.length) {
        await this.db.write((m) => this.markSent(m, list, owner, now));
        continue;
      }
      await this.db.write(async (m) => {
        await this.markSent(m, list, owner, now);
        if (escalations.length) {
          const event: EscalationsSentEvent = {
            manager: m,
            actorId: null,
            at: now,
            notifications: escalations.map((s) => ({
              id: s.id,
              kind: s.kind as 'escalation' | 'ack_escalation',
              appearanceId: s.appearanceId,
              recipientId: s.recipientId,
              assessmentId: s.assessmentId,
            })),
          };
          await this.events.emitAsync(DomainEvents.EscalationsSent, event);
        }
        if (critical.length) {
          const event: CriticalBriefingsSentEvent = {
            manager: m,
            actorId: null,
            at: now,
            briefings: critical.map((s) => ({ id: s.id, appearanceId: s.appearanceId as string, assessmentId: s.assessmentId as string })),
          };
          await this.events.emitAsync(DomainEvents.CriticalBriefingsSent, event);
        }
      });
    }
  }

  private async markSent(m: EntityManager, list: Sent[], owner: string, now: number): Promise<void> {
    // one UPDATE per group, each row its own subject (recipients of one appearance mostly share one)
    const subjects = [...new Set(list.map((s) => s.subject))];
    const subjectParams = Object.fromEntries(subjects.map((s, i) => [`subject${i}`, s]));
    const subject = subjects.length === 1 ? () => ':subject0' : () => `CASE ${list.map((s, i) => `WHEN id = :sid${i} THEN :subject${subjects.indexOf(s.subject)}`).join(' ')} END`;
    const idParams = subjects.length === 1 ? {} : Object.fromEntries(list.map((s, i) => [`sid${i}`, s.id]));
    await m
      .createQueryBuilder()
      .update(Notification)
      .set({
        subject,
        status: 'sent',
        sentAt: now,
        updatedAt: now,
        leaseOwner: null,
        leaseUntil: null,
        lastError: null,
        ackRequired: list[0].ackRequired,
        assessmentId: list[0].assessmentId,
        messageId: () => `'<' || id || '@${this.cfg.messageDomain}>'`,
      })
      .where('id IN (:...ids)', { ids: list.map((s) => s.id) })
      .andWhere('lease_owner = :owner', { owner })
      .setParameters({ ...subjectParams, ...idParams })
      .execute();
  }

  private async recordWithdrawals(list: Withdrawal[], owner: string, now: number): Promise<void> {
    const byReason = new Map<string, string[]>();
    for (const w of list) byReason.set(w.reason, [...(byReason.get(w.reason) ?? []), w.notificationId]);
    for (const [reason, ids] of byReason) await markWithdrawn(this.db, ids, reason, owner, now);
  }

  /** Dead: refused for good, or out of attempts — except risk alerts, which retry until delivered. */
  private isDead(f: Failed): boolean {
    return f.permanent || (!f.alert && f.row.attempts >= this.cfg.maxAttempts);
  }

  /** Risk alerts back off to at most MAIL_ALERT_BACKOFF_MAX_MS, so they go out soon after the relay is back. */
  private retryDelay(f: Failed): number {
    const cap = f.alert ? Math.min(this.cfg.backoffMaxMs, this.cfg.alertBackoffMaxMs) : this.cfg.backoffMaxMs;
    return backoffMs(f.row.attempts, this.cfg.backoffBaseMs, cap);
  }

  /** Failures are rare and each gets its own jittered retry time, so these are row-by-row (each UPDATE atomic). */
  private async recordFailures(list: Failed[], owner: string, now: number): Promise<void> {
    for (const f of list) {
      const dead = this.isDead(f);
      await this.db.write((m) =>
        m
          .createQueryBuilder()
          .update(Notification)
          .set({
            status: dead ? 'dead' : 'retrying',
            lastError: f.error,
            ackRequired: f.row.ackRequired,
            nextAttemptAt: dead ? f.row.nextAttemptAt : now + this.retryDelay(f),
            updatedAt: now,
            leaseOwner: null,
            leaseUntil: null,
          })
          .where('id = :id AND lease_owner = :owner', { id: f.row.id, owner })
          .execute(),
      );
    }
    const dead = list.filter((f) => this.isDead(f)).length;
    this.logger.warn(`${list.length} notification(s) failed (${dead} dead): ${list[0].error}`);
  }
}
