/**
 * Set-based evidence gathering (RISK_MODEL §2). A handful of GROUP BY queries, whatever the number
 * of appearances assessed; the same SQL on SQLite (3.52: exp) and PostgreSQL. As-of is respected:
 * only records with recorded_at (created_at for appearances) <= asOf count.
 *
 * The queries themselves are in evidence-sql.ts; this file runs them and assembles the evidence.
 */
import { breather } from '../common/breather';
import type { EntityManager } from 'typeorm';
import { IncidentKind, Stance, TOPICS } from '../common/enums';
import type { Topic, TopicRelation } from '../common/enums';
import { query } from '../database/sql';
import { evidenceSql, InstitutionScope, RelationMasks } from './evidence-sql';
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

  // every institution the aggregates return is summed (not only those asked for): the state's and the
  // organisation's sums are made of them all
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

  // a full pass sums thousands of rows: let requests in between (the refresh's other stretches are as
  // short); a one-state pass (a request's re-assessment, holding the writer) sums few and does not yield
  const breathe = scoped ? async () => undefined : breather(3);
  for (const r of appRows) {
    await breathe();
    const id = String(r.institution_id);
    const st = String(r.state ?? '');
    if (!stateOf.has(id)) stateOf.set(id, st);
    add(id, st, num(r.n), 0);
  }
  for (const r of incRows) {
    await breathe();
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
    await breathe();
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
  for (const id of ids) {
    await breathe();
    out.set(id, evidenceOf(id));
  }
  return { byInstitution: out, organisation: scoped ? null : org, states };
}
