import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Clock } from '../common/clock';
import { DatabaseService } from '../database/database.service';
import { mailConfig, webhooksConfig } from '../config';
import type { Notification } from '../notifications/notification.entity';
import { AttemptRecord, backoffMs, claimDue, GroupCommit, markDelivered, markFailed, markWithdrawn, renewLeases } from '../notifications/outbox-claims';
import { DeliveryFailedError } from './delivery-client';
import { DeliverySender } from './delivery-sender';
import { DeliveryTargets } from './delivery-targets';

export interface DeliveryReport {
  claimed: number;
  delivered: number;
  retrying: number;
  dead: number;
  withdrawn: number;
}

const CHANNELS = ['webhook', 'slack', 'teams'] as const;

/**
 * Delivers the outbox's webhook and chat rows with the mail dispatcher's guarantees: leased claims
 * (FOR UPDATE SKIP LOCKED on PostgreSQL), leases renewed while a batch runs (a killed worker's rows
 * are taken over one lease later), each accepted delivery recorded as soon as it is answered (a
 * crash resends at most the deliveries in flight — with the same webhook-id), backoff with jitter,
 * dead after WEBHOOK_MAX_ATTEMPTS or at once when the URL policy refuses the address.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}:hooks`;
  private claims = 0;
  private readonly held = new Set<string>();

  constructor(
    private readonly db: DatabaseService,
    @Inject(webhooksConfig.KEY) private readonly cfg: ConfigType<typeof webhooksConfig>,
    @Inject(mailConfig.KEY) private readonly mail: ConfigType<typeof mailConfig>,
    private readonly targets: DeliveryTargets,
    private readonly sender: DeliverySender,
    private readonly clock: Clock,
  ) {}

  /** Delivers everything due at `now` (claim, send, record, until nothing is due); later steps move with the injected clock. */
  async dispatchDue(now: number, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<DeliveryReport> {
    const started = this.clock.now();
    const at = () => now + (this.clock.now() - started);
    const total: DeliveryReport = { claimed: 0, delivered: 0, retrying: 0, dead: 0, withdrawn: 0 };
    const size = opts.batchSize ?? this.cfg.batchSize;
    const renewal = setInterval(
      () => void renewLeases(this.db, [...this.held], at() + this.mail.leaseMs).catch((err) => this.logger.warn(`Lease renewal failed: ${(err as Error).message}`)),
      Math.max(250, Math.floor(this.mail.leaseMs / 3)),
    );
    renewal.unref();
    try {
      for (let b = 0; b < (opts.maxBatches ?? Infinity); b++) {
        const owner = `${this.instanceId}#${++this.claims}`;
        const rows = await claimDue(this.db, { owner, now: at(), leaseMs: this.mail.leaseMs, limit: size, channels: CHANNELS });
        if (!rows.length) break;
        this.held.add(owner);
        try {
          const r = await this.process(rows, owner, at);
          for (const k of Object.keys(total) as (keyof DeliveryReport)[]) total[k] += r[k];
        } finally {
          this.held.delete(owner);
        }
        if (rows.length < size) break;
      }
    } finally {
      clearInterval(renewal);
    }
    return total;
  }

  private async process(rows: Notification[], owner: string, at: () => number): Promise<DeliveryReport> {
    const report: DeliveryReport = { claimed: rows.length, delivered: 0, retrying: 0, dead: 0, withdrawn: 0 };
    const targets = await this.targets.forBatch(rows, at());
    const gone = rows.filter((r) => !targets.has(r.id)).map((r) => r.id);
    await markWithdrawn(this.db, gone, 'the endpoint or chat URL was removed or switched off', owner, at());
    report.withdrawn = gone.length;
    // Group commit: an answered delivery is recorded at once (a crash resends only what is in flight).
    const commit = new GroupCommit<AttemptRecord>((chunk) => markDelivered(this.db, chunk, owner, at()));
    const sendOne = async (row: Notification) => {
      const target = targets.get(row.id);
      if (!target) return;
      if (row.attempts > this.cfg.maxAttempts) {
        report.dead++;
        return markFailed(
          this.db,
          {
            id: row.id,
            responseCode: row.responseCode,
            latencyMs: row.latencyMs,
            excerpt: row.responseExcerpt,
            error: row.lastError ?? 'claimed too many times without a recorded outcome',
            nextAttemptAt: null,
          },
          owner,
          at(),
        );
      }
      try {
        const r = await this.sender.send(row, target, at());
        const attempt = { id: row.id, responseCode: r.status, latencyMs: r.latencyMs, excerpt: r.excerpt || null };
        if (r.status >= 200 && r.status < 300) {
          report.delivered++;
          return commit.push(attempt);
        }
        await this.fail(row, { ...attempt, error: `HTTP ${r.status}` }, false, owner, at(), report);
      } catch (err) {
        const failed = err instanceof DeliveryFailedError ? err : null;
        await this.fail(row, { id: row.id, responseCode: null, latencyMs: failed?.latencyMs ?? null, excerpt: null, error: (err as Error).message }, failed?.permanent ?? false, owner, at(), report);
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < rows.length) await sendOne(rows[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(rows.length, this.cfg.concurrency) }, worker));
    await commit.drain();
    return report;
  }

  private async fail(row: Notification, a: AttemptRecord & { error: string }, permanent: boolean, owner: string, now: number, report: DeliveryReport): Promise<void> {
    const dead = permanent || row.attempts >= this.cfg.maxAttempts;
    if (dead) report.dead++;
    else report.retrying++;
    await markFailed(this.db, { ...a, nextAttemptAt: dead ? null : now + backoffMs(row.attempts, this.cfg.backoffBaseMs, this.cfg.backoffMaxMs) }, owner, now);
    this.logger.warn(`Delivery ${row.id} (${row.channel} ${row.eventType}) failed${dead ? ' for good' : ''}: ${a.error}`);
  }
}
