/**
 * Fitting a parameter set (RISK_MODEL §7): the cases' features exactly as assessRisk computes them,
 * the penalised logistic fit with the starting odds ratios as priors, and the prior strengths of the
 * own-record hierarchy estimated from the organisation's own record (Beta-binomial marginal
 * likelihood), when there is enough of it. Pure.
 */
import { Arena, logGamma, logitBetaGrid, LogitBetaGrid } from '../beta';
import { featureValues, logit, ownRecordPosterior, projectEvidence, RiskEvidence } from '../model';
import type { AppearanceAttributes } from '../model';
import { FeatureId, FEATURES, RiskParams } from '../params';
import type { Case } from './cases';
import { fitLogistic, FitResult, FitRow, predictRow } from './logistic';

/** The fitted coefficients, in order (the own record's b_own stays at its prior: see RISK_MODEL §4). */
export const FITTED: FeatureId[] = FEATURES.filter((f) => f !== 'ownRecord');

/** A case as a fit row: what assessRisk would compute, split into x, the posterior grid and the offset. */
export function toRow(ev: RiskEvidence, attrs: AppearanceAttributes, leadMs: number, params: RiskParams, y: 0 | 1, w: number, grids: Map<string, LogitBetaGrid>, arena?: Arena): FitRow {
  const projected = projectEvidence(ev, leadMs, params);
  const own = ownRecordPosterior(projected, params);
  const key = `${own.alpha.toPrecision(8)}|${own.beta.toPrecision(8)}`;
  let grid = grids.get(key);
  // one grid per posterior, shared by rows whose η differ: its left end suits any η above −20
  if (!grid) grids.set(key, (grid = logitBetaGrid(own.alpha, own.beta, -20, params.coefficients.ownRecord.beta, arena)));
  const x = arena ? arena.floats(FITTED.length) : new Float64Array(FITTED.length);
  for (const f of featureValues(projected, attrs, params)) x[FITTED.indexOf(f.id)] = f.value;
  const rBar = own.baseRate.organisation.priorRate;
  return { x, y, w, grid, offset: -params.coefficients.ownRecord.beta * logit(rBar) };
}

export function rowsOf(cases: Case[], params: RiskParams): FitRow[] {
  const grids = new Map<string, LogitBetaGrid>();
  // the rows and their grids live and die together: one arena for all of them
  const arena = new Arena();
  return cases.map((c) => toRow(c.evidence, c.attrs, c.startsAt - c.asOf, params, c.y, c.w, grids, arena));
}

/**
 * The activity outlook (RISK_MODEL §7): the chance of any incident at all at the institution in the
 * window, a plain logistic model on the institution-level features (context, waves, attributes,
 * reception); what the institution-level back-test's "any protest" is judged by.
 */
/** What belongs to one appearance of ours, not to the institution: no part of the outlook. */
const APPEARANCE_FEATURES: readonly FeatureId[] = ['ownRecord', 'presence', 'visibleBranding', 'publicCareerFair', 'attendanceTier', 'inviteOnly', 'virtual'];

export const OUTLOOK_FEATURES: FeatureId[] = FEATURES.filter((f) => !APPEARANCE_FEATURES.includes(f));

const POINT_GRID: LogitBetaGrid = { t: Float64Array.of(0), w: Float64Array.of(1) };

function outlookRows(cases: Case[], params: RiskParams): FitRow[] {
  return cases.map((c) => {
    const projected = projectEvidence(c.evidence, c.startsAt - c.asOf, params);
    const x = new Float64Array(OUTLOOK_FEATURES.length);
    for (const f of featureValues(projected, c.attrs, params)) {
      const j = OUTLOOK_FEATURES.indexOf(f.id);
      if (j >= 0) x[j] = f.value;
    }
    return { x, y: c.yAny, w: c.w, grid: POINT_GRID, offset: 0 };
  });
}

export function predictOutlook(cases: Case[], params: RiskParams): number[] {
  const o = params.outlook;
  if (!o) return cases.map(() => NaN);
  const beta = [o.intercept, ...OUTLOOK_FEATURES.map((f) => o.coefficients[f] ?? 0)];
  return outlookRows(cases, params).map((r) => predictRow(r, beta, 0));
}

/** p of each case under `params` (the same number assessRisk gives, without building the words). */
export function predictCases(cases: Case[], params: RiskParams): number[] {
  const rows = rowsOf(cases, params);
  const beta = [params.intercept.beta, ...FITTED.map((f) => params.coefficients[f].beta)];
  return rows.map((r) => predictRow(r, beta, params.coefficients.ownRecord.beta));
}

export interface FittedSet {
  params: RiskParams;
  fit: FitResult;
  /** Per coefficient: prior and fitted odds ratio, posterior sd of β, how much the data informed it. */
  table: { id: string; priorOddsRatio: number; oddsRatio: number; sd: number; dataShare: number }[];
  cases: { total: number; positives: number; exposures: number; appearances: number };
  priorStrengths: { mState: number; mInstitution: number; source: 'estimated' | 'default'; institutionsWithRecord: number };
}

/**
 * Beta-binomial marginal log-likelihood of (fractional) counts k of n around parent rates, as a
 * function of the prior strength m: Σ log B(k + m·p, n − k + m·(1 − p)) − log B(m·p, m·(1 − p)).
 */
function betaBinomialLogLik(pairs: { n: number; k: number; parent: number }[], m: number): number {
  const lnB = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);
  let s = 0;
  for (const { n, k, parent } of pairs) {
    const a = Math.max(m * parent, 1e-9);
    const b = Math.max(m * (1 - parent), 1e-9);
    s += lnB(k + a, Math.max(0, n - k) + b) - lnB(a, b);
  }
  return s;
}

/** The prior strength m maximising the marginal likelihood (golden section on log m in [0.5, 2000]); null with too little record. */
export function estimatePriorStrength(pairs: { n: number; k: number; parent: number }[], minUnits = 10): number | null {
  const usable = pairs.filter((p) => p.n >= 1);
  if (usable.length < minUnits || !usable.some((p) => p.k > 0)) return null;
  let lo = Math.log(0.5);
  let hi = Math.log(2000);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = hi - g * (hi - lo);
  let d = lo + g * (hi - lo);
  for (let i = 0; i < 60; i++) {
    if (betaBinomialLogLik(usable, Math.exp(c)) > betaBinomialLogLik(usable, Math.exp(d))) hi = d;
    else lo = c;
    c = hi - g * (hi - lo);
    d = lo + g * (hi - lo);
  }
  return Math.round(Math.exp((lo + hi) / 2) * 100) / 100;
}

export interface FitInput {
  cases: Case[];
  base: RiskParams;
  version: string;
  data: string;
  fittedAt: string;
  /** Own record per institution and state at the end of the fit period (for the prior strengths). */
  ownRecord?: { institutions: { n: number; k: number; state: string }[]; states: Map<string, { n: number; k: number }> };
}

export function fitParameterSet(input: FitInput): FittedSet {
  const { base } = input;
  // prior strengths first: the own-record posterior enters every row's link
  let mInstitution = base.mInstitution;
  let mState = base.mState;
  let source: 'estimated' | 'default' = 'default';
  let withRecord = 0;
  if (input.ownRecord) {
    const st = input.ownRecord.states;
    let orgN = 0;
    let orgK = 0;
    for (const v of st.values()) {
      orgN += v.n;
      orgK += v.k;
    }
    const prior = base.organisationPrior;
    const pOrg = (orgK + prior.a) / (orgN + prior.a + prior.b);
    const insts = input.ownRecord.institutions.map((i) => {
      const s = st.get(i.state) ?? { n: 0, k: 0 };
      return { n: i.n, k: i.k, parent: (Math.max(0, s.k - i.k) + base.mState * pOrg) / (Math.max(0, s.n - i.n) + base.mState) };
    });
    withRecord = insts.filter((i) => i.n >= 1).length;
    const mi = estimatePriorStrength(insts);
    const ms = estimatePriorStrength(
      [...st.values()].map((v) => ({ ...v, parent: pOrg })),
      5,
    );
    if (mi !== null) mInstitution = mi;
    if (ms !== null) mState = ms;
    if (mi !== null || ms !== null) source = 'estimated';
  }
  const withStrengths: RiskParams = { ...base, mInstitution, mState, priorStrengthSource: source };
  const rows = rowsOf(input.cases, withStrengths);
  const ids = ['intercept', ...FITTED] as const;
  const coef = (id: string) => (id === 'intercept' ? base.intercept : base.coefficients[id as FeatureId]);
  const fit = fitLogistic(rows, {
    prior: ids.map((id) => coef(id).prior),
    priorSd: ids.map((id) => coef(id).priorSd),
    bOwn: base.coefficients.ownRecord.beta,
  });
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  // the outlook: same priors on the institution-level features, intercept centred on a quiet campus
  const outlookFit = fitLogistic(outlookRows(input.cases, withStrengths), {
    prior: [base.intercept.prior, ...OUTLOOK_FEATURES.map((f) => base.coefficients[f].prior)],
    priorSd: [base.intercept.priorSd, ...OUTLOOK_FEATURES.map((f) => base.coefficients[f].priorSd)],
    bOwn: 0,
  });
  const coefficients = { ...base.coefficients };
  FITTED.forEach((f, j) => (coefficients[f] = { ...coefficients[f], beta: r4(fit.beta[j + 1]) }));
  const params: RiskParams = {
    ...withStrengths,
    version: input.version,
    intercept: { ...base.intercept, beta: r4(fit.beta[0]) },
    coefficients,
    outlook: {
      event: 'any incident at all at the institution on a given day or the day either side (activity outlook)',
      intercept: r4(outlookFit.beta[0]),
      coefficients: Object.fromEntries(OUTLOOK_FEATURES.map((f, j) => [f, r4(outlookFit.beta[j + 1])])) as Partial<Record<FeatureId, number>>,
    },
    provenance: { method: 'penalised logistic regression (Gaussian priors at the starting odds ratios), Fisher scoring', data: input.data, fittedAt: input.fittedAt },
  };
  const table = ids.map((id, j) => ({
    id,
    priorOddsRatio: r4(Math.exp(coef(id).prior)),
    oddsRatio: r4(Math.exp(fit.beta[j])),
    sd: r4(fit.sd[j]),
    dataShare: r4(fit.dataShare[j]),
  }));
  const positives = input.cases.filter((c) => c.y === 1).length;
  return {
    params,
    fit,
    table,
    cases: { total: input.cases.length, positives, exposures: input.cases.filter((c) => c.source === 'exposure').length, appearances: input.cases.filter((c) => c.source === 'appearance').length },
    priorStrengths: { mState, mInstitution, source, institutionsWithRecord: withRecord },
  };
}
