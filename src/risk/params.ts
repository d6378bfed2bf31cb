/**
 * Every parameter of the risk model in one versioned object (RISK_MODEL.md). A parameter set is
 * immutable once made: a re-fit (`npm run risk:fit`) writes a new version, snapshots record the
 * version they were computed with, and admins activate one (risk_parameter_sets).
 */
import type { Topic, TopicRelation } from '../common/enums';

/**
 * The model's fitted features (RISK_MODEL §4). Each has a coefficient β on the log-odds scale;
 * the odds multiplier of a feature is e^(β·x).
 */
export const FEATURES = [
  // the institution's own record (debriefs, incidents aimed at us): x = logit(r_I) − logit(r̄), averaged over r_I's posterior
  'ownRecord',
  // that this is one of our appearances at all (1), not a reference day at the institution (0): our presence draws protests
  'presence',
  // context incidents at the institution, decayed (halfLifeContextDays) and log-scaled: x = log(1 + A)
  'affiliationActivity',
  'activityActivity',
  'generalActivity',
  // recent waves of affiliation/activity-topic incidents (and incidents aimed at us): x = log(1 + W)
  'stateWave',
  'nationalWave',
  // the institution's own attributes (College Scorecard ownership and highest degree)
  'publicInstitution',
  'nonprofitInstitution',
  'graduateDegree',
  'bachelorDegree',
  // the appearance's attributes
  'visibleBranding',
  'publicCareerFair',
  'attendanceTier',
  'inviteOnly',
  'virtual',
  // reception and policy flags
  'limitsImmigrationCooperation',
  'stanceRestricted',
  'stanceHostile',
  'declinedRecently',
] as const;
export type FeatureId = (typeof FEATURES)[number];

export interface Coefficient {
  /** β, fitted (or the prior mean when nothing was fitted). */
  beta: number;
  /** Prior mean of β (the starting odds ratio's log). */
  prior: number;
  /** Prior standard deviation of β: the penalty of the fit is (β − prior)² / (2·sd²). */
  priorSd: number;
}

export interface RiskParams {
  version: string;
  /** Half-life of the organisation's own record (appearances and incidents aimed at it). */
  halfLifeOwnDays: number;
  /** Half-life of context incidents (affiliation, activity and general topics). */
  halfLifeContextDays: number;
  /** Time scale of the wave kernel e^(−Δt/τ) (after 60 days an incident weighs 1.4%). */
  waveTimescaleDays: number;
  /** Trust weights by verification. */
  trust: { corroborated: number; reported: number; disputed: number };
  /**
   * Beta(a, b) prior of the organisation's own rate (per appearance, of the event p predicts):
   * mean a / (a + b), worth a + b past appearances.
   */
  organisationPrior: { a: number; b: number };
  /** Severity class pseudo-counts (minor, moderate, severe, critical). */
  severityPrior: [number, number, number, number];
  /** Prior strength of the state rate (pseudo-appearances) around the organisation rate. */
  mState: number;
  /** Prior strength of the institution rate around the state rate. */
  mInstitution: number;
  /** Whether mState / mInstitution were estimated from the data by the fit or are the defaults. */
  priorStrengthSource: 'estimated' | 'default';
  /** Log-odds of the event for a reference exposure (no features present). */
  intercept: Coefficient;
  coefficients: Record<FeatureId, Coefficient>;
  /** Attendance thresholds: one tier per threshold exceeded (101–250 = 1 tier, ... > 1000 = 4). */
  attendanceTiers: number[];
  declinedWindowDays: number;
  criticalWindowDays: number;
  /** Probabilities shown to people are clipped to this range (never before ranking or scoring). */
  displayClip: { low: number; high: number };
  thresholds: {
    criticalP: number;
    criticalPSevere: number;
    highP: number;
    highPSevere: number;
    moderateP: number;
    moderatePSevere: number;
  };
  /** Central mass of the reported interval. */
  intervalMass: number;
  /** A state's upcoming appearances are re-assessed when log(1 + W_s) moves by at least this much. */
  waveEpsilon: number;
  /**
   * Decay the context and wave terms known at as-of on to the appearance's start (the Hawkes-style
   * forecast of the excitation at that time). The own record is not projected.
   */
  decayToStart: boolean;
  /** The activity outlook (any incident at the institution in a three-day window), fitted beside p; absent before a fit. */
  outlook?: { event: string; intercept: number; coefficients: Partial<Record<FeatureId, number>> };
  /** The event p predicts, in words (RISK_MODEL §1); shown in the API docs and reports. */
  event: string;
  /** The same in a few words, for the reasons. */
  eventShort: string;
  /** How the set was made: 'starting' (priors only), or a fit with its data. */
  provenance: { method: string; data: string; fittedAt: string | null };
}

/** The default relation of each topic (admin setting `risk.topicRelations`, RISK_MODEL §1). */
export const DEFAULT_TOPIC_RELATIONS: Readonly<Record<Topic, TopicRelation>> = Object.freeze({
  immigration_enforcement: 'affiliation',
  policing: 'affiliation',
  recruiting_employers: 'activity',
  military_defence: 'activity',
  foreign_policy: 'context',
  labour: 'context',
  other: 'context',
});

export const EVENT_DEFINITION =
  'a disruptive incident (protest, heckling, table blocked, appearance disrupted, host cancelled, access denied) at the institution ' +
  'on the appearance’s local day or the day either side, that is aimed at the organisation or is on a topic the organisation declares ' +
  'as its affiliation or its activity (risk topic relations)';

export const EVENT_SHORT = 'a protest or disruption on our topics at this institution within a day of the appearance';

const c = (prior: number, priorSd: number, beta = prior): Coefficient => Object.freeze({ beta, prior, priorSd });
const ln = Math.log;

/**
 * The priors of every fit (RISK_MODEL §4): the starting odds ratios of the appearance, reception and
 * policy factors (sd 0.35: an odds ratio between about half and double the starting value); context
 * signals centred on the starting per-unit odds ratios (peer activity 1.8 → affiliation and
 * activity topics, general activism 1.15, regional wave 1.2) with more room (sd 0.7); institution
 * attributes and the national wave centred on no effect but free to move (sd 1: never pinned).
 * The own record's coefficient is centred on 1 (the shrunken rate taken at face value).
 */
export const STARTING_COEFFICIENTS: Readonly<Record<FeatureId, Coefficient>> = Object.freeze({
  ownRecord: c(1, 0.25),
  // A recruiter table draws the protests a random campus day does not (the campus data's recruiting
  // protests were at career fairs with recruiters there): ×10 a priori, from forewarn-risk-1.3's 3% per
  // appearance against ~0.3% per reference day at the large campuses the organisation visits; wide
  // (sd 1: ×1.4 to ×70 at two sd) and learnt from the organisation's own debriefs by a fit.
  presence: c(Math.log(10), 1),
  affiliationActivity: c(ln(1.8), 0.7),
  activityActivity: c(ln(1.8), 0.7),
  generalActivity: c(ln(1.15), 0.7),
  stateWave: c(ln(1.2), 0.7),
  nationalWave: c(0, 1),
  publicInstitution: c(0, 1),
  nonprofitInstitution: c(0, 1),
  graduateDegree: c(0, 1),
  bachelorDegree: c(0, 1),
  visibleBranding: c(ln(1.5), 0.35),
  publicCareerFair: c(ln(1.3), 0.35),
  attendanceTier: c(ln(1.2), 0.35),
  inviteOnly: c(ln(0.6), 0.35),
  virtual: c(ln(0.3), 0.35),
  limitsImmigrationCooperation: c(ln(1.4), 0.35),
  stanceRestricted: c(ln(1.6), 0.35),
  stanceHostile: c(ln(2.5), 0.35),
  declinedRecently: c(ln(2.0), 0.35),
});

/**
 * Organisation-wide prior of the own rate Beta(0.6, 19.4): mean 3% per appearance, worth 20
 * appearances (forewarn-risk-1.3's reasoning, data-fixtures/risk-backtest). Only the own-record
 * term uses it: x_own = logit(r_I) − logit(3%) is 0 on average until the organisation's own
 * record says otherwise.
 */
export const ORGANISATION_PRIOR = Object.freeze({ a: 0.6, b: 19.4 });

/** Severity pseudo-counts 6 : 3 : 0.8 : 0.2 (90% minor or moderate), worth 10 incidents. */
export const SEVERITY_PRIOR: [number, number, number, number] = [6, 3, 0.8, 0.2];

/**
 * Levels on the probability of the event (RISK_MODEL §5). The event is rare — a relevant protest
 * on a given campus within a three-day window is well under 1% on most campuses — so the levels sit
 * where the probabilities of real campuses spread (measured on the Fall 2024 campus data in the
 * back-test's level table): Moderate at 1 in 100, High at 1 in 20, Critical at 1 in 4 (or a severe
 * one at 1 in 20, or a critical incident here in the last 180 days).
 */
export const LEVEL_THRESHOLDS = Object.freeze({
  criticalP: 0.25,
  criticalPSevere: 0.05,
  highP: 0.05,
  highPSevere: 0.02,
  moderateP: 0.01,
  moderatePSevere: 0.003,
});

/** The model with every coefficient at its prior: what a fit starts from and is penalised toward. */
export const STARTING_PARAMS: RiskParams = Object.freeze({
  version: 'forewarn-risk-2.0-starting',
  halfLifeOwnDays: 365,
  halfLifeContextDays: 180,
  waveTimescaleDays: 14,
  trust: Object.freeze({ corroborated: 1.0, reported: 0.8, disputed: 0.4 }),
  organisationPrior: ORGANISATION_PRIOR,
  severityPrior: Object.freeze(SEVERITY_PRIOR) as [number, number, number, number],
  mState: 10,
  mInstitution: 5,
  priorStrengthSource: 'default',
  // reference exposure: the prior mean of the own rate (3%) — before any fit, p of a plain appearance
  intercept: c(ln(0.03 / 0.97), 3),
  coefficients: STARTING_COEFFICIENTS as Record<FeatureId, Coefficient>,
  attendanceTiers: [100, 250, 500, 1000],
  declinedWindowDays: 365,
  criticalWindowDays: 180,
  displayClip: Object.freeze({ low: 0.001, high: 0.95 }),
  thresholds: LEVEL_THRESHOLDS,
  intervalMass: 0.8,
  waveEpsilon: 0.05,
  decayToStart: true,
  event: EVENT_DEFINITION,
  eventShort: EVENT_SHORT,
  provenance: Object.freeze({ method: 'starting values (priors), not fitted', data: 'none', fittedAt: null }),
}) as RiskParams;

/** The odds multiplier of one unit of a feature. */
export function oddsRatio(params: RiskParams, f: FeatureId): number {
  return Math.exp(params.coefficients[f].beta);
}

/** A copy with some coefficients' β replaced (priors kept). */
export function withBetas(base: RiskParams, betas: Partial<Record<FeatureId | 'intercept', number>>, version: string): RiskParams {
  const coefficients = { ...base.coefficients };
  for (const f of FEATURES) if (betas[f] !== undefined) coefficients[f] = { ...coefficients[f], beta: betas[f] as number };
  const intercept = betas.intercept === undefined ? base.intercept : { ...base.intercept, beta: betas.intercept };
  return { ...base, version, intercept, coefficients };
}

/**
 * Reads a stored parameter set (JSON from risk_parameter_sets or a shipped file), refusing one that
 * lacks a coefficient or carries a non-finite number: a bad set must never reach the model.
 */
export function parseParams(json: unknown): RiskParams {
  const p = (typeof json === 'string' ? JSON.parse(json) : json) as RiskParams;
  const bad = (what: string) => new Error(`risk parameter set ${p?.version ?? '?'}: ${what}`);
  if (!p || typeof p.version !== 'string') throw bad('no version');
  for (const f of FEATURES) {
    const k = p.coefficients?.[f];
    if (!k || ![k.beta, k.prior, k.priorSd].every(Number.isFinite)) throw bad(`coefficient ${f} missing or not finite`);
  }
  if (!Number.isFinite(p.intercept?.beta)) throw bad('intercept not finite');
  for (const [k, v] of Object.entries(p.thresholds ?? {})) if (!Number.isFinite(v)) throw bad(`threshold ${k} not finite`);
  if (!(p.mState > 0 && p.mInstitution > 0)) throw bad('prior strengths must be > 0');
  return p;
}
