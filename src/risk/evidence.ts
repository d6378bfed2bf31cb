/**
 * Set-based evidence gathering (RISK_MODEL §2). A handful of GROUP BY queries, whatever the number
 * of appearances assessed; the same SQL on SQLite (3.52: exp) and PostgreSQL. As-of is respected:
 * only records with recorded_at (created_at for appearances) <= asOf count.
 *
 * Every number the queries use (as-of, decay rates, window starts, trust weights, topic masks) is a
 * bound parameter: the plans do not depend on it (SQLite here is built without STAT4, so a literal
 * tells its planner nothing a parameter does not; PostgreSQL plans an unnamed statement with its
 * parameters' values), and the text is built by the sql template (database/sql.ts).
 */
import type { EntityManager } from 'typeorm';
import { DISRUPTIVE_KINDS, IncidentKind, Stance, TOPICS } from '../common/enums';
import type { Topic, TopicRelation } from '../common/enums';
import { typed } from '../database/dialect';
import { query, Sql, sql } from '../database/sql';
import { DAY, LastOwnIncident, RateEvidence, RiskEvidence } from './model';
import type { RiskParams } from './params';

export interface InstitutionEvidence {
  institutionId: string;
  state: string;
  evidence: RiskEvidence;
}

type Row = Record<string, unknown>;

const emptyRate = (): RateEvidence => ({ n: 0, k: 0, severity: [0, 0, 0, 0] });

function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

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

/** One state's share of the organisation-wide sums: own record, wave and its 30-day count. */
export interface StateTotals {
  rate: RateEvidence;
  wave: number;
  recent30: number;
}

export const emptyTotals = (): StateTotals => ({ rate: emptyRate(), wave: 0, recent30: 0 });

/** Cached state totals with the instant they were read at. */
export interface CachedTotals extends StateTotals {
  asOf: number;
}

/**
 * Decay cached state totals from their as-of to a later one: 2^(−Δt/h) is exact for the own record
 * they hold and e^(−Δt/τ) for the wave; the 30-day count is kept as read.
 */
export function decayTotals(t: CachedTotals, asOf: number, p: RiskParams): StateTotals {
  const dt = Math.max(0, asOf - t.asOf);
  const f = Math.pow(2, -dt / (p.halfLifeOwnDays * DAY));
  return {
    rate: { n: t.rate.n * f, k: t.rate.k * f, severity: t.rate.severity.map((x) => x * f) as RateEvidence['severity'] },
    wave: t.wave * Math.exp(-dt / (p.waveTimescaleDays * DAY)),
    recent30: t.recent30,
  };
}

export interface GatherOptions {
  /**
   * Read only this one state (institution + state sums exact, via covering indexes); the
   * organisation-wide sums are `otherStates` (every other state's totals, from elsewhere) plus this
   * state's exact totals, instead of a scan of everything.
   */
  scopeState?: { state: string; otherStates: StateTotals };
  /**
   * Runs a group of the aggregate reads elsewhere, side by side with the others (DatabaseService.besideWrite
   * inside a write that has not written yet); without it every read runs in `m`, one after another.
   */
  beside?: <T>(fn: (m: EntityManager) => Promise<T>) => Promise<T>;
}

export interface Gathered {
  byInstitution: Map<string, RiskEvidence>;
  /** Organisation-wide totals (only when the whole organisation was read). */
  organisation: StateTotals | null;
  /** Exact totals per state read (every state, or the one scoped state). */
  states: Map<string, StateTotals>;
  /**
   * Adds institutions of the same scope (state or organisation) to byInstitution — only their
   * reception and last-incident look-ups are read; the aggregates already hold their sums — and
   * returns byInstitution.
   */
  extend(more: { id: string; state: string }[]): Promise<Map<string, RiskEvidence>>;
}

/** a + b, element-wise. */
export function addRates(a: RateEvidence, b: RateEvidence): RateEvidence {
  return { n: a.n + b.n, k: a.k + b.k, severity: a.severity.map((x, c) => x + b.severity[c]) as RateEvidence['severity'] };
}

export function addTotals(a: StateTotals, b: StateTotals): StateTotals {
  return { rate: addRates(a.rate, b.rate), wave: a.wave + b.wave, recent30: a.recent30 + b.recent30 };
}

export interface GatherContext {
  params: RiskParams;
  masks: RelationMasks;
  relations: Readonly<Record<Topic, TopicRelation>>;
}

/**
 * Evidence for every institution in `institutions`. Without options, one pass over everything:
 * institution, state and organisation sums are all exact. Institutions with no records get empty
 * evidence (pure prior).
 */
export async function gatherEvidence(m: EntityManager, asOf: number, institutions: { id: string; state: string }[], cx: GatherContext, opts: GatherOptions = {}): Promise<Gathered> {
  const scoped = opts.scopeState;
  const q = evidenceSql(asOf, cx.params, cx.masks, scoped?.state);
  const ids = [...new Set(institutions.map((i) => i.id))];
  const stateOf = new Map<string, string>(institutions.map((i) => [i.id, i.state]));

  // per-institution look-ups: one pass over the whole table beats a long IN list
  const scopeOf = (forIds: string[]): InstitutionScope => (forIds.length > 1000 ? null : forIds);
  const rec = new Map<string, { stance: Stance | null; declined: boolean }>();
  const last = new Map<string, LastOwnIncident>();
  const setPerInstitution = (receptionRows: Row[], lastOwnRows: Row[]) => {
    for (const r of receptionRows) rec.set(String(r.institution_id), { stance: (r.stance as Stance | null) ?? null, declined: num(r.declined) > 0 });
    for (const r of lastOwnRows) last.set(String(r.institution_id), { occurredAt: num(r.occurred_at), kind: r.kind as IncidentKind, severity: num(r.severity) });
  };
  const readPerInstitution = async (forIds: string[]) => {
    if (!forIds.length) return;
    setPerInstitution(await query(m, q.reception(scopeOf(forIds))), await query(m, q.lastOwn(scopeOf(forIds))));
  };
  let appRows: Row[];
  let hitRows: Row[];
  let incRows: Row[];
  if (opts.beside) {
    // the incident aggregate (the longest) here; the per-institution look-ups and the two appearance aggregates beside it
    const beside = opts.beside;
    const settled = await Promise.allSettled([
      query(m, q.incidents),
      beside(async (bm) => [await query(bm, q.reception(scopeOf(ids))), await query(bm, q.lastOwn(scopeOf(ids)))]),
      beside(async (bm) => [await query(bm, q.appearances), await query(bm, q.attached)]),
    ]);
    // every read has finished before a failure reaches the caller: a write never rolls back under a running statement
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [inc, per, apps] = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [Row[], Row[][], Row[][]];
    incRows = inc;
    [appRows, hitRows] = apps;
    setPerInstitution(per[0], per[1]);
  } else {
    await readPerInstitution(ids);
    appRows = await query(m, q.appearances);
    hitRows = await query(m, q.attached);
    incRows = await query(m, q.incidents);
  }

  // every institution the aggregates return is summed (not only those asked for): extend() can then
  // add more institutions of the scope with two per-institution look-ups, without re-reading the rest
  const inst = new Map<string, RateEvidence>();
  const states = new Map<string, StateTotals>();
  const org = emptyTotals();
  type Ctx = { aff: number; act: number; gen: number; critical: boolean; recent12: number; byTopic: number[] };
  const ctx = new Map<string, Ctx>();
  const totalsFor = (st: string) => {
    let r = states.get(st);
    if (!r) states.set(st, (r = emptyTotals()));
    return r;
  };
  const add = (id: string, st: string, n: number, k: number, sev?: number[]) => {
    let r = inst.get(id);
    if (!r) inst.set(id, (r = emptyRate()));
    for (const t of [totalsFor(st).rate, org.rate, r]) {
      t.n += n;
      t.k += k;
      if (sev) for (let c = 0; c < 4; c++) t.severity[c] += sev[c];
    }
  };

  for (const r of appRows) {
    const id = String(r.institution_id);
    const st = String(r.state ?? '');
    if (!stateOf.has(id)) stateOf.set(id, st);
    add(id, st, num(r.n), 0);
  }
  for (const r of incRows) {
    const id = String(r.institution_id);
    const st = String(r.state ?? '');
    if (!stateOf.has(id)) stateOf.set(id, st);
    const extra = num(r.unattached);
    add(id, st, extra, extra, [num(r.s1), num(r.s2), num(r.s3), num(r.s4)]);
    const t = totalsFor(st);
    t.wave += num(r.wave);
    t.recent30 += num(r.recent30);
    org.wave += num(r.wave);
    org.recent30 += num(r.recent30);
    ctx.set(id, {
      aff: num(r.a_aff),
      act: num(r.a_act),
      gen: num(r.a_gen),
      critical: num(r.critical) > 0,
      recent12: num(r.recent12),
      byTopic: TOPICS.map((_, i) => num(r[`t${i}`])),
    });
  }
  for (const r of hitRows) {
    const id = String(r.institution_id);
    add(id, stateOf.get(id) ?? '', num(r.n_extra), num(r.k));
  }

  if (scoped) {
    // the scoped state's bucket holds only records of that state: anything else read is dropped
    for (const st of [...states.keys()]) if (st !== scoped.state) states.delete(st);
    if (!states.has(scoped.state)) states.set(scoped.state, emptyTotals());
  }
  const organisation = scoped ? addTotals(scoped.otherStates, states.get(scoped.state) as StateTotals) : org;
  const noTopics = TOPICS.map(() => 0);
  const evidenceOf = (id: string): RiskEvidence => {
    const st = stateOf.get(id) ?? '';
    const c = ctx.get(id);
    const rc = rec.get(id);
    const s = states.get(st) ?? emptyTotals();
    return {
      institution: inst.get(id) ?? emptyRate(),
      state: s.rate,
      organisation: organisation.rate,
      affiliationActivity: c?.aff ?? 0,
      activityActivity: c?.act ?? 0,
      generalActivity: c?.gen ?? 0,
      stateWave: s.wave,
      nationalWave: organisation.wave,
      recent: { institution12m: c?.recent12 ?? 0, institutionByTopic12m: c?.byTopic ?? noTopics, state30d: s.recent30, national30d: organisation.recent30 },
      latestStance: rc?.stance ?? null,
      declinedRecently: rc?.declined ?? false,
      criticalRecently: c?.critical ?? false,
      lastOwnIncident: last.get(id) ?? null,
      relations: cx.relations,
    };
  };
  const out = new Map<string, RiskEvidence>();
  for (const id of ids) out.set(id, evidenceOf(id));
  const extend = async (more: { id: string; state: string }[]): Promise<Map<string, RiskEvidence>> => {
    const fresh = [...new Set(more.map((i) => i.id))].filter((id) => !out.has(id));
    for (const i of more) if (!stateOf.has(i.id)) stateOf.set(i.id, i.state);
    await readPerInstitution(fresh);
    for (const id of fresh) out.set(id, evidenceOf(id));
    return out;
  };
  return { byInstitution: out, organisation: scoped ? null : org, states, extend };
}
