import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { TooManyRequestsError } from '../common/errors';
import { query, sql } from '../database/sql';
import { DatabaseService } from '../database/database.service';

export interface Limit {
  bucket: string;
  limit: number;
  windowMs: number;
}

/**
 * Fixed-window attempt counters in the database (attempt_counters), so every instance — and both
 * sign-in forms — count the same attempts. A hit is one upsert that starts a new window when the old
 * one is over (atomic on SQLite and PostgreSQL), then a read of the count.
 */
@Injectable()
export class AttemptLimiter {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {}

  /** Counts one attempt in each bucket; throws 429 when any of them is over its limit. */
  async hit(limits: Limit[], message: string): Promise<void> {
    let over = false;
    for (const l of limits) {
      if ((await this.increment(l)) > l.limit) over = true;
    }
    if (over) throw new TooManyRequestsError(message);
  }

  /** Throws 429 when the bucket is already at its limit, without counting. */
  async check(l: Limit, message: string): Promise<void> {
    const start = this.clock.now() - l.windowMs;
    const [row] = await this.db.read((m) => query<{ hits: number }>(m, sql`SELECT hits FROM attempt_counters WHERE bucket = ${key(l.bucket)} AND window_start > ${start}`));
    if (row && Number(row.hits) >= l.limit) throw new TooManyRequestsError(message);
  }

  /** Forgets a bucket (a successful sign-in), and windows over a day old: no limit's window is longer. */
  async clear(bucket: string): Promise<void> {
    await this.db.write((m) => query(m, sql`DELETE FROM attempt_counters WHERE bucket = ${key(bucket)} OR window_start < ${this.clock.now() - STALE_MS}`));
  }

  /** The count after this hit (the upsert is atomic; the read after it may include a concurrent hit, never miss this one). */
  private async increment(l: Limit): Promise<number> {
    const now = this.clock.now();
    const bucket = key(l.bucket);
    const start = now - l.windowMs;
    await this.db.write((m) =>
      query(
        m,
        sql`INSERT INTO attempt_counters (bucket, window_start, hits) VALUES (${bucket}, ${now}, 1)
       ON CONFLICT (bucket) DO UPDATE SET
         hits = CASE WHEN attempt_counters.window_start <= ${start} THEN 1 ELSE attempt_counters.hits + 1 END,
         window_start = CASE WHEN attempt_counters.window_start <= ${start} THEN ${now} ELSE attempt_counters.window_start END`,
      ),
    );
    const [row] = await this.db.read((m) => query<{ hits: number }>(m, sql`SELECT hits FROM attempt_counters WHERE bucket = ${bucket}`));
    return Number(row?.hits ?? 1);
  }
}

/** Windows are at most a day long (LOGIN_*_WINDOW_SECONDS ≤ 86400; feed misses: a minute). */
const STALE_MS = 86_400_000;

/** Buckets hold an address or an e-mail address; the column takes 320 characters. */
const key = (bucket: string) => bucket.slice(0, 320);
