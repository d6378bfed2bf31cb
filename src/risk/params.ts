/**
 * Every parameter of the risk model in one versioned object (RISK_MODEL.md). Change a number →
 * change `version`: snapshots record the version they were computed with, so history stays honest.
 */
export interface OddsRatios {
  /** Uniforms or agency branding visible. */
  visibleBranding: number;
  /** Public, open-floor career fair. */
  publicCareerFair: number;
  /** Per attendance tier above 100 (see attendanceTiers). */
  attendanceTier: number;
  inviteOnly: number;
  virtual: number;
  /** The institution limits cooperation with federal immigration enforcement. */
  limitsImmigrationCooperation: number;
  stanceRestricted: number;
  stanceHostile: number;
  /** A partnership or invitation declined in the last declinedWindowDays. */
  declinedRecently: number;
  /** Per unit of log(1 + A_peer). */
  peerActivity: number;
  /** Per unit of log(1 + A_gen). */
  generalActivism: number;
  /** Per unit of W_s. */
  regionalWave: number;
}

export interface RiskParams {
  version: string;
  /** Half-life of the organisation's own record (appearances and incidents aimed at it). */
  halfLifeOwnDays: number;
  /** Half-life of context incidents (peer recruiters, general activism). */
  halfLifeContextDays: number;
  /** Time scale of the regional wave kernel e^(−Δt/τ). */
  waveTimescaleDays: number;
  /** Only incidents in the last waveWindowDays count towards the wave. */
  waveWindowDays: number;
  /** Trust weights by verification. */
  trust: { corroborated: number; reported: number; disputed: number };
  /**
   * Beta(a, b) prior of the organisation-wide rate p_N = (k_N + a) / (n_N + a + b): mean a / (a + b),
   * worth a + b past appearances. With no history at all p is this mean, not 50%.
   */
  organisationPrior: { a: number; b: number };
  /**
   * Pseudo-counts of the organisation-wide severity class shares (classes 1..4 = minor, moderate,
   * severe, critical): q_N,c = (count_c + prior_c) / (Σ counts + Σ prior).
   */
  severityPrior: [number, number, number, number];
  /** Prior strength of the state rate (pseudo-appearances). */
  mState: number;
  /** Prior strength of the institution rate (pseudo-appearances). */
  mInstitution: number;
  oddsRatios: OddsRatios;
  /** Attendance thresholds: one tier per threshold exceeded (101–250 = 1 tier, ... > 1000 = 4). */
  attendanceTiers: number[];
  declinedWindowDays: number;
  criticalWindowDays: number;
  clipLow: number;
  clipHigh: number;
  thresholds: {
    criticalPSevere: number;
    highP: number;
    highPSevere: number;
    moderateP: number;
    moderatePSevere: number;
  };
  /** Central mass of the reported interval. */
  intervalMass: number;
  /** A state's upcoming appearances are re-assessed when W_s moves by at least this much. */
  waveEpsilon: number;
  /**
   * Decay the context and wave terms known at as-of on to the appearance's start (the Hawkes-style
   * forecast of the excitation at that time): a wave today weighs less for a fair in two months, and
   * the preview's date matters. With lead time 0 it changes nothing.
   */
  decayToStart: boolean;
}

/** The starting odds ratios of RISK_MODEL.md §4 (the priors of every re-fit). */
export const STARTING_ODDS_RATIOS: OddsRatios = Object.freeze({
  visibleBranding: 1.5,
  publicCareerFair: 1.3,
  attendanceTier: 1.2,
  inviteOnly: 0.6,
  virtual: 0.3,
  limitsImmigrationCooperation: 1.4,
  stanceRestricted: 1.6,
  stanceHostile: 2.5,
  declinedRecently: 2.0,
  peerActivity: 1.8,
  generalActivism: 1.15,
  regionalWave: 1.2,
});

/** Context signals: activism can only add risk, so a fit may not push their odds ratios below 1. */
export const CONTEXT_KEYS = ['peerActivity', 'generalActivism', 'regionalWave'] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];
export const CONTEXT_MIN_ODDS_RATIO = 1;

/**
 * Context odds ratios re-fitted by `npm run backtest:campus` on 1 Sept – 15 Oct 2024 of the Crowd
 * Counting Consortium campus data (variant B: own record from debriefs) by penalised log loss
 * (priors = the starting values), each constrained to ≥ 1: an activism signal cannot protect.
 * The constrained fit puts general activism and the regional wave on the bound (odds ×1: no
 * evidence either way in 13 positive weeks) and peer activity at 1.197 per unit. It improved
 * held-out log loss on 16 Oct – 30 Nov 2024 over the starting values (0.0364 → 0.0293), so it is
 * kept. (1.2 shipped the unconstrained fit — general activism 0.852, regional wave 0.982, i.e.
 * "activism here lowers the risk" — held-out 0.0279: slightly lower, but not a claim to make to a
 * recruiter on 13 positives.) Re-fit once real debriefs exist.
 */
export const CAMPUS_2024_CONTEXT_FIT: Pick<OddsRatios, ContextKey> = Object.freeze({
  peerActivity: 1.197,
  generalActivism: 1,
  regionalWave: 1,
});

/**
 * Organisation-wide prior Beta(0.6, 19.4): mean 3%, worth 20 past appearances (80% range ≈ 0.1%–7.8%).
 * From the back-test data (data-fixtures/risk-backtest, Crowd Counting Consortium, fall 2024): 21
 * protests about recruiting at 19 of the 273 institutions in the file.
 *  - lower end: with a branded public fair imagined at every institution every week, 18 of 3,549
 *    fair-weeks (0.51%) met one — a lower bound, since real recruiters are not on every campus every
 *    week (and at the plain-appearance odds, without ×1.5 branding ×1.3 public ×1.2 tier, ≈ 0.2%);
 *  - upper end: 19 / 273 = 7% of these (activism-prone) institutions saw one in the whole season —
 *    the per-visit rate if the organisation visited each campus once a season.
 * A mean of 3% sits between the two, and the 80% range covers both. Strength 20: the organisation's
 * own record outweighs the prior after 20 appearances (a young install moves off it within weeks);
 * with no history a branded public fair comes out at ≈ 6–7% → Low, not Critical.
 */
export const ORGANISATION_PRIOR = Object.freeze({ a: 0.6, b: 19.4 });

/**
 * Severity pseudo-counts (minor, moderate, severe, critical) = 6 : 3 : 0.8 : 0.2, worth 10 incidents:
 * 90% of disruptions minor or moderate, q_3 + q_4 = 10% (was uniform: 50%, which alone made an empty
 * install Critical). From the same data: 175 of the 607 sized campus protests had 100+ people (the
 * recipe's class 2), the rest fewer (class 1); none is recorded as violent — classes 3–4 are rare.
 */
export const SEVERITY_PRIOR: [number, number, number, number] = [6, 3, 0.8, 0.2];

export const RISK_PARAMS: RiskParams = Object.freeze({
  version: 'forewarn-risk-1.3',
  halfLifeOwnDays: 365,
  halfLifeContextDays: 180,
  waveTimescaleDays: 14,
  waveWindowDays: 60,
  trust: Object.freeze({ corroborated: 1.0, reported: 0.8, disputed: 0.4 }),
  organisationPrior: ORGANISATION_PRIOR,
  severityPrior: Object.freeze(SEVERITY_PRIOR) as [number, number, number, number],
  mState: 10,
  mInstitution: 5,
  oddsRatios: Object.freeze({ ...STARTING_ODDS_RATIOS, ...CAMPUS_2024_CONTEXT_FIT }),
  attendanceTiers: [100, 250, 500, 1000],
  declinedWindowDays: 365,
  criticalWindowDays: 180,
  clipLow: 0.01,
  clipHigh: 0.95,
  thresholds: Object.freeze({
    criticalPSevere: 0.25,
    highP: 0.5,
    highPSevere: 0.1,
    moderateP: 0.2,
    moderatePSevere: 0.03,
  }),
  intervalMass: 0.8,
  waveEpsilon: 0.05,
  decayToStart: true,
}) as RiskParams;

/** The same model with the starting odds ratios of RISK_MODEL.md (what the back-test re-fits from). */
export const STARTING_PARAMS: RiskParams = Object.freeze({ ...RISK_PARAMS, version: 'forewarn-risk-1.3-starting', oddsRatios: STARTING_ODDS_RATIOS }) as RiskParams;

/** A copy of the defaults with some odds ratios replaced (e.g. re-fitted by the back-test). */
export function withOddsRatios(base: RiskParams, ors: Partial<OddsRatios>, version: string): RiskParams {
  return { ...base, version, oddsRatios: { ...base.oddsRatios, ...ors } };
}
