/**
 * The states waiting for their upcoming appearances to be re-assessed (risk_pending_states), always
 * through the caller's manager: a request is recorded in the write that moved the state's wave and
 * undone with it; a state is cleared in the write that re-assessed it.
 */
import type { EntityManager } from 'typeorm';
import { query, sql } from '../database/sql';

type Row = Record<string, unknown>;

export interface PendingState {
  state: string;
  requestedAt: number;
  generation: number;
}

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
