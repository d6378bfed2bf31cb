import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DataSource, In } from 'typeorm';
import { mailConfig } from '../config';
import { MailDataLoader } from './mail-data.loader';
import { describeError, isPermanentFailure, Mailer } from './mailer.service';
import { ComposedMail, NotificationComposer, Withdrawal } from './notification-composer';
import { Notification } from './notification.entity';

export interface DispatchReport {
  claimed: number;
  sent: number;
  retrying: number;
  dead: number;
  withdrawn: number;
}

interface Sent {
  id: string;
  ackRequired: boolean;
  assessmentId: string | null;
}

interface Failed {
  row: Notification;
  error: string;
  permanent: boolean;
}

const FLUSH_EVERY = 25;

/** Exponential backoff with jitter: base·2^(n-1), capped, then a random 50–100% of it. */
export function backoffMs(attempts: number, base: number, cap: number, random: () => number = Math.random): number {
  const full = Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

/**
 * Delivers the outbox. Claims due rows with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one
 * UPDATE ... WHERE id IN (SELECT ... LIMIT n), SQLite having one writer), renders them from current
 * data, sends them through the pooled transport and records each outcome. At-least-once: a crash
 * between "accepted by SMTP" and "recorded" resends at most the unrecorded part of one batch (recorded
 * every FLUSH_EVERY sends), with the same Message-ID so the resend is recognisable. Expired leases
 * (a crashed worker's claim) are reclaimed.
 */
@Injectable()
export class NotificationDispatcher {
  private readonly logger = new Logger(NotificationDispatcher.name);
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private claims = 0;

  constructor(
    private readonly db: DataSource,
    @Inject(mailConfig.KEY) private readonly cfg: ConfigType<typeof mailConfig>,
    private readonly loader: MailDataLoader,
    private readonly composer: NotificationComposer,
    private readonly mailer: Mailer,
  ) {}

  /**
   * Sends everything due at `now` (claim, send, record, repeat until nothing is due). Two batches
   * overlap: the next one is claimed and rendered while the previous one is still on the wire, so
   * the SMTP pool never idles between batches.
   */
  async dispatchDue(now: number, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<DispatchReport> {
    const total: DispatchReport = { claimed: 0, sent: 0, retrying: 0, dead: 0, withdrawn: 0 };
    const size = opts.batchSize ?? this.cfg.batchSize;
    const running = new Set<Promise<void>>();
    let failure: unknown = null;
    for (let b = 0; b < (opts.maxBatches ?? Infinity) && failure === null; b++) {
      if (running.size >= 2) await Promise.race(running);
      const rows = await this.claim(now, size);
      if (!rows.length) break;
      const p: Promise<void> = this.process(rows, now)
        .then((r) => {
          for (const k of Object.keys(total) as (keyof DispatchReport)[]) total[k] += r[k];
        })
        .catch((err) => {
          failure = err;
        })
        .finally(() => running.delete(p));
      running.add(p);
      if (rows.length < size) break;
    }
    await Promise.all(running);
    if (failure !== null) throw failure;
    return total;
  }

  /** Claims up to `limit` due rows (or rows whose lease expired) for this worker. */
  async claim(now: number, limit: number): Promise<Notification[]> {
    const owner = `${this.instanceId}#${++this.claims}`;
    const leaseUntil = now + this.cfg.leaseMs;
    const due = `(status IN ('pending', 'retrying') AND next_attempt_at <= $3) OR (status = 'sending' AND lease_until < $3)`;
    if (this.db.options.type === 'postgres') {
      const res = await this.db.query(
        `UPDATE notifications SET status = 'sending', lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3
         WHERE id IN (SELECT id FROM notifications WHERE ${due} ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        [owner, leaseUntil, now, limit],
      );
      const ids: string[] = (Array.isArray(res[0]) ? res[0] : res).map((r: { id: string }) => r.id);
      return ids.length ? this.db.getRepository(Notification).find({ where: { id: In(ids) }, order: { nextAttemptAt: 'ASC' } }) : [];
    }
    await this.db.query(
      `UPDATE notifications SET status = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
       WHERE id IN (SELECT id FROM notifications WHERE ${due.replace(/\$3/g, '?')} ORDER BY next_attempt_at LIMIT ?)`,
      [owner, leaseUntil, now, now, now, limit],
    );
    return this.db.getRepository(Notification).find({ where: { leaseOwner: owner, status: 'sending' }, order: { nextAttemptAt: 'ASC' } });
  }

  /**
   * Renders and sends one claimed batch. Each worker renders the row it is about to send (rather than
   * rendering the whole batch up front), so rendering interleaves with SMTP round trips instead of
   * blocking the event loop while the pool's connections wait. Outcomes are recorded as they come.
   */
  private async process(rows: Notification[], now: number): Promise<DispatchReport> {
    const report: DispatchReport = { claimed: rows.length, sent: 0, retrying: 0, dead: 0, withdrawn: 0 };
    const owner = rows[0].leaseOwner as string;
    const data = await this.loader.load(rows);
    const withdrawals: Withdrawal[] = [];
    const failures: Failed[] = [];
    let pending: Sent[] = [];
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      const chunk = pending;
      pending = [];
      flushing = flushing.then(() => this.recordSent(chunk, owner, now));
      return flushing;
    };
    const sendOne = async (row: Notification) => {
      if (row.attempts > this.cfg.maxAttempts) {
        failures.push({ row, error: row.lastError ?? 'claimed too many times without a recorded outcome', permanent: true });
        return;
      }
      let mail: ComposedMail;
      try {
        const out = this.composer.compose(row, data, now);
        if (!('subject' in out)) return void withdrawals.push(out);
        mail = out;
      } catch (err) {
        this.logger.error(`Notification ${row.id} (${row.kind}) could not be rendered: ${describeError(err)}`);
        return void failures.push({ row, error: `render: ${describeError(err)}`, permanent: true });
      }
      try {
        await this.mailer.send(mail);
        pending.push({ id: row.id, ackRequired: mail.ackRequired, assessmentId: mail.assessmentId });
        report.sent++;
        if (pending.length >= FLUSH_EVERY) void flush();
      } catch (err) {
        failures.push({ row, error: describeError(err), permanent: isPermanentFailure(err) });
      }
    };
    // Bounded concurrency: enough in flight to keep every pooled connection busy.
    let next = 0;
    const worker = async () => {
      while (next < rows.length) await sendOne(rows[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(rows.length, this.cfg.maxConnections * 4) }, worker));
    await flush();
    if (withdrawals.length) await this.recordWithdrawals(withdrawals, owner, now);
    report.withdrawn = withdrawals.length;
    for (const f of failures) {
      if (f.permanent || f.row.attempts >= this.cfg.maxAttempts) report.dead++;
      else report.retrying++;
    }
    if (failures.length) await this.recordFailures(failures, owner, now);
    return report;
  }

  private async recordSent(sent: Sent[], owner: string, now: number): Promise<void> {
    if (!sent.length) return;
    const groups = new Map<string, Sent[]>();
    for (const s of sent) {
      const k = `${s.ackRequired}|${s.assessmentId ?? ''}`;
      groups.set(k, [...(groups.get(k) ?? []), s]);
    }
    // Each UPDATE is atomic on its own and the state change is idempotent: no transaction needed
    // (and none held open across the sends of an overlapping batch on SQLite's single connection).
    for (const list of groups.values()) {
      await this.db
        .createQueryBuilder()
        .update(Notification)
        .set({
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
        .execute();
    }
  }

  private async recordWithdrawals(list: Withdrawal[], owner: string, now: number): Promise<void> {
    const byReason = new Map<string, string[]>();
    for (const w of list) byReason.set(w.reason, [...(byReason.get(w.reason) ?? []), w.notificationId]);
    for (const [reason, ids] of byReason) {
      await this.db
        .createQueryBuilder()
        .update(Notification)
        .set({ status: 'withdrawn', lastError: reason, updatedAt: now, leaseOwner: null, leaseUntil: null })
        .where('id IN (:...ids)', { ids })
        .andWhere('lease_owner = :owner', { owner })
        .execute();
    }
  }

  /** Failures are rare and each gets its own jittered retry time, so these are row-by-row (each UPDATE atomic). */
  private async recordFailures(list: Failed[], owner: string, now: number): Promise<void> {
    for (const f of list) {
      const dead = f.permanent || f.row.attempts >= this.cfg.maxAttempts;
      await this.db
        .createQueryBuilder()
        .update(Notification)
        .set({
          status: dead ? 'dead' : 'retrying',
          lastError: f.error,
          nextAttemptAt: dead ? f.row.nextAttemptAt : now + backoffMs(f.row.attempts, this.cfg.backoffBaseMs, this.cfg.backoffMaxMs),
          updatedAt: now,
          leaseOwner: null,
          leaseUntil: null,
        })
        .where('id = :id AND lease_owner = :owner', { id: f.row.id, owner })
        .execute();
    }
    const dead = list.filter((f) => f.permanent || f.row.attempts >= this.cfg.maxAttempts).length;
    this.logger.warn(`${list.length} notification(s) failed (${dead} dead): ${list[0].error}`);
  }
}
