import { In } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { isPostgres, typed } from '../database/dialect';
import { query, sql } from '../database/sql';
import type { OutboxChannel } from '../common/enums';
import { Notification } from './notification.entity';

export interface ClaimRequest {
  /** This claim's lease owner (instance id + a counter). */
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
  /** The channels the claiming dispatcher delivers (mail: email; webhooks: webhook, slack, teams). */
  channels: readonly OutboxChannel[];
}

/**
 * Claims up to `limit` due rows of the given channels (or rows whose lease expired) for one
 * dispatcher: PostgreSQL: UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED), so instances
 * never claim the same row; SQLite: one UPDATE ... WHERE id IN (SELECT ... LIMIT n), SQLite having
 * one writer. Each claim counts an attempt.
 */
export function claimDue(database: DatabaseService, c: ClaimRequest): Promise<Notification[]> {
  return database.write(async (db) => {
    const leaseUntil = c.now + c.leaseMs;
    const due = sql`${sql.in(sql`channel`, c.channels)} AND ((status IN ('pending', 'retrying') AND next_attempt_at <= ${c.now}) OR (status = 'sending' AND lease_until < ${c.now}))`;
    const claim = sql`UPDATE notifications SET status = 'sending', lease_owner = ${c.owner}, lease_until = ${leaseUntil}, attempts = attempts + 1, updated_at = ${c.now}`;
    if (isPostgres(database)) {
      const res = await query<unknown>(db, sql`${claim} WHERE id IN (SELECT id FROM notifications WHERE ${due} ORDER BY next_attempt_at LIMIT ${c.limit} FOR UPDATE SKIP LOCKED) RETURNING id`);
      const ids: string[] = ((Array.isArray(res[0]) ? res[0] : res) as { id: string }[]).map((r) => r.id);
      return ids.length ? db.getRepository(Notification).find({ where: { id: In(ids) }, order: { nextAttemptAt: 'ASC' } }) : [];
    }
    await query(db, sql`${claim} WHERE id IN (SELECT id FROM notifications WHERE ${due} ORDER BY next_attempt_at LIMIT ${c.limit})`);
    return db.getRepository(Notification).find({ where: { leaseOwner: c.owner, status: 'sending' }, order: { nextAttemptAt: 'ASC' } });
  });
}

/** The unfinished and dead outbox rows of some channels, by channel and status (for /health). */
export async function outboxCounts(db: DatabaseService, channels: readonly OutboxChannel[]): Promise<{ channel: OutboxChannel; status: string; n: number }[]> {
  const rows = await db.read((m) =>
    query<{ channel: OutboxChannel; status: string; n: string | number }>(
      m,
      sql`SELECT channel, status, COUNT(*) AS n FROM notifications WHERE ${sql.in(sql`channel`, channels)} AND status IN ('pending', 'sending', 'retrying', 'dead') GROUP BY channel, status`,
    ),
  );
  return rows.map((r) => ({ channel: r.channel, status: r.status, n: Number(r.n) }));
}

/** Per status, summed over channels. */
export function byStatus(counts: { status: string; n: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) out[c.status] = (out[c.status] ?? 0) + c.n;
  return out;
}

/** Extends the leases of the claims a running worker still holds. */
export async function renewLeases(database: DatabaseService, owners: string[], leaseUntil: number): Promise<void> {
  if (!owners.length) return;
  await database.write((m) =>
    m.createQueryBuilder().update(Notification).set({ leaseUntil }).where('lease_owner IN (:...owners)', { owners }).andWhere('status = :sending', { sending: 'sending' }).execute(),
  );
}

/** One attempt's answer, as the delivery log keeps it. */
export interface AttemptRecord {
  id: string;
  responseCode: number | null;
  latencyMs: number | null;
  excerpt: string | null;
}

const RECORD_CHUNK = 100;

/**
 * Webhook and chat deliveries the receiver accepted: one UPDATE per chunk (each row's code, latency
 * and excerpt by CASE), only for rows this claim still holds.
 */
export function markDelivered(database: DatabaseService, list: AttemptRecord[], owner: string, now: number): Promise<void> {
  return database.write(async (db) => {
    for (let i = 0; i < list.length; i += RECORD_CHUNK) {
      const chunk = list.slice(i, i + RECORD_CHUNK);
      const cases = (col: 'responseCode' | 'latencyMs' | 'excerpt', type: 'integer' | 'varchar') =>
        sql`CASE id ${sql.join(
          chunk.map((r) => sql`WHEN ${r.id} THEN ${typed(sql`${r[col]}`, type)}`),
          ' ',
        )} END`;
      await query(
        db,
        sql`UPDATE notifications SET status = 'sent', sent_at = ${now}, updated_at = ${now}, lease_owner = NULL, lease_until = NULL, last_error = NULL,
          response_code = ${cases('responseCode', 'integer')}, latency_ms = ${cases('latencyMs', 'integer')}, response_excerpt = ${cases('excerpt', 'varchar')}
          WHERE ${sql.in(
            sql`id`,
            chunk.map((r) => r.id),
          )} AND lease_owner = ${owner}`,
      );
    }
  });
}

/** A failed attempt: retrying at `nextAttemptAt`, or dead (nextAttemptAt null). */
export async function markFailed(database: DatabaseService, r: AttemptRecord & { error: string; nextAttemptAt: number | null }, owner: string, now: number): Promise<void> {
  await database.write((m) =>
    m
      .createQueryBuilder()
      .update(Notification)
      .set({
        status: r.nextAttemptAt === null ? 'dead' : 'retrying',
        lastError: r.error.slice(0, 500),
        responseCode: r.responseCode,
        latencyMs: r.latencyMs,
        responseExcerpt: r.excerpt,
        ...(r.nextAttemptAt === null ? {} : { nextAttemptAt: r.nextAttemptAt }),
        updatedAt: now,
        leaseOwner: null,
        leaseUntil: null,
      })
      .where('id = :id AND lease_owner = :owner', { id: r.id, owner })
      .execute(),
  );
}

/** Deliveries whose target is gone (endpoint deleted or switched off, chat URL removed). */
export async function markWithdrawn(database: DatabaseService, ids: string[], reason: string, owner: string, now: number): Promise<void> {
  if (!ids.length) return;
  await database.write((m) =>
    m
      .createQueryBuilder()
      .update(Notification)
      .set({ status: 'withdrawn', lastError: reason, updatedAt: now, leaseOwner: null, leaseUntil: null })
      .where('id IN (:...ids)', { ids })
      .andWhere('lease_owner = :owner', { owner })
      .execute(),
  );
}

/**
 * Group commit for a dispatcher's outcomes: each is written as soon as it comes; those that arrive
 * while a write is running go together in the next one. `drain()` waits for all and rethrows the
 * first write failure.
 */
export class GroupCommit<T> {
  private pending: T[] = [];
  private writing: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  push(item: T): Promise<void> {
    this.pending.push(item);
    return this.flush();
  }

  private flush(): Promise<void> {
    this.writing ??= (async () => {
      try {
        while (this.pending.length) {
          const chunk = this.pending;
          this.pending = [];
          await this.write(chunk);
        }
      } catch (err) {
        this.failure ??= err;
      } finally {
        this.writing = null;
      }
    })();
    return this.writing;
  }

  async drain(): Promise<void> {
    while (this.writing || this.pending.length) await this.flush();
    if (this.failure !== null) throw this.failure as Error;
  }
}

/**
 * The sends of a dispatcher between "on the wire" and "recorded", at most `size` (one per pooled
 * SMTP connection) across every batch in flight: two batches overlap, and each one's workers wait
 * for their own records only, so without a shared count a connection could be handed a second
 * message while the relay's acceptance of its first one was still being written. A crash resends
 * exactly these, so at most one message per connection.
 */
export class SendSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = Math.max(1, Math.floor(size));
  }

  /** Runs fn holding a slot (waits for one, first come first served). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** Exponential backoff with jitter: base·2^(n-1), capped, then a random 50–100% of it. */
export function backoffMs(attempts: number, base: number, cap: number, random: () => number = Math.random): number {
  const full = Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}
