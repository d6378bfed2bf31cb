/**
 * The states waiting for their upcoming appearances to be re-assessed (risk_pending_states): a
 * request is recorded through the caller's manager, in the write that moved the state's wave, and
 * undone with it; PendingStateDrain clears a state in the write that re-assessed it.
 */
import type { LoggerService } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DatabaseService } from '../database/database.service';
import { query, sql } from '../database/sql';
import { PENDING_LOCK_KEY } from './risk-locks';

type Row = Record<string, unknown>;

export interface PendingState {
  state: string;
  requestedAt: number;
  generation: number;
}

/** Looks again, a second apart, when another instance held the drain after a commit that asked for a state. */
const DRAIN_RETRIES = 10;

/** Asks for the state to be re-assessed; a request already waiting is renewed (one more generation; its time the later of the two). */
export async function requestState(m: EntityManager, state: string, at: number): Promise<void> {
  await query(
    m,
    sql`INSERT INTO risk_pending_states (state, requested_at, generation) VALUES (${state}, ${Math.trunc(at)}, 1)
        ON CONFLICT (state) DO UPDATE SET generation = risk_pending_states.generation + 1,
          requested_at = CASE WHEN excluded.requested_at > risk_pending_states.requested_at THEN excluded.requested_at ELSE risk_pending_states.requested_at END`,
  );
}

/** The state asked for longest ago (other than those in `skip`), or null. */
export async function oldestPendingState(m: EntityManager, skip: string[] = []): Promise<PendingState | null> {
  const other = skip.length ? sql`WHERE NOT ${sql.in(sql`state`, skip)}` : sql.empty;
  const [r] = await query<Row>(m, sql`SELECT state, requested_at, generation FROM risk_pending_states ${other} ORDER BY requested_at, state LIMIT 1`);
  return r ? { state: String(r.state), requestedAt: Number(r.requested_at), generation: Number(r.generation) } : null;
}

/** Clears the request that was re-assessed; one made since (a higher generation) stays. */
export async function clearPendingState(m: EntityManager, p: PendingState): Promise<void> {
  await query(m, sql`DELETE FROM risk_pending_states WHERE state = ${p.state} AND generation = ${p.generation}`);
}

/**
 * Works through the waiting states: oldest first, one write per state (`reassess` re-assesses it;
 * the row is cleared in the same write unless a request came meanwhile), until none waits. A state
 * that fails is logged and left for the next drain; the others go on. One drain at a time per
 * process (a call during one makes it go round again) and, on PostgreSQL, across instances (an
 * advisory lock).
 */
export class PendingStateDrain {
  private draining: Promise<number> | null = null;
  private again = false;
  private heldElsewhere = false;
  private closing = false;

  constructor(
    private readonly db: DatabaseService,
    private readonly logger: LoggerService,
    private readonly reassess: (m: EntityManager, pending: PendingState) => Promise<number>,
  ) {}

  /** Drains every waiting state; the appearances assessed. */
  drain(): Promise<number> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    if (this.closing) return Promise.resolve(0);
    this.draining = this.run().finally(() => (this.draining = null));
    return this.draining;
  }

  /**
   * After a commit that asked for a state. When another instance holds the drain it may have read the
   * table before this commit, so this one looks again a second later (a few times: without any
   * scheduler running, nothing else would).
   */
  soon(attempt = 0): void {
    if (this.closing) return;
    this.drain().then(
      () => {
        if (this.heldElsewhere && attempt < DRAIN_RETRIES && !this.closing) setTimeout(() => this.soon(attempt + 1), 1000).unref();
      },
      (e: unknown) => this.logger.warn(`re-assessing a state after its wave moved failed (retried by the scheduler): ${(e as Error).message}`),
    );
  }

  /** Waits for a drain in flight and starts no other. */
  async close(): Promise<void> {
    this.closing = true;
    await this.draining?.catch(() => undefined);
  }

  private async run(): Promise<number> {
    let total = 0;
    const failed: string[] = [];
    do {
      this.again = false;
      const ran = await this.db.withJobLock(PENDING_LOCK_KEY, async () => {
        let n = 0;
        while (!this.closing) {
          let state: string | null = null;
          try {
            const done = await this.db.write(async (m) => {
              const pending = await oldestPendingState(m, failed);
              if (!pending) return null;
              state = pending.state;
              const assessed = await this.reassess(m, pending);
              await clearPendingState(m, pending);
              return assessed;
            });
            if (done === null) break;
            n += done;
          } catch (e) {
            if (state === null) throw e;
            failed.push(state);
            this.logger.warn(`re-assessing ${state} after its wave moved failed (retried by the next drain): ${(e as Error).message}`);
          }
        }
        return n;
      });
      // null: another instance holds the drain (PostgreSQL); it may have looked before this commit
      this.heldElsewhere = ran === null;
      total += ran ?? 0;
    } while (this.again && !this.closing);
    return total;
  }
}
