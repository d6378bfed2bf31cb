/**
 * The per-state totals table (risk_state_totals): reads and writes, always through the caller's
 * manager, so a write lands in the transaction that re-read the state and is undone with it.
 */
import type { EntityManager } from 'typeorm';
import { query, sql } from '../database/sql';
import { CachedTotals, GatherContext, StateTotals } from './evidence';

type Row = Record<string, unknown>;
const COLUMNS = ['state', 'totals_key', 'as_of', 'n', 'k', 's1', 's2', 's3', 's4', 'wave', 'recent30'];
const COLUMNS_SQL = sql.raw(COLUMNS.join(', '));
const UPDATED = COLUMNS.filter((c) => c !== 'state');
const SET_UPDATED = sql.raw(UPDATED.map((c) => `${c} = excluded.${c}`).join(', '));

/** Totals depend on the parameter set (half-lives, trust) and the topic relations. */
export function totalsKey(cx: GatherContext): string {
  return `${cx.params.version}|${cx.masks.affiliation}|${cx.masks.activity}`;
}

/** Every stored state's totals as of their own pass (any key), by state. */
export async function readStateTotals(m: EntityManager): Promise<Map<string, CachedTotals & { key: string }>> {
  const rows = await query<Row>(m, sql`SELECT ${COLUMNS_SQL} FROM risk_state_totals`);
  const out = new Map<string, CachedTotals & { key: string }>();
  for (const r of rows) {
    out.set(String(r.state), {
      key: String(r.totals_key),
      asOf: Number(r.as_of),
      rate: { n: Number(r.n), k: Number(r.k), severity: [Number(r.s1), Number(r.s2), Number(r.s3), Number(r.s4)] },
      wave: Number(r.wave),
      recent30: Number(r.recent30),
    });
  }
  return out;
}

/**
 * Upserts these states' totals as of `asOf` under `key`. A state-scoped pass keeps a row already as
 * of a later instant under the same key (a concurrent pass read it later). A full pass (`replace`)
 * read everything as of `asOf`: it replaces every row, so rows of another key, of a state it did not
 * see (no records as of `asOf`) or as of a later instant (a clock that was ahead) are gone, and the
 * state-scoped passes that found them unusable can use the table again.
 */
export async function writeStateTotals(m: EntityManager, key: string, asOf: number, totals: Map<string, StateTotals>, replace = false): Promise<void> {
  const at = Math.trunc(asOf);
  if (replace) await query(m, sql`DELETE FROM risk_state_totals`);
  const entries = [...totals];
  if (!entries.length) return;
  const values = sql.join(
    entries.map(
      ([state, t]) =>
        sql`(${state}, ${key}, ${at}, ${t.rate.n}, ${t.rate.k}, ${t.rate.severity[0]}, ${t.rate.severity[1]}, ${t.rate.severity[2]}, ${t.rate.severity[3]}, ${t.wave}, ${Math.round(t.recent30)})`,
    ),
  );
  const guard = replace ? sql.empty : sql` WHERE risk_state_totals.as_of <= excluded.as_of OR risk_state_totals.totals_key <> excluded.totals_key`;
  await query(
    m,
    sql`INSERT INTO risk_state_totals (${COLUMNS_SQL}) VALUES ${values}
     ON CONFLICT (state) DO UPDATE SET ${SET_UPDATED}${guard}`,
  );
}
