/**
 * The risk model as pure functions (RISK_MODEL.md): no Nest, no database, no clock.
 * Evidence aggregates + appearance attributes + a parameter set → probabilities, level, factors.
 * The words (reasons, mitigations) are in risk-explain.ts.
 */
import type { AppearanceFormat, AppearanceKind, Audience, IncidentKind, RiskLevel, Stance, Topic, TopicRelation, Verification } from '../common/enums';
import { betaQuantile, expectSigmoid, LogitBetaGrid, logitBetaGrid } from './beta';
import { explainNotes, factorLabel, factorSentences, factorText, levelMeaning, recommend } from './risk-explain';
import { r6 } from './round';
import type { Mitigation } from './mitigations';
import type { FeatureId, RiskParams } from './params';

export const DAY = 86_400_000;

/** Decayed sums for one level of the hierarchy (institution, state or organisation), inclusive. */
export interface RateEvidence {
  /** Σ d_j over past appearances (+ incidents aimed at us with no appearance). */
  n: number;
  /** Σ d_j·Y_j over those with a disruptive incident aimed at the organisation. */
  k: number;
  /** Decayed counts of incidents aimed at the organisation by severity class 1..4 (index 0..3). */
  severity: [number, number, number, number];
}

/** Plain counts for the reasons (not decayed): what a recruiter can check. */
export interface RecentCounts {
  /** Incidents not aimed at us recorded at the institution in the last 12 months. */
  institution12m: number;
  /** The same by topic (index = TOPICS), an incident counted once per topic it has. */
  institutionByTopic12m: number[];
  /** Affiliation- or activity-topic incidents (and incidents aimed at us) in the state / nationwide, last 30 days. */
  state30d: number;
  national30d: number;
}

export interface LastOwnIncident {
  occurredAt: number;
  kind: IncidentKind;
  severity: number;
}

export interface RiskEvidence {
  institution: RateEvidence;
  state: RateEvidence;
  organisation: RateEvidence;
  /** Decayed counts of context incidents at the institution by relation of their topics. */
  affiliationActivity: number;
  activityActivity: number;
  generalActivity: number;
  /** Waves (kernel e^(−Δt/τ)) of incidents aimed at us or on our topics, in the state and nationwide. */
  stateWave: number;
  nationalWave: number;
  recent: RecentCounts;
  latestStance: Stance | null;
  declinedRecently: boolean;
  criticalRecently: boolean;
  lastOwnIncident: LastOwnIncident | null;
  /** The topic relations the context buckets were summed with (admin setting at as-of). */
  relations: Readonly<Record<Topic, TopicRelation>>;
}

export interface AppearanceAttributes {
  kind: AppearanceKind;
  format: AppearanceFormat;
  audience: Audience;
  expectedAttendance: number | null;
  visibleBranding: boolean;
  protestAnnounced: boolean;
  /** Institution policy flag. */
  limitsImmigrationCooperation: boolean;
  /** Institution attributes (College Scorecard), null when unknown. */
  ownership: string | null;
  highestDegree: string | null;
  state: string;
  /** A reference day at the institution (fit and back-test exposures), not one of our appearances. */
  reference?: boolean;
  /** Booked inside the host's advance-notice period (allowShortNotice): a rule, not a fitted feature. */
  shortNotice?: ShortNotice | null;
}

/** The host's advance-notice rule an appearance was booked past. */
export interface ShortNotice {
  /** The last moment the host had to be told (epoch ms). */
  deadline: number;
  advanceNoticeDays: number;
  /** The venue's zone, for the deadline in words. */
  timeZone: string;
}

export interface FactorContribution {
  id: FeatureId;
  label: string;
  /** The feature's value x. */
  value: number;
  /** e^(β·x) (for the own record: the odds of p against p without it). */
  oddsMultiplier: number;
  /** p with this factor present minus p with it removed, in percentage points. */
  points: number;
  /** p with the factor removed (all else equal). */
  pWithout: number;
  text: string;
}

export interface BaseRateBreakdown {
  /** Rates from the organisation's own record, each level without the one below it. */
  organisation: { n: number; k: number; rate: number; priorRate: number; priorStrength: number };
  state: { n: number; k: number; rate: number; priorStrength: number };
  institution: { n: number; k: number; rate: number; priorStrength: number; credibility: number };
}

export interface RiskResult {
  modelVersion: string;
  /** Probability of the event (params.event), averaged over the posterior of the own rate; never clipped. */
  p: number;
  pSevere: number;
  level: RiskLevel;
  levelMeaning: string;
  interval: { low: number; high: number; mass: number };
  baseRate: BaseRateBreakdown;
  severityShare: [number, number, number, number];
  /** Every factor present, strongest first. */
  factors: FactorContribution[];
  /** Rules that set a floor on the level (protest_announced, critical_incident_recent, short_notice). */
  overrides: string[];
  /** The advance-notice rule this appearance was booked past, or null (with the short_notice rule). */
  shortNotice: ShortNotice | null;
  reasons: string[];
  /** The reasons without the factors' sentences, before and after them (what a snapshot stores). */
  notes: { before: string[]; after: string[] };
  mitigations: Mitigation[];
  /** The evidence the model used (after decay to the start). */
  evidence: RiskEvidence;
}

const LEVEL_ORDER: Record<RiskLevel, number> = { low: 0, moderate: 1, high: 2, critical: 3 };

export function levelRank(level: RiskLevel): number {
  return LEVEL_ORDER[level];
}

export function maxLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return LEVEL_ORDER[a] >= LEVEL_ORDER[b] ? a : b;
}

/** d = 2^(−age/h) × trust. Future records (age < 0) weigh nothing: they are not known yet. */
export function recordWeight(ageMs: number, halfLifeDays: number, verification: Verification, params: RiskParams): number {
  if (ageMs < 0) return 0;
  return Math.pow(2, -ageMs / (halfLifeDays * DAY)) * params.trust[verification];
}

export function attendanceTiers(expected: number | null, thresholds: number[]): number {
  if (expected === null || expected === undefined) return 0;
  let tiers = 0;
  for (const t of thresholds) if (expected > t) tiers++;
  return tiers;
}

export const logit = (p: number) => Math.log(p / (1 - p));
export const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

export function levelFor(p: number, pSevere: number, params: RiskParams): RiskLevel {
  const t = params.thresholds;
  if (p >= t.criticalP || pSevere >= t.criticalPSevere) return 'critical';
  if (p >= t.highP || pSevere >= t.highPSevere) return 'high';
  if (p >= t.moderateP || pSevere >= t.moderatePSevere) return 'moderate';
  return 'low';
}

/**
 * The short-lived terms known at as-of, decayed on to the appearance start `leadMs` later: context
 * by its half-life, waves by e^(−Δt/τ). The own record is not projected. Only with params.decayToStart.
 */
export function projectEvidence(ev: RiskEvidence, leadMs: number, params: RiskParams): RiskEvidence {
  if (!params.decayToStart || !(leadMs > 0)) return ev;
  const ctx = Math.pow(2, -leadMs / (params.halfLifeContextDays * DAY));
  const wave = Math.exp(-leadMs / (params.waveTimescaleDays * DAY));
  return {
    ...ev,
    affiliationActivity: ev.affiliationActivity * ctx,
    activityActivity: ev.activityActivity * ctx,
    generalActivity: ev.generalActivity * ctx,
    stateWave: ev.stateWave * wave,
    nationalWave: ev.nationalWave * wave,
  };
}

/** The fitted features present, x ≠ 0 (the own record is handled by the posterior average). */
export function featureValues(ev: RiskEvidence, a: AppearanceAttributes, params: RiskParams): { id: FeatureId; value: number }[] {
  const out: { id: FeatureId; value: number }[] = [];
  const add = (id: FeatureId, value: number) => {
    if (value !== 0 && Number.isFinite(value)) out.push({ id, value });
  };
  add('presence', a.reference ? 0 : 1);
  add('affiliationActivity', Math.log1p(ev.affiliationActivity));
  add('activityActivity', Math.log1p(ev.activityActivity));
  add('generalActivity', Math.log1p(ev.generalActivity));
  add('stateWave', Math.log1p(ev.stateWave));
  add('nationalWave', Math.log1p(ev.nationalWave));
  add('publicInstitution', a.ownership === 'public' ? 1 : 0);
  add('nonprofitInstitution', a.ownership === 'private nonprofit' ? 1 : 0);
  add('graduateDegree', a.highestDegree === 'graduate' ? 1 : 0);
  add('bachelorDegree', a.highestDegree === 'bachelor' ? 1 : 0);
  add('visibleBranding', a.visibleBranding ? 1 : 0);
  add('publicCareerFair', a.kind === 'career_fair' && a.audience === 'public' ? 1 : 0);
  add('attendanceTier', attendanceTiers(a.expectedAttendance, params.attendanceTiers));
  add('inviteOnly', a.audience === 'invite_only' ? 1 : 0);
  add('virtual', a.format === 'virtual' ? 1 : 0);
  add('limitsImmigrationCooperation', a.limitsImmigrationCooperation ? 1 : 0);
  add('stanceRestricted', ev.latestStance === 'restricted' ? 1 : 0);
  add('stanceHostile', ev.latestStance === 'hostile' ? 1 : 0);
  add('declinedRecently', ev.declinedRecently ? 1 : 0);
  return out;
}

const minus = (a: RateEvidence, b: RateEvidence): RateEvidence => ({
  n: Math.max(0, a.n - b.n),
  k: Math.max(0, a.k - b.k),
  severity: a.severity.map((x, i) => Math.max(0, x - b.severity[i])) as RateEvidence['severity'],
});

function shrunkShares(counts: number[], prior: number[], m: number): number[] {
  const total = counts[0] + counts[1] + counts[2] + counts[3];
  return counts.map((c, i) => (c + m * prior[i]) / (total + m));
}

/**
 * The own-record hierarchy (RISK_MODEL §3), each level shrunk toward its parent computed WITHOUT it:
 * the state rate leaves out the institution, the organisation rate leaves out the state, so the
 * institution's own record is counted once and the credibility share Z_I means what it says.
 */
export function ownRecordPosterior(ev: RiskEvidence, params: RiskParams) {
  const I = ev.institution;
  const S = minus(ev.state, I);
  const N = minus(ev.organisation, ev.state);
  const prior = params.organisationPrior;
  const priorStrength = prior.a + prior.b;
  const pN = (N.k + prior.a) / (N.n + priorStrength);
  const pS = (S.k + params.mState * pN) / (S.n + params.mState);
  const k = Math.min(I.k, I.n);
  const alpha = Math.max(k + params.mInstitution * pS, 1e-6);
  const beta = Math.max(I.n - k + params.mInstitution * (1 - pS), 1e-6);
  const baseRate: BaseRateBreakdown = {
    organisation: { n: N.n, k: N.k, rate: pN, priorRate: prior.a / priorStrength, priorStrength },
    state: { n: S.n, k: S.k, rate: pS, priorStrength: params.mState },
    institution: { n: I.n, k: I.k, rate: alpha / (alpha + beta), priorStrength: params.mInstitution, credibility: I.n / (I.n + params.mInstitution) },
  };
  // severity: class shares prior → organisation (without the state) → state (without the institution) → institution
  const sp = params.severityPrior;
  const spTotal = sp[0] + sp[1] + sp[2] + sp[3];
  const qN = shrunkShares(
    N.severity,
    sp.map((x) => x / spTotal),
    spTotal,
  );
  const qS = shrunkShares(S.severity, qN, params.mState);
  const qI = shrunkShares(I.severity, qS, params.mInstitution) as [number, number, number, number];
  return { alpha, beta, baseRate, severityShare: qI };
}

/**
 * The model. Same inputs → same output (no clock, no randomness). `leadMs` = appearance start − as-of.
 *
 *   p = E over r ~ posterior of the own rate of σ(β₀ + β_own·(logit r − logit r̄) + Σ β_k·x_k)
 */
export function assessRisk(known: RiskEvidence, a: AppearanceAttributes, params: RiskParams, leadMs = 0, memo?: AssessMemo): RiskResult {
  const ev = projectEvidence(known, leadMs, params);
  const shared = memo?.entry(known, params);
  const own = shared ? shared.own : ownRecordPosterior(ev, params);
  const rBar = own.baseRate.organisation.priorRate;
  const bOwn = params.coefficients.ownRecord.beta;
  const xs = featureValues(ev, a, params);
  let eta = params.intercept.beta - bOwn * logit(rBar);
  const terms = xs.map((f) => params.coefficients[f.id].beta * f.value);
  for (const t of terms) eta += t;

  // the smallest c the grid serves: p itself, and p without each raising factor
  const cMin = eta - Math.max(0, ...terms);
  const grid = shared ? shared.grid(cMin, bOwn) : logitBetaGrid(own.alpha, own.beta, cMin, bOwn);
  const p = expectSigmoid(grid, eta, bOwn);
  const severeShare = own.severityShare[2] + own.severityShare[3];
  const pSevere = p * severeShare;

  let level = levelFor(p, pSevere, params);
  const overrides: string[] = [];
  // Booked past the host's notice deadline: a rule (no record to fit it on), so p is as estimated and
  // only the level has a floor — the host may not have the room, its security or its people ready.
  if (a.shortNotice) {
    overrides.push('short_notice');
    level = maxLevel(level, 'moderate');
  }
  if (a.protestAnnounced) {
    overrides.push('protest_announced');
    level = maxLevel(level, 'high');
  }
  if (ev.criticalRecently) {
    overrides.push('critical_incident_recent');
    level = 'critical';
  }

  // central interval of p from the posterior of the own rate, carried through the same predictor (no clipping)
  const tail = (1 - params.intervalMass) / 2;
  const at = (r: number) => sigmoid(eta + bOwn * logit(clamp(r, 1e-12, 1 - 1e-12)));
  const [qLow, qHigh] = shared ? shared.quantiles(tail) : [betaQuantile(tail, own.alpha, own.beta), betaQuantile(1 - tail, own.alpha, own.beta)];
  const interval = { low: at(qLow), high: at(qHigh), mass: params.intervalMass };

  const factors: FactorContribution[] = xs.map((f, i) => {
    const pWithout = expectSigmoid(grid, eta - terms[i], bOwn);
    return contribution(f.id, f.value, Math.exp(terms[i]), p, pWithout, ev, a, shared);
  });
  const inst = own.baseRate.institution;
  if (ev.organisation.n >= 0.5) {
    // the own record: p against the same appearance judged on the context alone (own rate at the prior mean)
    const pWithout = sigmoid(params.intercept.beta + terms.reduce((s, t) => s + t, 0));
    const odds = (x: number) => x / (1 - x);
    factors.push(contribution('ownRecord', inst.rate, odds(p) / odds(pWithout), p, pWithout, ev, a));
  }
  factors.sort((x, y) => Math.abs(Math.log(y.oddsMultiplier)) - Math.abs(Math.log(x.oddsMultiplier)));

  const shortNotice = a.shortNotice ?? null;
  const partial = {
    modelVersion: params.version,
    p,
    pSevere,
    level,
    levelMeaning: levelMeaning(level, params),
    interval,
    baseRate: own.baseRate,
    severityShare: own.severityShare,
    factors,
    overrides,
    shortNotice,
    evidence: ev,
  };
  const notes = explainNotes(partial, a, params);
  return { ...partial, reasons: [...notes.before, ...factorSentences(factors), ...notes.after], notes, mitigations: recommend(partial, a, params) };
}

function contribution(id: FeatureId, value: number, oddsMultiplier: number, p: number, pWithout: number, ev: RiskEvidence, a: AppearanceAttributes, shared?: MemoEntry): FactorContribution {
  const points = (p - pWithout) * 100;
  const label = shared && !PER_APPEARANCE_LABELS.has(id) ? shared.label(id, value, ev, a) : factorLabel(id, value, ev, a);
  // the sentence read off the numbers as a snapshot stores them, so a stored one reads the same
  return { id, label, value, oddsMultiplier, points, pWithout, text: factorText(label, r6(points), r6(oddsMultiplier)) };
}

/** Factors whose words depend on the appearance, not only on the institution's evidence (and its state). */
const PER_APPEARANCE_LABELS = new Set<FeatureId>(['attendanceTier']);

/** What assessRisk computes from one institution's evidence alone, shared by its appearances. */
interface MemoEntry {
  params: RiskParams;
  own: ReturnType<typeof ownRecordPosterior>;
  grid(cMin: number, b: number): LogitBetaGrid;
  quantiles(tail: number): [number, number];
  label(id: FeatureId, value: number, ev: RiskEvidence, a: AppearanceAttributes): string;
}

/**
 * A batch's cache of what assessRisk derives from an institution's evidence alone — the own-record
 * posterior, its grids and interval quantiles, the institution's factor labels — keyed by the
 * evidence object (a batch hands every appearance at an institution the same one) and the parameter
 * set. Pure functions of those inputs only, so the results are the same with or without it.
 */
export class AssessMemo {
  private readonly byEvidence = new WeakMap<RiskEvidence, MemoEntry>();

  entry(known: RiskEvidence, params: RiskParams): MemoEntry {
    const hit = this.byEvidence.get(known);
    if (hit && hit.params === params) return hit;
    const own = ownRecordPosterior(known, params);
    const grids = new Map<string, LogitBetaGrid>();
    const labels = new Map<string, string>();
    let q: [number, number, number] | null = null;
    const e: MemoEntry = {
      params,
      own,
      grid(cMin, b) {
        // the grid's left end depends on cMin only in steps of 10 (logitBetaGrid's cFloor)
        const key = `${Number.isFinite(cMin) ? Math.floor(cMin / 10) : '-'}|${b}`;
        let g = grids.get(key);
        if (!g) grids.set(key, (g = logitBetaGrid(own.alpha, own.beta, cMin, b)));
        return g;
      },
      quantiles(tail) {
        if (!q || q[0] !== tail) q = [tail, betaQuantile(tail, own.alpha, own.beta), betaQuantile(1 - tail, own.alpha, own.beta)];
        return [q[1], q[2]];
      },
      label(id, value, ev, a) {
        const key = `${id}|${value}|${a.state}`;
        let l = labels.get(key);
        if (l === undefined) labels.set(key, (l = factorLabel(id, value, ev, a)));
        return l;
      },
    };
    this.byEvidence.set(known, e);
    return e;
  }
}
