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

/**
 * Context odds ratios re-fitted by `npm run backtest:campus` (penalised log loss, priors = the
 * starting values) on 1 Sept – 15 Oct 2024 of the Crowd Counting Consortium campus data (variant B);
 * they improved held-out log loss on 16 Oct – 30 Nov 2024 (0.0364 → 0.0279). Fitted on 13 positive
 * weeks: re-fit once real debriefs exist.
 */
export const CAMPUS_2024_CONTEXT_FIT: Pick<OddsRatios, 'peerActivity' | 'generalActivism' | 'regionalWave'> = Object.freeze({
  peerActivity: 1.268,
  generalActivism: 0.852,
  regionalWave: 0.982,
});

export const RISK_PARAMS: RiskParams = Object.freeze({
  version: 'forewarn-risk-1.2',
  halfLifeOwnDays: 365,
  halfLifeContextDays: 180,
  waveTimescaleDays: 14,
  waveWindowDays: 60,
  trust: Object.freeze({ corroborated: 1.0, reported: 0.8, disputed: 0.4 }),
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
export const STARTING_PARAMS: RiskParams = Object.freeze({ ...RISK_PARAMS, version: 'forewarn-risk-1.2-starting', oddsRatios: STARTING_ODDS_RATIOS }) as RiskParams;

/** A copy of the defaults with some odds ratios replaced (e.g. re-fitted by the back-test). */
export function withOddsRatios(base: RiskParams, ors: Partial<OddsRatios>, version: string): RiskParams {
  return { ...base, version, oddsRatios: { ...base.oddsRatios, ...ors } };
}
