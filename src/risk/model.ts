/**
 * The risk model as pure functions (RISK_MODEL.md): no Nest, no database, no clock.
 * Evidence aggregates + appearance attributes + params → probabilities, level, reasons, mitigations.
 */
import type { AppearanceFormat, AppearanceKind, Audience, RiskLevel, Stance, Verification } from '../common/enums';
import { betaQuantile } from './beta';
import { Mitigation, MitigationId, mitigation } from './mitigations';
import type { OddsRatios, RiskParams } from './params';

export const DAY = 86_400_000;

/** Decayed sums for one level of the hierarchy (institution, state or organisation). */
export interface RateEvidence {
  /** Σ d_j over past appearances (+ incidents with no appearance). */
  n: number;
  /** Σ d_j·Y_j over those with an incident aimed at the organisation. */
  k: number;
  /** Decayed counts of incidents aimed at the organisation by severity class 1..4 (index 0..3). */
  severity: [number, number, number, number];
}

export interface RiskEvidence {
  institution: RateEvidence;
  state: RateEvidence;
  organisation: RateEvidence;
  /** A_peer: decayed count of incidents at the institution aimed at peer recruiters. */
  peerActivity: number;
  /** A_gen: decayed count of general campus activism at the institution. */
  generalActivism: number;
  /** W_s: regional wave in the institution's state. */
  regionalWave: number;
  latestStance: Stance | null;
  declinedRecently: boolean;
  criticalRecently: boolean;
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
}

export type FactorId = keyof OddsRatios | 'stance';

export interface FactorContribution {
  id: FactorId;
  label: string;
  /** The factor's value x_k (1 for a flag, tiers, log(1 + A), W). */
  value: number;
  /** e^(β·x). */
  oddsMultiplier: number;
  /** p with this factor present minus p with it removed, in percentage points. */
  points: number;
  /** p with the factor removed (all else equal). */
  pWithout: number;
  text: string;
}

export interface BaseRateBreakdown {
  /** priorRate, priorStrength: the Beta(a, b) organisation prior as mean a/(a+b) and strength a+b. */
  organisation: { n: number; k: number; rate: number; priorRate: number; priorStrength: number };
  state: { n: number; k: number; rate: number; priorStrength: number };
  institution: { n: number; k: number; rate: number; priorStrength: number; credibility: number };
}

export interface RiskResult {
  modelVersion: string;
  p: number;
  pSevere: number;
  level: RiskLevel;
  levelMeaning: string;
  interval: { low: number; high: number; mass: number };
  baseRate: BaseRateBreakdown;
  severityShare: [number, number, number, number];
  factors: FactorContribution[];
  /** Overrides that set a floor on the level. */
  overrides: string[];
  reasons: string[];
  mitigations: Mitigation[];
}

export const LEVEL_MEANINGS: Record<RiskLevel, string> = {
  low: 'Low: disruption is unlikely (under 1 in 5) and a severe one very unlikely — plan as usual and report anything unusual.',
  moderate:
    'Moderate: disruption is possible (1 in 5 or more) or a severe one cannot be ruled out — follow the checklist and confirm with the host.',
  high: 'High: disruption is more likely than not, or a severe one is plausible — take the checklist seriously and get an acknowledgement.',
  critical:
    'Critical: a severe disruption is a real possibility (1 in 4 or more), or there was a critical incident here recently — a senior go / no-go decision is needed before anyone travels.',
};

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

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
const pct = (x: number) => `${Math.round(x * 100)}%`;
const fmt1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

interface FactorSpec {
  id: FactorId;
  label: string;
  value: number;
  or: number;
}

function factorSpecs(ev: RiskEvidence, a: AppearanceAttributes, params: RiskParams): FactorSpec[] {
  const o = params.oddsRatios;
  const specs: FactorSpec[] = [];
  if (a.visibleBranding) specs.push({ id: 'visibleBranding', label: 'Visible uniforms or agency branding', value: 1, or: o.visibleBranding });
  if (a.kind === 'career_fair' && a.audience === 'public')
    specs.push({ id: 'publicCareerFair', label: 'Public, open-floor career fair', value: 1, or: o.publicCareerFair });
  const tiers = attendanceTiers(a.expectedAttendance, params.attendanceTiers);
  if (tiers > 0) specs.push({ id: 'attendanceTier', label: `Expected attendance of ${a.expectedAttendance}`, value: tiers, or: o.attendanceTier });
  if (a.audience === 'invite_only') specs.push({ id: 'inviteOnly', label: 'Invite-only audience', value: 1, or: o.inviteOnly });
  if (a.format === 'virtual') specs.push({ id: 'virtual', label: 'Virtual format', value: 1, or: o.virtual });
  if (a.limitsImmigrationCooperation)
    specs.push({
      id: 'limitsImmigrationCooperation',
      label: 'The institution limits cooperation with federal immigration enforcement',
      value: 1,
      or: o.limitsImmigrationCooperation,
    });
  if (ev.latestStance === 'restricted') specs.push({ id: 'stance', label: 'Latest reception: restricted', value: 1, or: o.stanceRestricted });
  if (ev.latestStance === 'hostile') specs.push({ id: 'stance', label: 'Latest reception: hostile', value: 1, or: o.stanceHostile });
  if (ev.declinedRecently)
    specs.push({ id: 'declinedRecently', label: 'A partnership or invitation was declined in the last 12 months', value: 1, or: o.declinedRecently });
  if (ev.peerActivity > 0)
    specs.push({
      id: 'peerActivity',
      label: `Recent actions against peer recruiters here (${fmt1(ev.peerActivity)} weighted)`,
      value: Math.log1p(ev.peerActivity),
      or: o.peerActivity,
    });
  if (ev.generalActivism > 0)
    specs.push({
      id: 'generalActivism',
      label: `Recent campus activism here (${fmt1(ev.generalActivism)} weighted)`,
      value: Math.log1p(ev.generalActivism),
      or: o.generalActivism,
    });
  if (ev.regionalWave > 0)
    specs.push({ id: 'regionalWave', label: `Regional wave of incidents in the state (${fmt1(ev.regionalWave)})`, value: ev.regionalWave, or: o.regionalWave });
  // an odds ratio of exactly 1 (e.g. a context signal the fit put on its bound) moves nothing: not a reason
  return specs.filter((f) => f.or !== 1);
}

/** "Visible uniforms or agency branding: +10 points (odds ×1.5)". */
export function factorText(label: string, points: number, oddsMultiplier: number): string {
  const sign = points >= 0 ? '+' : '−';
  return `${label}: ${sign}${Math.abs(Math.round(points))} points (odds ×${(Math.round(oddsMultiplier * 100) / 100).toString()})`;
}

function shrunkShares(counts: number[], prior: number[], m: number): number[] {
  const total = counts[0] + counts[1] + counts[2] + counts[3];
  return counts.map((c, i) => (c + m * prior[i]) / (total + m));
}

export function levelFor(p: number, pSevere: number, params: RiskParams): RiskLevel {
  const t = params.thresholds;
  if (pSevere >= t.criticalPSevere) return 'critical';
  if (p >= t.highP || pSevere >= t.highPSevere) return 'high';
  if (p >= t.moderateP || pSevere >= t.moderatePSevere) return 'moderate';
  return 'low';
}

/**
 * The short-lived excitation terms known at as-of (A_peer, A_gen by their half-life, the wave by
 * e^(−Δt/τ)), decayed on to the appearance start `leadMs` later: a wave today weighs less for a fair
 * in two months. The own-record sums n, k are NOT projected: fading them would pull every level
 * toward the organisation prior, making a later date look riskier or safer for no reason. Only with params.decayToStart.
 */
export function projectEvidence(ev: RiskEvidence, leadMs: number, params: RiskParams): RiskEvidence {
  if (!params.decayToStart || !(leadMs > 0)) return ev;
  const ctx = Math.pow(2, -leadMs / (params.halfLifeContextDays * DAY));
  const wave = Math.exp(-leadMs / (params.waveTimescaleDays * DAY));
  return { ...ev, peerActivity: ev.peerActivity * ctx, generalActivism: ev.generalActivism * ctx, regionalWave: ev.regionalWave * wave };
}

/**
 * The model. Same inputs → same output (no clock, no randomness). `leadMs` = appearance start − as-of
 * (see projectEvidence).
 */
export function assessRisk(known: RiskEvidence, a: AppearanceAttributes, params: RiskParams, leadMs = 0): RiskResult {
  const ev = projectEvidence(known, leadMs, params);
  // §3 shrunken base rate
  const N = ev.organisation;
  const S = ev.state;
  const I = ev.institution;
  const prior = params.organisationPrior;
  const priorStrength = prior.a + prior.b;
  const pN = (N.k + prior.a) / (N.n + priorStrength);
  const pS = (S.k + params.mState * pN) / (S.n + params.mState);
  const pI = (I.k + params.mInstitution * pS) / (I.n + params.mInstitution);
  const credibility = I.n / (I.n + params.mInstitution);

  // §4 adjustments on the log-odds scale
  const specs = factorSpecs(ev, a, params);
  const base = logit(clamp(pI, 1e-9, 1 - 1e-9));
  let shift = 0;
  for (const f of specs) shift += Math.log(f.or) * f.value;
  const p = clamp(sigmoid(base + shift), params.clipLow, params.clipHigh);

  // §5 severity: Dirichlet-style shrinkage of class shares prior → N → S → I
  const sp = params.severityPrior;
  const spTotal = sp[0] + sp[1] + sp[2] + sp[3];
  const qN = shrunkShares(N.severity, [sp[0] / spTotal, sp[1] / spTotal, sp[2] / spTotal, sp[3] / spTotal], spTotal);
  const qS = shrunkShares(S.severity, qN, params.mState);
  const qI = shrunkShares(I.severity, qS, params.mInstitution) as [number, number, number, number];
  const pSevere = p * (qI[2] + qI[3]);

  let level = levelFor(p, pSevere, params);
  const overrides: string[] = [];
  if (a.protestAnnounced) {
    overrides.push('protest_announced');
    level = maxLevel(level, 'high');
  }
  if (ev.criticalRecently) {
    overrides.push('critical_incident_recent');
    level = 'critical';
  }

  // 80% interval from the posterior Beta of the institution rate, carried through the same shift
  const alpha = Math.max(I.k + params.mInstitution * pS, 1e-6);
  const beta = Math.max(I.n - I.k + params.mInstitution * (1 - pS), 1e-6);
  const tail = (1 - params.intervalMass) / 2;
  const toP = (q: number) => clamp(sigmoid(logit(clamp(q, 1e-9, 1 - 1e-9)) + shift), params.clipLow, params.clipHigh);
  // With very thin, very skewed posteriors (a ≪ 1) the mean can sit outside the central 80%: the
  // range is widened to always include the estimate itself.
  const interval = {
    low: Math.min(p, toP(betaQuantile(tail, alpha, beta))),
    high: Math.max(p, toP(betaQuantile(1 - tail, alpha, beta))),
    mass: params.intervalMass,
  };

  // §6 counterfactual contributions
  const factors: FactorContribution[] = specs.map((f) => {
    const beta_x = Math.log(f.or) * f.value;
    const pWithout = clamp(sigmoid(base + shift - beta_x), params.clipLow, params.clipHigh);
    const points = (p - pWithout) * 100;
    return {
      id: f.id,
      label: f.label,
      value: f.value,
      oddsMultiplier: Math.exp(beta_x),
      points,
      pWithout,
      text: factorText(f.label, points, Math.exp(beta_x)),
    };
  });

  const baseRate: BaseRateBreakdown = {
    organisation: { n: N.n, k: N.k, rate: pN, priorRate: prior.a / priorStrength, priorStrength },
    state: { n: S.n, k: S.k, rate: pS, priorStrength: params.mState },
    institution: { n: I.n, k: I.k, rate: pI, priorStrength: params.mInstitution, credibility },
  };

  const reasons = explain(p, overrides, factors, baseRate, interval, params);
  const mitigations = recommend(level, a, ev, factors, params);
  return {
    modelVersion: params.version,
    p,
    pSevere,
    level,
    levelMeaning: LEVEL_MEANINGS[level],
    interval,
    baseRate,
    severityShare: qI,
    factors,
    overrides,
    reasons,
    mitigations,
  };
}

function explain(
  p: number,
  overrides: string[],
  factors: FactorContribution[],
  base: BaseRateBreakdown,
  interval: { low: number; high: number },
  params: RiskParams,
): string[] {
  const out: string[] = [];
  if (overrides.includes('critical_incident_recent'))
    out.push(`A critical incident aimed at us happened at this institution in the last ${params.criticalWindowDays} days.`);
  if (overrides.includes('protest_announced')) out.push('A protest against this appearance has been announced.');
  const thin = thinEvidence(base.organisation);
  if (thin) out.push(thin);
  const raising = factors.filter((f) => f.points >= 0.5).sort((x, y) => y.points - x.points);
  for (const f of raising.slice(0, 3)) out.push(`${f.text}.`);
  const I = base.institution;
  out.push(
    `Chance of disruption ${pct(p)} (80% range ${pct(interval.low)}–${pct(interval.high)}): ${fmt1(I.n)} effective past appearances here, ${fmt1(I.k)} with an incident; this campus's own record counts for ${pct(I.credibility)} of the estimate, the rest comes from the state (${pct(base.state.rate)}) and the organisation (${pct(base.organisation.rate)}).`,
  );
  const lowering = factors.filter((f) => f.points <= -0.5).sort((x, y) => x.points - y.points);
  if (lowering.length) out.push(`${lowering[0].text}.`);
  return out;
}

/** Evidence below this effective count is "no recorded history". */
const NO_HISTORY = 0.5;

/**
 * Says plainly when the estimate is mostly the organisation-wide prior: no history at all, or less
 * than the prior's own weight (the prior still counts for more than half of the organisation rate).
 */
function thinEvidence(o: BaseRateBreakdown['organisation']): string | null {
  if (o.n < NO_HISTORY)
    return `No recorded history: this is the organisation-wide prior (${pct(o.priorRate)} per appearance, worth ${Math.round(o.priorStrength)} appearances), not a measurement — it will move as appearances and incidents are recorded.`;
  if (o.n < o.priorStrength)
    return `Little evidence so far: ${fmt1(o.n)} effective past appearances across the whole organisation, so the organisation-wide prior (${pct(o.priorRate)}) still counts for ${pct(o.priorStrength / (o.n + o.priorStrength))} of its rate.`;
  return null;
}

function recommend(level: RiskLevel, a: AppearanceAttributes, ev: RiskEvidence, factors: FactorContribution[], params: RiskParams): Mitigation[] {
  const ids: MitigationId[] = [];
  const rank = LEVEL_ORDER[level];
  const has = (id: FactorId) => factors.some((f) => f.id === id && f.points >= 1);
  if (a.visibleBranding && (rank >= 1 || has('visibleBranding'))) ids.push('civilian_dress');
  if (ev.declinedRecently) ids.push('host_written_reconfirmation');
  if (rank >= 1) ids.push('confirm_with_host_contact');
  if (rank >= 1 && (ev.peerActivity > 0 || ev.regionalWave >= 1 || a.protestAnnounced)) ids.push('check_local_news');
  if (rank >= 1 && attendanceTiers(a.expectedAttendance, params.attendanceTiers) >= 2) ids.push('smaller_footprint');
  if (rank >= 1 && a.kind === 'career_fair' && a.audience === 'public') ids.push('invite_only_format');
  if (rank >= 2) ids.push('host_security_plan', 'exit_plan', 'buddy_system', 'brief_on_de_escalation');
  if (rank >= 3) ids.push('senior_go_no_go');
  if (rank >= 3 && a.format !== 'virtual') ids.push('virtual_alternative');
  return [...new Set(ids)].map(mitigation);
}
