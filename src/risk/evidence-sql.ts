/**
 * The evidence queries (RISK_MODEL §2): a handful of GROUP BY aggregates over appearances, incidents
 * and reception entries, the same SQL on SQLite and PostgreSQL; evidence.ts runs them and assembles
 * each institution's evidence.
 *
 * Every number the queries use (as-of, decay rates, window starts, trust weights, topic masks) is a
 * bound parameter: the plans do not depend on it (SQLite here is built without STAT4, so a literal
 * tells its planner nothing a parameter does not; PostgreSQL plans an unnamed statement with its
 * parameters' values), and the text is built by the sql template (database/sql.ts).
 */
import { DISRUPTIVE_KINDS, TOPICS } from '../common/enums';
import { typed } from '../database/dialect';
import { Sql, sql } from '../database/sql';
import { DAY } from './model';
import type { RiskParams } from './params';

/**
 * A fraction (decay rate, trust weight) as a parameter typed double precision: PostgreSQL would read
 * a bare parameter multiplied with a bigint column as bigint, and CASE branches of bare parameters as text.
 */
function real(x: number): Sql {
  return typed(sql`${x}`, 'double precision');
}

/** A computed number as a parameter: an integer as it is (it takes the column's type), a fraction as real(). */
function number(x: number): Sql {
  return Number.isInteger(x) ? sql`${x}` : real(x);
}

const KINDS_SQL = sql.raw(DISRUPTIVE_KINDS.map((k) => `'${k}'`).join(', '));

function trustSql(alias: string, p: RiskParams): Sql {
  const v = sql.raw(`${alias}.verification`);
  return sql`(CASE ${v} WHEN 'corroborated' THEN ${real(p.trust.corroborated)} WHEN 'disputed' THEN ${real(p.trust.disputed)} ELSE ${real(p.trust.reported)} END)`;
}

/**
 * Lowest exponent handed to exp(): PostgreSQL raises "value out of range: underflow" when exp()
 * (or a product) underflows to 0 (a record typed as year 1026 gives an exponent near −2000), while
 * e^−700 ≈ 1e−304 is still a normal double and far below anything that changes a sum.
 */
export const MIN_EXPONENT = -700;
/** The constant itself, written into the SQL like a keyword (it is the code's, never computed). */
const MIN_EXPONENT_SQL = sql.raw(String(MIN_EXPONENT));

/** exp(e) with e clamped at MIN_EXPONENT; a CASE expression both SQLite and PostgreSQL evaluate. */
export function clampedExpSql(exponent: Sql): Sql {
  return sql`exp(CASE WHEN ${exponent} < ${MIN_EXPONENT_SQL} THEN ${MIN_EXPONENT_SQL} ELSE ${exponent} END)`;
}

/** exp((t − T)·ln2/h) = 2^(−(T − t)/h), never underflowing. */
function decaySql(col: string, asOf: number, halfLifeDays: number): Sql {
  return clampedExpSql(sql`((${sql.raw(col)} - ${number(asOf)}) * ${real(Math.LN2 / (halfLifeDays * DAY))})`);
}

/** Topic masks of the organisation's relations (from the admin setting; integers, never user text). */
export interface RelationMasks {
  affiliation: number;
  activity: number;
}

/** Which institutions a per-institution look-up reads: these ids, or (null) every one. */
export type InstitutionScope = readonly string[] | null;

export interface EvidenceQueries {
  /** n from past appearances, per institution (with its state). */
  appearances: Sql;
  /** k (and n of cancelled-but-hit appearances) from incidents attached to past appearances. */
  attached: Sql;
  /** Unattached hits, severity classes, context by relation, wave, counts and critical flag per (state, institution). */
  incidents: Sql;
  /** Latest stance and declined-in-window per institution, of the institutions in scope. */
  reception(scope: InstitutionScope): Sql;
  /** The latest disruptive incident aimed at us per institution, of the institutions in scope. */
  lastOwn(scope: InstitutionScope): Sql;
}

/**
 * The aggregate queries. With `state` they read that state only, through the state-leading
 * covering indexes; without, the whole organisation.
 * Exported so the bench can time a bare SELECT of exactly the same aggregates.
 */
export function evidenceSql(asOf: number, p: RiskParams, masks: RelationMasks, state?: string): EvidenceQueries {
  const T = number(Math.trunc(asOf));
  const trustX = trustSql('x', p);
  const own = decaySql('x.occurred_at', asOf, p.halfLifeOwnDays);
  const ownA = decaySql('a.starts_at', asOf, p.halfLifeOwnDays);
  const ctx = decaySql('x.occurred_at', asOf, p.halfLifeContextDays);
  const orgHit = sql`x.target = 'organisation' AND x.kind IN (${KINDS_SQL})`;
  const sev = (c: number) => sql`SUM(CASE WHEN ${orgHit} AND x.severity = ${sql.raw(String(c))} THEN ${own} * ${trustX} ELSE 0 END) AS ${sql.raw(`s${c}`)}`;
  const criticalStart = number(Math.trunc(asOf - p.criticalWindowDays * DAY));
  const declinedStart = number(Math.trunc(asOf - p.declinedWindowDays * DAY));
  const yearStart = number(Math.trunc(asOf - 365 * DAY));
  const monthStart = number(Math.trunc(asOf - 30 * DAY));
  const aff = number(masks.affiliation);
  const act = number(masks.activity);
  const ours = number(masks.affiliation | masks.activity);
  const context = sql`x.target <> 'organisation'`;
  const isAff = sql`(x.topic_mask & ${aff}) <> 0`;
  const isAct = sql`((x.topic_mask & ${act}) <> 0 OR x.target = 'peer_recruiters')`;
  // what the event and the waves are about: aimed at us, or on our affiliation's or activity's topics
  const relevant = sql`(${orgHit} OR x.target = 'peer_recruiters' OR (x.topic_mask & ${ours}) <> 0)`;
  const topicCount = sql.join(
    TOPICS.map((_, i) => sql`SUM(CASE WHEN ${context} AND x.occurred_at >= ${yearStart} AND (x.topic_mask & ${number(1 << i)}) <> 0 THEN 1 ELSE 0 END) AS ${sql.raw(`t${i}`)}`),
  );
  const xState = state !== undefined ? sql`AND x.state = ${state}` : sql.empty;
  // Unary + keeps SQLite's planner off the non-covering (state, occurred_at) index for one state,
  // so it reads the covering ix_incidents_risk_evidence instead (13.9 → 1.2 ms in the bench).
  // PostgreSQL has the same unary + on bigint.
  const noIx = sql.raw(state !== undefined ? '+' : '');
  const aState = state !== undefined ? sql`AND a.institution_id IN (SELECT s.id FROM institutions s WHERE s.state = ${state})` : sql.empty;

  const appearances = sql`
    SELECT g.institution_id AS institution_id, i.state AS state, g.n AS n FROM (
      SELECT a.institution_id AS institution_id, SUM(${ownA}) AS n
      FROM appearances a
      WHERE a.starts_at <= ${T} AND a.created_at <= ${T} AND a.status <> 'cancelled' ${aState}
      GROUP BY a.institution_id
    ) g JOIN institutions i ON i.id = g.institution_id`;

  const attached = sql`
    SELECT a.institution_id AS institution_id,
           SUM(${ownA} * h.w) AS k,
           SUM(CASE WHEN a.status = 'cancelled' THEN ${ownA} ELSE 0 END) AS n_extra
    FROM (
      SELECT x.appearance_id AS appearance_id, MAX(${trustX}) AS w
      FROM incidents x
      WHERE x.appearance_id IS NOT NULL AND ${orgHit} AND ${noIx}x.recorded_at <= ${T} AND ${noIx}x.occurred_at <= ${T} ${xState}
      GROUP BY x.appearance_id
    ) h
    JOIN appearances a ON a.id = h.appearance_id
    WHERE a.starts_at <= ${T} AND a.created_at <= ${T}
    GROUP BY a.institution_id`;

  const incidents = sql`
    SELECT x.state AS state, x.institution_id AS institution_id,
           SUM(CASE WHEN ${orgHit} AND x.appearance_id IS NULL THEN ${own} * ${trustX} ELSE 0 END) AS unattached,
           ${sev(1)}, ${sev(2)}, ${sev(3)}, ${sev(4)},
           SUM(CASE WHEN ${context} AND ${isAff} THEN ${ctx} * ${trustX} ELSE 0 END) AS a_aff,
           SUM(CASE WHEN ${context} AND NOT ${isAff} AND ${isAct} THEN ${ctx} * ${trustX} ELSE 0 END) AS a_act,
           SUM(CASE WHEN ${context} AND NOT ${isAff} AND NOT ${isAct} THEN ${ctx} * ${trustX} ELSE 0 END) AS a_gen,
           SUM(CASE WHEN ${relevant}
                    THEN ${clampedExpSql(sql`((x.occurred_at - ${T}) * ${real(1 / (p.waveTimescaleDays * DAY))})`)} * ${trustX} ELSE 0 END) AS wave,
           SUM(CASE WHEN ${relevant} AND x.occurred_at >= ${monthStart} THEN 1 ELSE 0 END) AS recent30,
           SUM(CASE WHEN ${context} AND x.occurred_at >= ${yearStart} THEN 1 ELSE 0 END) AS recent12,
           ${topicCount},
           MAX(CASE WHEN x.target = 'organisation' AND x.severity >= 4 AND x.verification <> 'disputed'
                    AND x.occurred_at >= ${criticalStart} THEN 1 ELSE 0 END) AS critical
    FROM incidents x
    WHERE x.recorded_at <= ${T} AND x.occurred_at <= ${T} ${xState}
    GROUP BY x.state, x.institution_id`;

  const idsIn = (col: string, scope: InstitutionScope): Sql => (scope ? sql`AND ${sql.in(sql.raw(col), scope)}` : sql.empty);

  const reception = (scope: InstitutionScope) => sql`
    SELECT t.institution_id AS institution_id,
           MAX(CASE WHEN t.rn = 1 THEN t.stance ELSE NULL END) AS stance,
           MAX(CASE WHEN t.kind IN ('partnership_declined', 'invitation_declined') AND t.effective_at >= ${declinedStart} THEN 1 ELSE 0 END) AS declined
    FROM (
      SELECT r.institution_id, r.stance, r.kind, r.effective_at,
             ROW_NUMBER() OVER (PARTITION BY r.institution_id ORDER BY r.effective_at DESC, r.recorded_at DESC, r.id DESC) AS rn
      FROM reception_entries r
      WHERE r.recorded_at <= ${T} AND r.effective_at <= ${T} ${idsIn('r.institution_id', scope)}
        AND NOT EXISTS (SELECT 1 FROM reception_entries c WHERE c.supersedes_id = r.id AND c.recorded_at <= ${T})
    ) t
    GROUP BY t.institution_id`;

  const lastOwn = (scope: InstitutionScope) => sql`
    SELECT t.institution_id AS institution_id, t.occurred_at AS occurred_at, t.kind AS kind, t.severity AS severity FROM (
      SELECT x.institution_id, x.occurred_at, x.kind, x.severity,
             ROW_NUMBER() OVER (PARTITION BY x.institution_id ORDER BY x.occurred_at DESC, x.severity DESC, x.id DESC) AS rn
      FROM incidents x
      WHERE ${orgHit} AND x.recorded_at <= ${T} AND x.occurred_at <= ${T} AND x.verification <> 'disputed' ${idsIn('x.institution_id', scope)}
    ) t WHERE t.rn = 1`;

  return { appearances, attached, incidents, reception, lastOwn };
}
