/**
 * The whole history a fit or a back-test needs, read once with a handful of set-based SELECTs, and
 * the evidence of RISK_MODEL §2 at any (institution, as-of) computed offline by one time-ordered
 * sweep (every decayed sum kept as a running total decayed lazily), so a fit over 100,000
 * appearances and 200,000 incidents never runs a query per case. The sums are the SQL's
 * (evidence.ts): same filters (known = recorded and occurred by as-of), weights and half-lives —
 * test/risk-fit.e2e-spec.ts checks them against gatherEvidence.
 */
import type { EntityManager } from 'typeorm';
import { DISRUPTIVE_KINDS, Stance, TOPICS } from '../../common/enums';
import type { Verification } from '../../common/enums';
import { query, sql } from '../../database/sql';
import type { RelationMasks } from '../evidence-sql';
import type { AppearanceAttributes, RiskEvidence } from '../model';
import { DAY } from '../model';
import type { RiskParams } from '../params';
import { attributesFromRow } from '../risk-targets';

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';
const DISRUPTIVE = new Set<string>(DISRUPTIVE_KINDS);

export interface HistInstitution {
  id: string;
  state: string;
  kind: string;
  ownership: string | null;
  highestDegree: string | null;
  limitsImmigrationCooperation: boolean;
}

export interface HistIncident {
  institutionId: string;
  state: string;
  appearanceId: string | null;
  kind: string;
  occurredAt: number;
  recordedAt: number;
  severity: number;
  target: string;
  verification: Verification;
  topicMask: number;
}

export interface HistAppearance {
  id: string;
  institutionId: string;
  startsAt: number;
  createdAt: number;
  status: string;
  timeZone: string;
  attrs: AppearanceAttributes;
}

export interface HistReception {
  institutionId: string;
  id: string;
  stance: Stance;
  kind: string;
  effectiveAt: number;
  recordedAt: number;
  supersedesId: string | null;
}

export interface History {
  institutions: Map<string, HistInstitution>;
  incidents: HistIncident[];
  appearances: HistAppearance[];
  reception: Map<string, HistReception[]>;
}

export async function loadHistory(m: EntityManager): Promise<History> {
  const institutions = new Map<string, HistInstitution>();
  for (const r of await query<Row>(m, sql`SELECT id, state, kind, ownership, highest_degree, limits_immigration_cooperation FROM institutions`))
    institutions.set(String(r.id), {
      id: String(r.id),
      state: String(r.state ?? ''),
      kind: String(r.kind),
      ownership: (r.ownership as string | null) ?? null,
      highestDegree: (r.highest_degree as string | null) ?? null,
      limitsImmigrationCooperation: bool(r.limits_immigration_cooperation),
    });
  const incidents = (
    await query<Row>(m, sql`SELECT institution_id, state, appearance_id, kind, occurred_at, recorded_at, severity, target, verification, topic_mask FROM incidents ORDER BY occurred_at`)
  ).map((r) => ({
    institutionId: String(r.institution_id),
    state: String(r.state ?? ''),
    appearanceId: r.appearance_id === null || r.appearance_id === undefined ? null : String(r.appearance_id),
    kind: String(r.kind),
    occurredAt: num(r.occurred_at),
    recordedAt: num(r.recorded_at),
    severity: num(r.severity),
    target: String(r.target),
    verification: String(r.verification) as Verification,
    topicMask: num(r.topic_mask),
  }));
  const appearances = (
    await query<Row>(
      m,
      sql`SELECT a.id, a.institution_id, i.state, i.limits_immigration_cooperation, i.ownership, i.highest_degree, a.kind, a.format, a.audience,
            a.expected_attendance, a.visible_branding, a.protest_announced, a.starts_at, a.created_at, a.status, a.time_zone
     FROM appearances a JOIN institutions i ON i.id = a.institution_id ORDER BY a.starts_at`,
    )
  ).map((r) => ({
    id: String(r.id),
    institutionId: String(r.institution_id),
    startsAt: num(r.starts_at),
    createdAt: num(r.created_at),
    status: String(r.status),
    timeZone: String(r.time_zone),
    attrs: attributesFromRow(r),
  }));
  const reception = new Map<string, HistReception[]>();
  for (const r of await query<Row>(m, sql`SELECT id, institution_id, stance, kind, effective_at, recorded_at, supersedes_id FROM reception_entries`)) {
    const e: HistReception = {
      id: String(r.id),
      institutionId: String(r.institution_id),
      stance: r.stance as Stance,
      kind: String(r.kind),
      effectiveAt: num(r.effective_at),
      recordedAt: num(r.recorded_at),
      supersedesId: r.supersedes_id ? String(r.supersedes_id) : null,
    };
    const list = reception.get(e.institutionId) ?? [];
    list.push(e);
    reception.set(e.institutionId, list);
  }
  return { institutions, incidents, appearances, reception };
}

/** Whether an incident counts for the event p predicts (RISK_MODEL §1): aimed at us, or on our topics. */
export function isRelevant(x: Pick<HistIncident, 'kind' | 'target' | 'topicMask'>, masks: RelationMasks): boolean {
  if (!DISRUPTIVE.has(x.kind)) return false;
  return x.target === 'organisation' || x.target === 'peer_recruiters' || (x.topicMask & (masks.affiliation | masks.activity)) !== 0;
}

/** One query: the evidence at `asOf` for `institutionId`, answered by evidenceFor. */
export interface EvidenceQuery {
  institutionId: string;
  asOf: number;
}

/** A running Σ c·e^(−λ(T − t)) per key, decayed lazily to the time it is read or added to. */
class Decayed {
  /** One cell per key: its sum, as of `at`. */
  private readonly cells = new Map<string, { sum: number; at: number }>();
  constructor(private readonly lambda: number) {}
  add(key: string, now: number, t: number, c: number): void {
    const cell = this.cells.get(key);
    const term = c * Math.exp(-this.lambda * Math.max(0, now - t));
    if (!cell) {
      this.cells.set(key, { sum: term, at: now });
      return;
    }
    cell.sum = cell.sum * Math.exp(-this.lambda * (now - cell.at)) + term;
    cell.at = now;
  }
  get(key: string, now: number): number {
    const cell = this.cells.get(key);
    if (!cell) return 0;
    cell.sum *= Math.exp(-this.lambda * (now - cell.at));
    cell.at = now;
    return cell.sum;
  }
}

type SweepEvent = { at: number; apply: (now: number) => void };

/**
 * Evidence for every query, by one sweep in time order. Queries and records are sorted by the time
 * they become known; each record updates the running sums of its institution, state and the
 * organisation; each query reads them. Reception (short lists per institution) is read directly.
 */
export function evidenceFor(h: History, queries: EvidenceQuery[], params: RiskParams, masks: RelationMasks, relations: RiskEvidence['relations']): RiskEvidence[] {
  const own = (halfLife: number) => new Decayed(Math.LN2 / (halfLife * DAY));
  const n = own(params.halfLifeOwnDays);
  const k = own(params.halfLifeOwnDays);
  const ctx = own(params.halfLifeContextDays);
  const wave = new Decayed(1 / (params.waveTimescaleDays * DAY));
  const trust = params.trust;
  const events: SweepEvent[] = [];
  const stateOf = (id: string) => h.institutions.get(id)?.state ?? '';
  // every key string made once (the sweep reads and adds hundreds of thousands of times)
  const stateKeys = new Map<string, string>();
  const stateKey = (state: string) => {
    let key = stateKeys.get(state);
    if (key === undefined) stateKeys.set(state, (key = `s:${state}`));
    return key;
  };
  const instKeys = new Map<string, { own: string; aff: string; act: string; gen: string }>();
  const keysOf = (inst: string) => {
    let key = instKeys.get(inst);
    if (key === undefined) instKeys.set(inst, (key = { own: `i:${inst}`, aff: `aff:${inst}`, act: `act:${inst}`, gen: `gen:${inst}` }));
    return key;
  };
  const ownKeys = (inst: string, state: string) => [keysOf(inst).own, stateKey(state), 'o'];
  const hitTrust = new Map<string, { known: number; w: number }>();
  for (const x of h.incidents) {
    const known = Math.max(x.recordedAt, x.occurredAt);
    const w = trust[x.verification] ?? trust.reported;
    const orgHit = x.target === 'organisation' && DISRUPTIVE.has(x.kind);
    if (orgHit && x.appearanceId) {
      const prev = hitTrust.get(x.appearanceId);
      hitTrust.set(x.appearanceId, { known: Math.min(prev?.known ?? Infinity, known), w: Math.max(prev?.w ?? 0, w) });
    } else if (orgHit) {
      events.push({
        at: known,
        apply: (now) => {
          for (const key of ownKeys(x.institutionId, x.state)) {
            n.add(key, now, x.occurredAt, w);
            k.add(key, now, x.occurredAt, w);
          }
        },
      });
    }
    if (x.target !== 'organisation') {
      const bucket = (x.topicMask & masks.affiliation) !== 0 ? 'aff' : (x.topicMask & masks.activity) !== 0 || x.target === 'peer_recruiters' ? 'act' : 'gen';
      const key = keysOf(x.institutionId)[bucket];
      events.push({ at: known, apply: (now) => ctx.add(key, now, x.occurredAt, w) });
    }
    // the wave's incidents, as the SQL's: aimed at us (disruptive), against peer recruiters, or on our topics
    if (orgHit || x.target === 'peer_recruiters' || (x.topicMask & (masks.affiliation | masks.activity)) !== 0) {
      events.push({
        at: known,
        apply: (now) => {
          wave.add(stateKey(x.state), now, x.occurredAt, w);
          wave.add('o', now, x.occurredAt, w);
        },
      });
    }
  }
  for (const a of h.appearances) {
    const state = stateOf(a.institutionId);
    const known = Math.max(a.startsAt, a.createdAt);
    if (a.status !== 'cancelled') events.push({ at: known, apply: (now) => ownKeys(a.institutionId, state).forEach((key) => n.add(key, now, a.startsAt, 1)) });
    const hit = hitTrust.get(a.id);
    if (hit) {
      events.push({
        at: Math.max(known, hit.known),
        apply: (now) => {
          for (const key of ownKeys(a.institutionId, state)) {
            k.add(key, now, a.startsAt, hit.w);
            if (a.status === 'cancelled') n.add(key, now, a.startsAt, 1);
          }
        },
      });
    }
  }
  events.sort((x, y) => x.at - y.at);
  const order = queries.map((_, i) => i).sort((x, y) => queries[x].asOf - queries[y].asOf);
  const out: RiskEvidence[] = new Array(queries.length);
  const zeros = TOPICS.map(() => 0);
  let e = 0;
  for (const qi of order) {
    const q = queries[qi];
    const T = q.asOf;
    for (; e < events.length && events[e].at <= T; e++) events[e].apply(events[e].at);
    const sKey = stateKey(stateOf(q.institutionId));
    const iKeys = keysOf(q.institutionId);
    const rate = (key: string) => ({ n: n.get(key, T), k: k.get(key, T), severity: [0, 0, 0, 0] as [number, number, number, number] });
    const rec = receptionAt(h.reception.get(q.institutionId) ?? [], T, params);
    out[qi] = {
      institution: rate(iKeys.own),
      state: rate(sKey),
      organisation: rate('o'),
      affiliationActivity: ctx.get(iKeys.aff, T),
      activityActivity: ctx.get(iKeys.act, T),
      generalActivity: ctx.get(iKeys.gen, T),
      stateWave: wave.get(sKey, T),
      nationalWave: wave.get('o', T),
      recent: { institution12m: 0, institutionByTopic12m: zeros, state30d: 0, national30d: 0 },
      latestStance: rec.stance,
      declinedRecently: rec.declined,
      criticalRecently: false,
      lastOwnIncident: null,
      relations,
    };
  }
  return out;
}

/** Latest stance and declined-in-window at T, as the reception SQL of evidence.ts reads them. */
function receptionAt(list: HistReception[], T: number, params: RiskParams): { stance: Stance | null; declined: boolean } {
  const superseded = new Set(list.filter((c) => c.supersedesId && c.recordedAt <= T).map((c) => c.supersedesId as string));
  const known = list.filter((r) => r.recordedAt <= T && r.effectiveAt <= T && !superseded.has(r.id));
  if (!known.length) return { stance: null, declined: false };
  known.sort((a, b) => b.effectiveAt - a.effectiveAt || b.recordedAt - a.recordedAt || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0));
  const since = T - params.declinedWindowDays * DAY;
  return { stance: known[0].stance, declined: known.some((r) => (r.kind === 'partnership_declined' || r.kind === 'invitation_declined') && r.effectiveAt >= since) };
}
