import fc from 'fast-check';
import { APPEARANCE_FORMATS, APPEARANCE_KINDS, AUDIENCES, STANCES, TOPICS } from '../common/enums';
import { betaQuantile, expectSigmoid, logGamma, logitBetaGrid } from './beta';
import {
  AppearanceAttributes,
  AssessMemo,
  assessRisk,
  attendanceTiers,
  DAY,
  featureValues,
  levelFor,
  logit,
  maxLevel,
  ownRecordPosterior,
  projectEvidence,
  RateEvidence,
  recordWeight,
  RiskEvidence,
  RiskResult,
  sigmoid,
} from './model';
import { DEFAULT_TOPIC_RELATIONS, FEATURES, parseParams, RiskParams, STARTING_PARAMS, withBetas } from './params';
import { factorSentences, LISTED_MULTIPLIER, pct, reasonsOf } from './risk-explain';
import { detailJson, detailOf, evidenceJson, toView } from './risk.view';
import { SHIPPED_PARAMS } from './shipped-params';

const P0 = STARTING_PARAMS;
/** The starting values without the presence factor: the worked examples below are the own-record and appearance terms alone. */
const P = withBetas(P0, { presence: 0 }, 'starting-without-presence');
const rate = (n: number, k: number, severity: [number, number, number, number] = [0, 0, 0, 0]): RateEvidence => ({ n, k, severity });
const quiet: RiskEvidence = {
  institution: rate(0, 0),
  state: rate(0, 0),
  organisation: rate(0, 0),
  affiliationActivity: 0,
  activityActivity: 0,
  generalActivity: 0,
  stateWave: 0,
  nationalWave: 0,
  recent: { institution12m: 0, institutionByTopic12m: TOPICS.map(() => 0), state30d: 0, national30d: 0 },
  latestStance: null,
  declinedRecently: false,
  criticalRecently: false,
  lastOwnIncident: null,
  relations: DEFAULT_TOPIC_RELATIONS,
};
const plain: AppearanceAttributes = {
  kind: 'info_session',
  format: 'in_person',
  audience: 'public',
  expectedAttendance: 50,
  visibleBranding: false,
  protestAnnounced: false,
  limitsImmigrationCooperation: false,
  ownership: null,
  highestDegree: null,
  state: 'OH',
};

/**
 * E[g(logit r)] for r ~ Beta(a, b) by a fine trapezoid (400,000 steps) over t = logit r in [−400, 400]
 * with the exact logit-beta density: an independent check of the 64-point grid the model uses.
 */
function betaExpectLogit(g: (t: number) => number, a: number, b: number): number {
  const lnB = logGamma(a) + logGamma(b) - logGamma(a + b);
  const lo = -400;
  const hi = 400;
  const n = 400_000;
  const h = (hi - lo) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const t = lo + i * h;
    const softplus = t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
    const f = Math.exp(a * t - (a + b) * softplus - lnB);
    s += (i === 0 || i === n ? 0.5 : 1) * g(t) * f;
  }
  return s * h;
}
const sig = (z: number) => 1 / (1 + Math.exp(-z));

describe('risk model — worked example (computed by hand)', () => {
  // Evidence (inclusive sums): organisation n=98, k=8; state n=20, k=3; institution n=5, k=2.
  // Each level is shrunk toward its parent WITHOUT it: state − institution = (15, 1), organisation − state = (78, 5).
  //   p_N = (5 + 0.6) / (78 + 20)              = 5.6 / 98          = 0.0571429
  //   p_S = (1 + 10·0.0571429) / (15 + 10)     = 1.5714286 / 25    = 0.0628571
  //   posterior of the institution's own rate: Beta(2 + 5·0.0628571, 3 + 5·0.9371429) = Beta(2.3142857, 7.6857143), mean 0.2314286, Z_I = 5/10
  // Severity (class counts org [4,2,1,1], state [1,1,1,0], institution [1,0,1,0]; without the level below: org [3,1,0,1], state [0,1,0,0]):
  //   q_N = [9, 4, 0.8, 1.2]/15; q_S = ([0,1,0,0] + 10·q_N)/11; q_I = ([1,0,1,0] + 5·q_S)/7 → q_I3 + q_I4 = 0.177489 + 0.051948 = 0.229437
  // Appearance: public career fair (×1.3), visible branding (×1.5), 300 expected (2 tiers ×1.2²): c = ln(2.808) on top of logit(r).
  //   plug-in p = σ(logit 0.2314286 + ln 2.808) = 0.45810; the average over the posterior is lower (f concave in r).
  const ev: RiskEvidence = { ...quiet, institution: rate(5, 2, [1, 0, 1, 0]), state: rate(20, 3, [1, 1, 1, 0]), organisation: rate(98, 8, [4, 2, 1, 1]) };
  const attrs: AppearanceAttributes = { ...plain, kind: 'career_fair', expectedAttendance: 300, visibleBranding: true };
  // computed inside each test (not once at load), so that per-test coverage ties the model's code to these tests
  const worked = () => assessRisk(ev, attrs, P);
  const k = 1.5 * 1.3 * 1.44;

  it.each<[string, (r: RiskResult) => number, number]>([
    ['organisation rate (without the state)', (r) => r.baseRate.organisation.rate, 0.0571429],
    ['state rate (without the institution)', (r) => r.baseRate.state.rate, 0.0628571],
    ['institution posterior mean', (r) => r.baseRate.institution.rate, 0.2314286],
    ['credibility Z_I', (r) => r.baseRate.institution.credibility, 0.5],
    ['severe share', (r) => r.severityShare[2] + r.severityShare[3], 0.229437],
  ])('%s', (_, got, want) => expect(got(worked())).toBeCloseTo(want, 6));

  it('averages p over the posterior of the own rate instead of plugging in its mean', () => {
    const r = worked();
    const want = betaExpectLogit((t) => sig(t + Math.log(k)), 2.3142857, 7.6857143);
    expect(r.p).toBeCloseTo(want, 4);
    const plugIn = (k * 0.2314286) / (1 + (k - 1) * 0.2314286);
    expect(plugIn).toBeCloseTo(0.45815, 4);
    expect(r.p).toBeLessThan(plugIn - 0.01);
    expect(r.pSevere).toBeCloseTo(r.p * 0.229437, 6);
  });

  it('takes the 80% range from the posterior Beta carried through the same predictor, unclipped', () => {
    const r = worked();
    const at = (q: number) => {
      const x = betaQuantile(q, 2.3142857, 7.6857143);
      return (k * x) / (1 + (k - 1) * x);
    };
    expect(r.interval.low).toBeCloseTo(at(0.1), 5);
    expect(r.interval.high).toBeCloseTo(at(0.9), 5);
    expect(r.interval.low).toBeLessThan(r.p);
    expect(r.interval.high).toBeGreaterThan(r.p);
  });

  it('names every factor with its odds multiplier, strongest first, and the own record', () => {
    const r = worked();
    const ids = r.factors.map((f) => f.id);
    // presence at β = 0 (×1) is in the breakdown, last, but not among the reasons
    expect(ids).toEqual(['ownRecord', 'visibleBranding', 'attendanceTier', 'publicCareerFair', 'presence']);
    const tier = r.factors.find((f) => f.id === 'attendanceTier')!;
    expect(tier.oddsMultiplier).toBeCloseTo(1.44, 6);
    expect(tier.text).toMatch(/^Expected attendance of 300: odds ×1\.44 \(\+\d+(\.\d)? points\)$/);
    for (const f of r.factors.slice(0, 4)) expect(r.reasons).toContain(`${f.text}.`);
    expect(r.reasons.join(' ')).not.toMatch(/Our appearance itself/);
  });
});

describe('risk model — the posterior grid', () => {
  /** The grid with one exp per point, as it was built before the powers were stepped. */
  function direct(alpha: number, beta: number, cMin: number, b: number) {
    const g = logitBetaGrid(alpha, beta, cMin, b);
    const a = Math.max(alpha, 1e-6);
    const bb = Math.max(beta, 1e-6);
    const lnB = logGamma(a) + logGamma(bb) - logGamma(a + bb);
    const step = g.t[1] - g.t[0];
    const n = g.t.length;
    const w = Array.from(g.t, (x, i) => {
      const softplus = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
      return Math.exp(a * x - (a + bb) * softplus - lnB) * step * (i === 0 || i === n - 1 ? 0.5 : 1);
    });
    return { g, w, f: Array.from(g.t, (x) => Math.exp(-b * x)) };
  }
  const rel = (x: number, y: number) => (x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-300));

  it.each([
    [1e-3, 5, -Infinity, 0.5],
    [0.5, 0.5, -20, 3],
    [2.3, 40, -5, 0.5],
    [300, 9000, -Infinity, -2],
    [1e4, 1e4, 0, 3],
    [0.02, 1e4, -600, 1],
  ])('stepped powers match one exp a point (α %p, β %p, cMin %p, b %p)', (alpha, beta, cMin, b) => {
    const { g, w, f } = direct(alpha, beta, cMin, b);
    for (let i = 0; i < g.t.length; i++) {
      expect(rel(g.w[i], w[i])).toBeLessThan(1e-10);
      expect(rel(g.f![i], f[i])).toBeLessThan(1e-12);
    }
  });
});

describe('risk model — the posterior average', () => {
  it.each([
    [0.15, 4.85, 0],
    [0.15, 4.85, 3],
    [2.3, 7.7, 1.03],
    [0.02, 30, 5],
    [40, 3, -2],
    [0.6, 0.6, 0.5],
    [0.01, 300, 4],
    [30, 0.05, -2],
    [300, 0.3, 1],
  ])('E[σ(c + logit r)] for r ~ Beta(%p, %p), c = %p matches direct integration', (a, b, c) => {
    const want = betaExpectLogit((t) => sig(t + c), a, b);
    expect(expectSigmoid(logitBetaGrid(a, b, c, 1), c, 1)).toBeCloseTo(want, 4);
  });

  it('our presence multiplies the odds by its prior ×10 under the starting values', () => {
    const odds = (x: number) => x / (1 - x);
    const without = assessRisk(quiet, plain, P);
    const withPresence = assessRisk(quiet, plain, P0);
    expect(withPresence.factors.find((f) => f.id === 'presence')?.oddsMultiplier).toBeCloseTo(10, 6);
    // averaged over a wide own-rate posterior the odds move less than ×10 (the average compresses high p)
    expect(odds(withPresence.p) / odds(without.p)).toBeGreaterThan(4);
    expect(odds(withPresence.p) / odds(without.p)).toBeLessThan(10);
    expect(assessRisk(quiet, { ...plain, reference: true }, P0).factors.map((f) => f.id)).not.toContain('presence');
  });

  it('with no history at all p is the prior mean exactly (3%): the average of r is its mean', () => {
    const res = assessRisk(quiet, plain, P);
    expect(res.p).toBeCloseTo(0.03, 4);
    expect(res.level).toBe('moderate');
    expect(res.reasons[0]).toMatch(/^No recorded history here/);
  });
});

describe('risk model — levels and reasons', () => {
  it.each([
    [0.004, 0.0004, 'low'],
    [0.01, 0.001, 'moderate'],
    [0.004, 0.003, 'moderate'],
    [0.05, 0.005, 'high'],
    [0.02, 0.02, 'high'],
    [0.25, 0.01, 'critical'],
    [0.1, 0.05, 'critical'],
  ] as const)('p %p, p_severe %p → %s', (p, ps, level) => expect(levelFor(p, ps, P)).toBe(level));

  const withBeta = (f: (typeof FEATURES)[number], or: number): RiskParams => withBetas(P, { [f]: Math.log(or) }, 'test');

  it.each([
    [1.05, false],
    [1.09, false],
    [LISTED_MULTIPLIER + 0.001, true],
    [1.5, true],
    [0.95, false],
    [0.89, true],
  ])('a factor with odds multiplier ×%p is listed: %p', (or, listed) => {
    const res = assessRisk(quiet, { ...plain, visibleBranding: true }, withBeta('visibleBranding', or));
    expect(res.reasons.some((s) => s.startsWith('Visible uniforms or agency branding'))).toBe(listed);
    // the factor itself is always in the breakdown
    expect(res.factors.map((f) => f.id)).toContain('visibleBranding');
  });

  it('lists context with its counts, strongest first, and says "No recorded history" only when there is none', () => {
    const busy: RiskEvidence = {
      ...quiet,
      affiliationActivity: 3.2,
      generalActivity: 30,
      stateWave: 2,
      recent: { institution12m: 38, institutionByTopic12m: [4, 0, 0, 0, 30, 0, 4], state30d: 12, national30d: 80 },
    };
    const res = assessRisk(busy, { ...plain, state: 'OH' }, SHIPPED_PARAMS);
    expect(res.reasons.join(' ')).not.toMatch(/No recorded history/);
    expect(res.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^38 protests or actions recorded here in the last 12 months/),
        expect.stringMatching(/^Protests on our affiliation's topics here \(4 about immigration enforcement in the last 12 months\)/),
        expect.stringMatching(/^12 incidents on our affiliation's or activity's topics in OH in the last 30 days/),
      ]),
    );
    const listed = res.factors.filter((f) => f.oddsMultiplier >= LISTED_MULTIPLIER || f.oddsMultiplier <= 1 / LISTED_MULTIPLIER);
    const mult = listed.map((f) => Math.abs(Math.log(f.oddsMultiplier)));
    expect(mult).toEqual([...mult].sort((a, b) => b - a));
  });

  it('mentions our last disruption here, whatever its age (the structured facts outlive retention)', () => {
    const ev: RiskEvidence = { ...quiet, lastOwnIncident: { occurredAt: Date.UTC(2020, 1, 27, 15), kind: 'table_blocked', severity: 3 } };
    const res = assessRisk(ev, plain, P);
    expect(res.reasons).toContain('Our last disruption here: 2020-02-27, the table blocked (severe).');
    expect(res.reasons.join(' ')).not.toMatch(/No recorded history/);
  });

  it('an announced protest sets at least High; a recent critical incident sets Critical; both say the rule', () => {
    const a = assessRisk(quiet, { ...plain, protestAnnounced: true }, P);
    expect(a.level).toBe('high');
    expect(a.reasons[0]).toMatch(/announced: the level is at least High whatever the probability/);
    const c = assessRisk({ ...quiet, criticalRecently: true }, { ...plain, protestAnnounced: true }, P);
    expect(c.level).toBe('critical');
    expect(c.overrides).toEqual(['protest_announced', 'critical_incident_recent']);
  });

  describe("booked inside the host's advance-notice period (a rule, not a fitted feature)", () => {
    const shortNotice = { deadline: Date.UTC(2026, 1, 23, 15), advanceNoticeDays: 10, timeZone: 'America/New_York' };
    const low: AppearanceAttributes = { ...plain, format: 'virtual', audience: 'invite_only' };
    // assessed inside each test (not once at load): per-test coverage then ties the rule's code to these tests
    const assessed = () => ({
      without: assessRisk(quiet, low, SHIPPED_PARAMS),
      withIt: assessRisk(quiet, { ...low, shortNotice }, SHIPPED_PARAMS),
      high: assessRisk(quiet, { ...plain, protestAnnounced: true, shortNotice }, P),
    });
    type Assessed = ReturnType<typeof assessed>;

    it.each<[string, (c: Assessed) => [unknown, unknown]]>([
      ['the probability is unchanged', (c) => [c.withIt.p, c.without.p]],
      ['the severe probability is unchanged', (c) => [c.withIt.pSevere, c.without.pSevere]],
      ['the fitted factors are unchanged', (c) => [c.withIt.factors.length, c.without.factors.length]],
      ['a Low estimate is at least Moderate', (c) => [`${c.without.level} → ${c.withIt.level}`, 'low → moderate']],
      ['a higher level stays as it is', (c) => [c.high.level, 'high']],
      ['the rule is listed', (c) => [c.withIt.overrides.join(), 'short_notice']],
      ['the rule is listed with the others', (c) => [c.high.overrides.join(), 'short_notice,protest_announced']],
      [
        'its reason comes first (no other rule)',
        (c) => [
          c.withIt.reasons[0],
          "Booked inside the host's 10-day advance-notice period (the host had to be told by Monday 23 February 2026, 10:00 EST (America/New_York)): the host may not have the room, its security or its own people ready, so the level is at least Moderate whatever the probability.",
        ],
      ],
      ['its reason follows the protest rule', (c) => [c.high.reasons[1].slice(0, 48), "Booked inside the host's 10-day advance-notice p"]],
      ['the checklist starts with written consent from the host', (c) => [c.withIt.mitigations[0].id, 'host_short_notice_consent']],
      ['and asks to confirm with the host contact (Moderate)', (c) => [c.withIt.mitigations.some((m) => m.id === 'confirm_with_host_contact'), true]],
      ['without it no such mitigation', (c) => [c.without.mitigations.some((m) => m.id === 'host_short_notice_consent'), false]],
      ['the deadline is kept with the result', (c) => [c.withIt.shortNotice, shortNotice]],
      ['and in the stored detail', (c) => [detailOf(c.withIt, quiet, 0).shortNotice, shortNotice]],
      ['and not in the detail without it', (c) => ['shortNotice' in detailOf(c.without, quiet, 0), false]],
    ])('%s', (_what, pair) => {
      const [actual, expected] = pair(assessed());
      expect(actual).toEqual(expected);
    });
  });

  it('the level meaning carries the thresholds it was read off', () => {
    expect(assessRisk(quiet, plain, P).levelMeaning).toMatch(/^Moderate: a disruption is possible \(1 in 100 or more/);
  });

  it('decays what is known at as-of on to the start (a later date sees a faded wave), but not the own record', () => {
    const ev: RiskEvidence = { ...quiet, stateWave: 3, institution: rate(4, 2), state: rate(4, 2), organisation: rate(4, 2) };
    expect(assessRisk(ev, plain, SHIPPED_PARAMS, 60 * DAY).p).toBeLessThan(assessRisk(ev, plain, SHIPPED_PARAMS, DAY).p);
    const own = { ...quiet, institution: rate(4, 2), state: rate(4, 2), organisation: rate(4, 2) };
    expect(assessRisk(own, plain, SHIPPED_PARAMS, 60 * DAY).p).toBeCloseTo(assessRisk(own, plain, SHIPPED_PARAMS, DAY).p, 12);
  });

  it('says small probabilities as they are', () => {
    expect(pct(0.0004)).toBe('under 0.1%');
    expect(pct(0.0042)).toBe('0.4%');
    expect(pct(0.034)).toBe('3%');
  });
});

// ---- the 80% range is honest: coverage in a simulation of the model's own hierarchy ----------

function gammaSample(shape: number, rnd: () => number): number {
  if (shape < 1) return gammaSample(shape + 1, rnd) * Math.pow(rnd(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      const u1 = rnd();
      const u2 = rnd();
      x = Math.sqrt(-2 * Math.log(u1 || 1e-300)) * Math.cos(2 * Math.PI * u2);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rnd();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

describe('risk model — interval coverage', () => {
  it.each([0, 2, 5, 20, 80])('true own rates fall inside the 80%% range about 80%% of the time (n = %p past appearances)', (n) => {
    let seed = 12345 + n;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed + 0.5) / 2147483648;
    };
    const prior = ownRecordPosterior(quiet, P); // Beta(5·3%, 5·97%): the institution prior with no other record
    let inside = 0;
    let under = 0;
    const SIMS = 2000;
    for (let s = 0; s < SIMS; s++) {
      const g1 = gammaSample(prior.alpha, rnd);
      const g2 = gammaSample(prior.beta, rnd);
      const r = g1 / (g1 + g2);
      let k = 0;
      for (let i = 0; i < n; i++) if (rnd() < r) k++;
      // no features and b_own 1, intercept at logit(r̄): p = E[r | data] and the range is the posterior's own
      const res = assessRisk({ ...quiet, institution: rate(n, k), state: rate(n, k), organisation: rate(n, k) }, { ...plain, expectedAttendance: null }, P);
      if (r >= res.interval.low && r <= res.interval.high) inside++;
      if (res.interval.low < 0.01) under++;
    }
    expect(inside / SIMS).toBeGreaterThan(0.76);
    expect(inside / SIMS).toBeLessThan(0.84);
    // the low end is shown as it is (often under 1%), not clipped and widened to 1%–1%
    if (n === 0) expect(under / SIMS).toBe(1);
  });
});

// ---- properties ------------------------------------------------------------------------------

const nonNeg = (max: number) => fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true });
const arbRate = fc.tuple(nonNeg(500), fc.double({ min: 0, max: 1, noNaN: true }), fc.tuple(nonNeg(50), nonNeg(50), nonNeg(50), nonNeg(50))).map(([n, share, sev]) => rate(n, n * share, sev));
const plus = (a: RateEvidence, b: RateEvidence): RateEvidence => ({ n: a.n + b.n, k: a.k + b.k, severity: a.severity.map((x, i) => x + b.severity[i]) as RateEvidence['severity'] });
/** Inclusive sums as the SQL gives them: the state holds the institution, the organisation the state. */
const arbHierarchy = fc.tuple(arbRate, arbRate, arbRate).map(([i, s, o]) => ({ institution: i, state: plus(i, s), organisation: plus(plus(i, s), o) }));
const arbEvidence: fc.Arbitrary<RiskEvidence> = fc
  .record({
    hierarchy: arbHierarchy,
    affiliationActivity: nonNeg(20),
    activityActivity: nonNeg(20),
    generalActivity: nonNeg(60),
    stateWave: nonNeg(10),
    nationalWave: nonNeg(40),
    latestStance: fc.constantFrom(null, ...STANCES),
    declinedRecently: fc.boolean(),
    criticalRecently: fc.boolean(),
  })
  .map(({ hierarchy, ...e }) => ({ ...quiet, ...hierarchy, ...e }));
const arbAttrs: fc.Arbitrary<AppearanceAttributes> = fc.record({
  kind: fc.constantFrom(...APPEARANCE_KINDS),
  format: fc.constantFrom(...APPEARANCE_FORMATS),
  audience: fc.constantFrom(...AUDIENCES),
  expectedAttendance: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
  visibleBranding: fc.boolean(),
  protestAnnounced: fc.boolean(),
  limitsImmigrationCooperation: fc.boolean(),
  ownership: fc.constantFrom(null, 'public', 'private nonprofit', 'private for-profit'),
  highestDegree: fc.constantFrom(null, 'graduate', 'bachelor', 'associate'),
  state: fc.constantFrom('OH', 'NY', ''),
  shortNotice: fc.option(fc.record({ deadline: fc.integer({ min: 1.7e12, max: 1.9e12 }), advanceNoticeDays: fc.integer({ min: 1, max: 30 }), timeZone: fc.constantFrom('America/New_York', 'UTC') }), {
    nil: null,
  }),
});

/** One incident aimed at the organisation (weight w, class c) at the institution: it counts in all three inclusive sums. */
function withIncident(ev: RiskEvidence, w: number, c: number): RiskEvidence {
  const bump = (r: RateEvidence): RateEvidence => {
    const severity = [...r.severity] as RateEvidence['severity'];
    severity[c] += w;
    return { n: r.n + w, k: r.k + w, severity };
  };
  return { ...ev, institution: bump(ev.institution), state: bump(ev.state), organisation: bump(ev.organisation) };
}

describe('risk model — properties (shipped parameter set)', () => {
  const S = SHIPPED_PARAMS;
  it('0 < p < 1 and p_sev ≤ p (monotonicity below is checked to a relative 1e-6: the posterior average is numerical)', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, (ev, a) => {
        const r = assessRisk(ev, a, S);
        expect(r.p).toBeGreaterThan(0);
        expect(r.p).toBeLessThan(1);
        expect(r.pSevere).toBeLessThanOrEqual(r.p + 1e-12);
      }),
    );
  });

  it('adding an incident aimed at the organisation never lowers p', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 }), (ev, a, w, c) => {
        const before = assessRisk(ev, a, S).p;
        expect(assessRisk(withIncident(ev, w, c), a, S).p).toBeGreaterThanOrEqual(before * (1 - 1e-6));
      }),
    );
  });

  it('an older incident never weighs more than a newer one; a disputed one weighs less than a corroborated one', () => {
    fc.assert(
      fc.property(nonNeg(3000), nonNeg(3000), (a, b) => {
        const [young, old] = a <= b ? [a, b] : [b, a];
        expect(recordWeight(old * DAY, 365, 'corroborated', S)).toBeLessThanOrEqual(recordWeight(young * DAY, 365, 'corroborated', S));
        expect(recordWeight(a * DAY, 365, 'disputed', S)).toBeLessThan(recordWeight(a * DAY, 365, 'corroborated', S) + 1e-300);
      }),
    );
  });

  it('more activity here, in the state or nationwide never lowers p (the fitted context odds ratios are ≥ 1)', () => {
    for (const f of ['affiliationActivity', 'activityActivity', 'generalActivity', 'stateWave', 'nationalWave'] as const) expect(S.coefficients[f].beta).toBeGreaterThanOrEqual(0);
    fc.assert(
      fc.property(arbEvidence, arbAttrs, fc.constantFrom('affiliationActivity', 'activityActivity', 'generalActivity', 'stateWave', 'nationalWave'), nonNeg(10), (ev, a, key, more) => {
        expect(assessRisk({ ...ev, [key]: ev[key] + more }, a, S).p).toBeGreaterThanOrEqual(assessRisk(ev, a, S).p * (1 - 1e-6));
      }),
    );
  });

  it('invite-only and virtual never raise p; a hostile reception never reads lower than a restricted one', () => {
    expect(S.coefficients.stanceHostile.beta).toBeGreaterThan(S.coefficients.stanceRestricted.beta);
    fc.assert(
      fc.property(arbEvidence, arbAttrs, (ev, a) => {
        const open = assessRisk(ev, { ...a, audience: 'public', format: 'in_person' }, S).p;
        expect(assessRisk(ev, { ...a, audience: 'invite_only', format: 'in_person' }, S).p).toBeLessThanOrEqual(open * (1 + 1e-6));
        expect(assessRisk(ev, { ...a, audience: 'public', format: 'virtual' }, S).p).toBeLessThanOrEqual(open * (1 + 1e-6));
        expect(assessRisk({ ...ev, latestStance: 'hostile' }, a, S).p).toBeGreaterThanOrEqual(assessRisk({ ...ev, latestStance: 'restricted' }, a, S).p * (1 - 1e-6));
      }),
    );
  });

  it('the same inputs give the same output', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, (ev, a) => {
        expect(assessRisk(ev, a, S)).toEqual(assessRisk(structuredClone(ev), { ...a }, S));
      }),
    );
  });

  it("a batch's memo changes nothing: each appearance at an institution gets what it gets alone", () => {
    fc.assert(
      fc.property(arbEvidence, fc.array(fc.tuple(arbAttrs, fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 6 }), (ev, apps) => {
        const memo = new AssessMemo();
        for (const [a, leadDays] of apps) expect(assessRisk(ev, a, S, leadDays * DAY, memo)).toEqual(assessRisk(structuredClone(ev), { ...a }, S, leadDays * DAY));
        // another parameter set with the same evidence object is not served the first set's values
        for (const [a, leadDays] of apps) expect(assessRisk(ev, a, P0, leadDays * DAY, memo)).toEqual(assessRisk(ev, a, P0, leadDays * DAY));
      }),
    );
  });

  it('uses logit consistently', () => expect(logit(0.5)).toBe(0));
});

describe('risk model — stance order and level floors (gaps a mutant slipped through)', () => {
  const sets: Array<[string, RiskParams]> = [
    ['starting', P0],
    ['shipped', SHIPPED_PARAMS],
  ];

  it.each(sets)('a hostile reception raises the odds more than a restricted one, and both more than none (%s set)', (_, params) => {
    expect(params.coefficients.stanceHostile.beta).toBeGreaterThan(params.coefficients.stanceRestricted.beta);
    expect(params.coefficients.stanceRestricted.beta).toBeGreaterThan(0);
    fc.assert(
      fc.property(arbEvidence, arbAttrs, (ev, a) => {
        const at = (latestStance: RiskEvidence['latestStance']) => assessRisk({ ...ev, latestStance }, a, params);
        const [none, open, restricted, hostile] = [at(null), at('welcoming'), at('restricted'), at('hostile')];
        expect(open.p).toBe(none.p);
        expect(restricted.p).toBeGreaterThan(none.p);
        expect(hostile.p).toBeGreaterThan(restricted.p);
        // the factor is named for what was recorded, with its own coefficient
        const factor = (r: typeof none, id: string) => r.factors.find((f) => f.id === id);
        expect(factor(hostile, 'stanceHostile')?.oddsMultiplier).toBeCloseTo(Math.exp(params.coefficients.stanceHostile.beta), 12);
        expect(factor(hostile, 'stanceRestricted')).toBeUndefined();
        expect(factor(restricted, 'stanceRestricted')?.oddsMultiplier).toBeCloseTo(Math.exp(params.coefficients.stanceRestricted.beta), 12);
        expect(factor(restricted, 'stanceHostile')).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('the starting priors rank the stances: hostile ×2.5, restricted ×1.6', () => {
    expect(Math.exp(P0.coefficients.stanceHostile.prior)).toBeCloseTo(2.5, 12);
    expect(Math.exp(P0.coefficients.stanceRestricted.prior)).toBeCloseTo(1.6, 12);
  });

  /** Evidence whose probability alone is Critical: many recent disruptions aimed at us here. */
  const hot: RiskEvidence = { ...quiet, institution: rate(12, 9, [2, 3, 3, 1]), state: rate(12, 9, [2, 3, 3, 1]), organisation: rate(40, 12, [4, 4, 3, 1]) };

  it('an announced protest never lowers a Critical probability to High', () => {
    const without = assessRisk(hot, plain, P);
    expect(without.level).toBe('critical');
    expect(without.overrides).toEqual([]);
    const announced = assessRisk(hot, { ...plain, protestAnnounced: true }, P);
    expect(announced.level).toBe('critical');
    expect(announced.overrides).toEqual(['protest_announced']);
  });

  it('an announced protest lifts Low and Moderate to High, and leaves High as it is', () => {
    const low = assessRisk(quiet, { ...plain, format: 'virtual', audience: 'invite_only' }, P);
    expect(low.level).toBe('low');
    expect(assessRisk(quiet, { ...plain, format: 'virtual', audience: 'invite_only', protestAnnounced: true }, P).level).toBe('high');
    fc.assert(
      fc.property(arbEvidence, arbAttrs, (ev, a) => {
        const base = assessRisk({ ...ev, criticalRecently: false }, { ...a, protestAnnounced: false }, SHIPPED_PARAMS);
        const announced = assessRisk({ ...ev, criticalRecently: false }, { ...a, protestAnnounced: true }, SHIPPED_PARAMS);
        expect(announced.level).toBe(base.level === 'critical' ? 'critical' : 'high');
        expect(announced.p).toBe(base.p);
      }),
      { numRuns: 60 },
    );
  });

  it('a recent critical incident makes any level Critical', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, (ev, a) => {
        expect(assessRisk({ ...ev, criticalRecently: true }, a, SHIPPED_PARAMS).level).toBe('critical');
      }),
      { numRuns: 40 },
    );
  });
});

describe('snapshot detail serialisation', () => {
  it('the fast batch form is the same text as JSON.stringify(detailOf(...))', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, fc.integer({ min: 0, max: 1e10 }), (ev, a, lead) => {
        const r = assessRisk(ev, a, SHIPPED_PARAMS, lead);
        expect(detailJson(r, evidenceJson(ev), lead)).toBe(JSON.stringify(detailOf(r, ev, lead)));
      }),
      { numRuns: 200 },
    );
  });

  it("a stored detail gives back its assessment's very reasons and factor sentences: the factors' sentences are rebuilt, not stored", () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, fc.integer({ min: 0, max: 1e10 }), (ev, a, lead) => {
        const r = assessRisk(ev, a, SHIPPED_PARAMS, lead);
        const text = detailJson(r, evidenceJson(ev), lead);
        const d = JSON.parse(text) as Record<string, unknown>;
        expect('reasons' in d).toBe(false);
        expect(reasonsOf(d)).toEqual(r.reasons);
        const row = { id: 'x', appearanceId: 'y', asOf: 0, trigger: 't', modelVersion: r.modelVersion, p: r.p, pSevere: r.pSevere, level: r.level, intervalLow: 0, intervalHigh: 0, createdAt: 0 };
        const view = toView({ ...row, detail: text });
        expect(view.reasons).toEqual(r.reasons);
        expect(view.factors.map((f) => f.text)).toEqual(r.factors.map((f) => f.text));
      }),
      { numRuns: 200 },
    );
  });

  it("an assessment's own factor sentence is read off the rounded numbers: ×9.9999996 reads ×10 when computed and when read back", () => {
    // unrounded, 9.9999996 would read "×10.0" (two decimals under 10); rounded to 6 digits it is 10
    const params = withBetas(P, { visibleBranding: Math.log(9.9999996) }, 'near-ten');
    const r = assessRisk(quiet, { ...plain, visibleBranding: true }, params);
    const f = r.factors.find((x) => x.id === 'visibleBranding')!;
    expect(f.oddsMultiplier).toBeCloseTo(9.9999996, 9);
    expect(f.text).toMatch(/: odds ×10 \(/);
    expect(r.reasons).toContain(`${f.text}.`);
    expect(reasonsOf(JSON.parse(detailJson(r, evidenceJson(quiet), 0)))).toEqual(r.reasons);
  });

  it('factor sentences are read off the numbers as stored: a multiplier that rounds to ×1.1 is listed, and the points read as rounded', () => {
    expect(factorSentences([{ label: 'Near the line', points: 0.0999999996, oddsMultiplier: 1.0999999996 }])).toEqual(['Near the line: odds ×1.1 (+0.1 points).']);
    expect(factorSentences([{ label: 'Below it', points: 0.05, oddsMultiplier: 1.099994 }])).toEqual([]);
    expect(factorSentences([{ label: 'Lowering', points: -2.5, oddsMultiplier: 0.9 }])).toEqual(['Lowering: odds ×0.9 (−2.5 points).']);
  });

  it('reads the reasons of older snapshots as they were stored, and of a detail without any as none', () => {
    expect(reasonsOf({ reasons: ['Stored whole.', 7], notes: { before: ['ignored'], after: [] } })).toEqual(['Stored whole.']);
    expect(reasonsOf({})).toEqual([]);
    expect(reasonsOf({ notes: 'junk', factors: [{ label: 'X', points: 3, oddsMultiplier: 2 }] })).toEqual([]);
    expect(reasonsOf({ notes: { before: ['First.'], after: ['Last.'] }, factors: [{ label: 'X', points: 3, oddsMultiplier: 2 }, { label: 7 }, null] })).toEqual([
      'First.',
      'X: odds ×2.0 (+3.0 points).',
      'Last.',
    ]);
  });
});

describe('risk model — its parts, one by one (gaps a mutation run showed)', () => {
  const S = SHIPPED_PARAMS;

  it('maxLevel takes the higher of two levels, either way round', () => {
    expect(maxLevel('low', 'critical')).toBe('critical');
    expect(maxLevel('critical', 'low')).toBe('critical');
    expect(maxLevel('moderate', 'high')).toBe('high');
    expect(maxLevel('high', 'moderate')).toBe('high');
  });

  it('recordWeight halves per half-life, scaled by trust; a future record weighs nothing, one from now weighs its trust', () => {
    expect(recordWeight(-1, 365, 'corroborated', P0)).toBe(0);
    expect(recordWeight(0, 365, 'reported', P0)).toBe(P0.trust.reported);
    expect(recordWeight(365 * DAY, 365, 'corroborated', P0)).toBeCloseTo(0.5 * P0.trust.corroborated, 12);
    expect(recordWeight(730 * DAY, 365, 'disputed', P0)).toBeCloseTo(0.25 * P0.trust.disputed, 12);
  });

  it.each<[number | null | undefined, number]>([
    [null, 0],
    [undefined, 0],
    [100, 0],
    [101, 1],
    [250, 1],
    [251, 2],
    [1001, 4],
  ])('attendanceTiers(%s) over 100/250/500/1000 is %i (a tier is passed only above its threshold)', (expected, tiers) => {
    expect(attendanceTiers(expected as number | null, [100, 250, 500, 1000])).toBe(tiers);
  });

  it('sigmoid is 1/(1 + e^-x) on both sides, finite at the extremes', () => {
    for (const x of [-30, -2.5, -0.1, 0, 0.1, 2.5, 30]) expect(sigmoid(x)).toBeCloseTo(1 / (1 + Math.exp(-x)), 14);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-700)).toBeGreaterThan(0);
    expect(logit(sigmoid(1.7))).toBeCloseTo(1.7, 12);
  });

  it('projectEvidence decays context by its half-life and waves by e^(−Δt/τ) to the start; the own record and the rest stay', () => {
    const known: RiskEvidence = { ...quiet, affiliationActivity: 8, activityActivity: 4, generalActivity: 2, stateWave: 6, nationalWave: 3, institution: rate(4, 1) };
    const P1 = { ...S, decayToStart: true };
    const lead = P1.halfLifeContextDays * DAY;
    const e = projectEvidence(known, lead, P1);
    const w = Math.exp(-lead / (P1.waveTimescaleDays * DAY));
    expect(e.affiliationActivity).toBeCloseTo(4, 12);
    expect(e.activityActivity).toBeCloseTo(2, 12);
    expect(e.generalActivity).toBeCloseTo(1, 12);
    expect(e.stateWave).toBeCloseTo(6 * w, 12);
    expect(e.nationalWave).toBeCloseTo(3 * w, 12);
    expect(e.institution).toBe(known.institution);
    expect(e.recent).toBe(known.recent);
    // no lead, or decay switched off: the evidence as known
    expect(projectEvidence(known, 0, P1)).toBe(known);
    expect(projectEvidence(known, lead, { ...P1, decayToStart: false })).toBe(known);
  });

  it.each<[string, Partial<AppearanceAttributes>, Partial<RiskEvidence>, string[]]>([
    ['a public institution', { ownership: 'public' }, {}, ['presence', 'publicInstitution']],
    ['a private nonprofit one', { ownership: 'private nonprofit' }, {}, ['presence', 'nonprofitInstitution']],
    ['a for-profit one (the baseline)', { ownership: 'private for-profit' }, {}, ['presence']],
    ['a graduate-degree one', { highestDegree: 'graduate' }, {}, ['presence', 'graduateDegree']],
    ['a bachelor-degree one', { highestDegree: 'bachelor' }, {}, ['presence', 'bachelorDegree']],
    ['an associate-degree one (the baseline)', { highestDegree: 'associate' }, {}, ['presence']],
    ['visible branding', { visibleBranding: true }, {}, ['presence', 'visibleBranding']],
    ['a public career fair', { kind: 'career_fair' }, {}, ['presence', 'publicCareerFair']],
    ['an invite-only career fair (not a public one)', { kind: 'career_fair', audience: 'invite_only' }, {}, ['presence', 'inviteOnly']],
    ['a public info session (not a fair)', { kind: 'info_session' }, {}, ['presence']],
    ['a reference appearance (no presence)', { reference: true }, {}, []],
  ])('featureValues for %s', (_what, attrs, ev, ids) => {
    expect(featureValues({ ...quiet, ...ev }, { ...plain, ...attrs }, S).map((f) => f.id)).toEqual(ids);
  });

  it("a factor's points are p minus p without it, the same p as assessing without that factor", () => {
    const ev: RiskEvidence = { ...quiet, institution: rate(5, 2, [1, 0, 1, 0]), state: rate(20, 3, [1, 1, 1, 0]), organisation: rate(98, 8, [4, 2, 1, 1]) };
    const attrs: AppearanceAttributes = { ...plain, kind: 'career_fair', expectedAttendance: 300, visibleBranding: true };
    const r = assessRisk(ev, attrs, P);
    const tier = r.factors.find((f) => f.id === 'attendanceTier')!;
    const branding = r.factors.find((f) => f.id === 'visibleBranding')!;
    expect(tier.pWithout).toBeCloseTo(assessRisk(ev, { ...attrs, expectedAttendance: null }, P).p, 6);
    expect(branding.pWithout).toBeCloseTo(assessRisk(ev, { ...attrs, visibleBranding: false }, P).p, 6);
    for (const f of [tier, branding]) expect(f.points).toBeCloseTo((r.p - f.pWithout) * 100, 12);
    expect(tier.points).toBeGreaterThan(0);
    // the own record: p against the same appearance with the own rate at the prior mean (context and attributes alone)
    const own = r.factors.find((f) => f.id === 'ownRecord')!;
    const odds = (x: number) => x / (1 - x);
    const pContext = 1 / (1 + Math.exp(-(P.intercept.beta + Math.log(1.5 * 1.3 * 1.44))));
    expect(own.pWithout).toBeCloseTo(pContext, 12);
    expect(own.oddsMultiplier).toBeCloseTo(odds(r.p) / odds(pContext), 9);
    expect(own.points).toBeCloseTo((r.p - pContext) * 100, 9);
    expect(own.value).toBeCloseTo(r.baseRate.institution.rate, 12);
  });

  it('the own record is a factor once the organisation has half an appearance of history, not before', () => {
    const ids = (n: number) => assessRisk({ ...quiet, organisation: rate(n, 0), state: rate(Math.min(n, 0.2), 0), institution: rate(0, 0) }, plain, P).factors.map((f) => f.id);
    expect(ids(0)).not.toContain('ownRecord');
    expect(ids(0.49)).not.toContain('ownRecord');
    expect(ids(0.5)).toContain('ownRecord');
    expect(ids(3)).toContain('ownRecord');
  });

  it('a very weak prior (own rate near 0 or 1) or an interval of the whole mass: the interval stays finite and strictly inside (0, 1)', () => {
    for (const m of [1e-3, 1e-4]) {
      const params: RiskParams = { ...S, version: `weak-${m}`, mState: m, mInstitution: m };
      for (const inst of [rate(0, 0), rate(0.01, 0), rate(0.01, 0.01)]) {
        const r = assessRisk({ ...quiet, institution: inst }, plain, params);
        expect({ m, inst, low: r.interval.low > 0, high: r.interval.high < 1, finite: [r.p, r.interval.low, r.interval.high].every(Number.isFinite) }).toEqual({
          m,
          inst,
          low: true,
          high: true,
          finite: true,
        });
      }
    }
    // an interval of the whole mass runs from the own rate's quantile 0 to its quantile 1
    const whole = assessRisk({ ...quiet, institution: rate(2, 1) }, plain, { ...S, version: 'whole-interval', intervalMass: 1 });
    expect([whole.interval.low > 0, whole.interval.low < whole.p, whole.interval.high > whole.p, whole.interval.high < 1]).toEqual([true, true, true, true]);
  });

  it('one memo serves two parameter sets: each gets what it gets alone', () => {
    const ev: RiskEvidence = { ...quiet, institution: rate(6, 2, [1, 1, 0, 0]), state: rate(30, 4), organisation: rate(120, 9) };
    const memo = new AssessMemo();
    // a third set that differs from S only in its prior strengths: the memo's posterior is per set
    const weak: RiskParams = { ...S, version: `${S.version}-weak-priors`, mState: S.mState / 4, mInstitution: S.mInstitution / 4 };
    for (const params of [P, S, P, weak, S]) {
      const alone = assessRisk(ev, plain, params);
      const shared = assessRisk(ev, plain, params, 0, memo);
      expect(shared.p).toBe(alone.p);
      expect(shared.interval).toEqual(alone.interval);
      expect(shared.baseRate).toEqual(alone.baseRate);
    }
  });

  it('a stored parameter set that is not whole is refused, saying what is wrong and naming the set', () => {
    const good = JSON.parse(JSON.stringify(S)) as RiskParams;
    expect(parseParams(JSON.stringify(good)).version).toBe(S.version);
    const broken = (f: (p: any) => void) => {
      const p = JSON.parse(JSON.stringify(S));
      f(p);
      return () => parseParams(p);
    };
    expect(() => parseParams({})).toThrow('risk parameter set ?: no version');
    expect(() => parseParams(null)).toThrow('risk parameter set ?: no version');
    expect(broken((p) => delete p.coefficients.presence)).toThrow(`risk parameter set ${S.version}: coefficient presence missing or not finite`);
    expect(broken((p) => (p.coefficients.virtual.priorSd = null))).toThrow(`risk parameter set ${S.version}: coefficient virtual missing or not finite`);
    expect(broken((p) => (p.intercept.beta = 'x'))).toThrow(`risk parameter set ${S.version}: intercept not finite`);
    expect(broken((p) => (p.thresholds.highP = null))).toThrow(`risk parameter set ${S.version}: threshold highP not finite`);
    expect(broken((p) => (p.mState = 0))).toThrow(`risk parameter set ${S.version}: prior strengths must be > 0`);
    expect(broken((p) => (p.mInstitution = -1))).toThrow(`risk parameter set ${S.version}: prior strengths must be > 0`);
    expect(broken((p) => (p.mInstitution = 0))).toThrow(`risk parameter set ${S.version}: prior strengths must be > 0`);
    // a part missing whole is named too (not a TypeError from reading inside it)
    expect(broken((p) => delete p.coefficients)).toThrow(`risk parameter set ${S.version}: coefficient ${FEATURES[0]} missing or not finite`);
    expect(broken((p) => delete p.intercept)).toThrow(`risk parameter set ${S.version}: intercept not finite`);
  });
});
