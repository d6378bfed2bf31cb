import { STANCES } from '../common/enums';
import { Sql, sql } from '../database/sql';

/**
 * The reception ledger's predicates, defined here once for every module that reads the ledger in SQL.
 *
 * An entry is in force when no later entry supersedes it (a correction replaces the entry it names).
 * `alias` is the entry's row in the caller's query.
 */
export function entryInForce(alias = 'e'): Sql {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias) || alias === 's') throw new TypeError(`entryInForce: not a usable alias: ${alias}`);
  return sql.raw(`NOT EXISTS (SELECT 1 FROM reception_entries s WHERE s.supersedes_id = ${alias}.id)`);
}

/** The stance a rank stands for when a stance is unknown (and for "no entry yet" in the reports). */
export const NEUTRAL_RANK = STANCES.indexOf('neutral');

/**
 * A stance column as a number, best (0, welcoming) to worst (hostile): its place in STANCES,
 * generated from the enum; anything else counts as neutral.
 */
export function stanceRank(col: Sql): Sql {
  const whens = STANCES.map((s, i) => {
    if (!/^[a-z_]+$/.test(s)) throw new TypeError(`stanceRank: not a plain stance: ${s}`);
    return `WHEN '${s}' THEN ${i}`;
  }).join(' ');
  return sql`CASE ${col} ${sql.raw(whens)} ELSE ${sql.raw(String(NEUTRAL_RANK))} END`;
}
