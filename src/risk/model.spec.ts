import fc from 'fast-check';
import { APPEARANCE_FORMATS, APPEARANCE_KINDS, AUDIENCES, STANCES, VERIFICATIONS } from '../common/enums';
import { betaQuantile, incompleteBeta } from './beta';
import { MITIGATION_IDS } from './mitigations';
import { AppearanceAttributes, assessRisk, attendanceTiers, DAY, levelFor, levelRank, projectEvidence, RateEvidence, recordWeight, RiskEvidence } from './model';
import { CONTEXT_KEYS, RISK_PARAMS, STARTING_ODDS_RATIOS } from './params';
import { detailJson, detailOf, evidenceJson } from './risk.view';

const P = RISK_PARAMS;
const rate = (n: number, k: number, severity: [number, number, number, number] = [0, 0, 0, 0]): RateEvidence => ({ n, k, severity });
const quiet: RiskEvidence = {
  institution: rate(0, 0),
  state: rate(0, 0),
  organisation: rate(0, 0),
  peerActivity: 0,
  generalActivism: 0,
  regionalWave: 0,
  latestStance: null,
  declinedRecently: false,
  criticalRecently: false,
};
const plain: AppearanceAttributes = {
  kind: 'info_session',
  format: 'in_person',
  audience: 'public',
  expectedAttendance: 50,
  visibleBranding: false,
  protestAnnounced: false,
  limitsImmigrationCooperation: false,
};

describe('risk model — worked example (computed by hand)', () => {
  // Evidence: organisation n=98, k=8; state n=20, k=3; institution n=5, k=2.
  // Organisation prior Beta(0.6, 19.4) (mean 3%, strength 20):
  //   p_N = (8 + 0.6) / (98 + 20)              = 8.6 / 118         = 0.072881
  //   p_S = (3 + 10·0.072881) / (20 + 10)      = 3.728814 / 30     = 0.124294
  //   p_I = (2 + 5·0.124294) / (5 + 5)         = 2.621469 / 10     = 0.262147   Z_I = 5/10 = 50%
  // Appearance: public career fair (×1.3), visible branding (×1.5), 300 expected (2 tiers: ×1.2² = 1.44)
  //   odds = 0.262147/0.737853 · 1.5·1.3·1.44 = 0.355283 · 2.808 = 0.997636   p = 0.997636/1.997636 = 0.499408
  // Without branding: odds = 0.355283 · 1.872 = 0.665090 → p = 0.399432 → branding adds +10.0 points.
  // Severity shares (class counts org [4,2,1,1], state [1,1,1,0], institution [1,0,1,0]):
  //   q_N = [(4+6)/18, (2+3)/18, (1+0.8)/18, (1+0.2)/18]      (prior pseudo-counts 6:3:0.8:0.2, strength 10)
  //       → q_N3 = 0.1, q_N4 = 0.066667
  //   q_S3 = (1 + 10·0.1)/13 = 0.153846, q_S4 = (0 + 10·0.066667)/13 = 0.051282
  //   q_I3 = (1 + 5·0.153846)/7 = 0.252747, q_I4 = (0 + 5·0.051282)/7 = 0.036630
  //   p_sev = 0.499408 · (0.252747 + 0.036630) = 0.499408 · 0.289377 = 0.144517
  // Level: p < 0.50 but p_sev ≥ 0.10 → high (p_sev < 0.25, so not critical).
  const ev: RiskEvidence = {
    ...quiet,
    institution: rate(5, 2, [1, 0, 1, 0]),
    state: rate(20, 3, [1, 1, 1, 0]),
    organisation: rate(98, 8, [4, 2, 1, 1]),
  };
  const attrs: AppearanceAttributes = { ...plain, kind: 'career_fair', expectedAttendance: 300, visibleBranding: true };
  const r = assessRisk(ev, attrs, P);

  it.each([
    ['organisation rate', r.baseRate.organisation.rate, 0.072881],
    ['state rate', r.baseRate.state.rate, 0.124294],
    ['institution rate', r.baseRate.institution.rate, 0.262147],
    ['credibility share Z_I', r.baseRate.institution.credibility, 0.5],
    ['p', r.p, 0.499408],
    ['p_sev', r.pSevere, 0.144517],
    ['severity share q_I3', r.severityShare[2], 0.252747],
    ['severity share q_I4', r.severityShare[3], 0.03663],
  ])('%s = %d', (_name, got, want) => {
    expect(got).toBeCloseTo(want, 5);
  });

  it('reads the level off the probabilities and explains the factors', () => {
    expect(r.level).toBe('high');
    expect(r.levelMeaning).toMatch(/^High: disruption is more likely than not/);
    const branding = r.factors.find((f) => f.id === 'visibleBranding');
    expect(branding?.oddsMultiplier).toBeCloseTo(1.5, 10);
    expect(branding?.pWithout).toBeCloseTo(0.399432, 5);
    expect(branding?.points).toBeCloseTo(9.998, 2);
    expect(branding?.text).toBe('Visible uniforms or agency branding: +10 points (odds ×1.5)');
    expect(r.factors.find((f) => f.id === 'attendanceTier')?.oddsMultiplier).toBeCloseTo(1.44, 10);
    expect(r.reasons[0]).toBe('Visible uniforms or agency branding: +10 points (odds ×1.5).');
    expect(r.reasons.join(' ')).toContain("this campus's own record counts for 50% of the estimate");
    expect(r.reasons.join(' ')).not.toMatch(/No recorded history|Little evidence/); // 98 effective appearances: not thin
  });

  it('takes the 80% range from the posterior Beta(2.621469, 7.378531) carried through the same log-odds shift', () => {
    // Beta posterior of the institution rate: a = k_I + m_I·p_S = 2 + 0.621469 = 2.621469,
    // b = n_I − k_I + m_I·(1 − p_S) = 3 + 4.378531 = 7.378531
    const shift = Math.log(2.808);
    const back = (p: number) => 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) - shift)));
    expect(incompleteBeta(back(r.interval.low), 2.621469, 7.378531)).toBeCloseTo(0.1, 5);
    expect(incompleteBeta(back(r.interval.high), 2.621469, 7.378531)).toBeCloseTo(0.9, 5);
    expect(r.interval.low).toBeLessThan(r.p);
    expect(r.interval.high).toBeGreaterThan(r.p);
  });

  it('recommends the high-level checklist and civilian dress', () => {
    const ids = r.mitigations.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['civilian_dress', 'host_security_plan', 'exit_plan', 'buddy_system']));
    expect(ids).not.toContain('senior_go_no_go');
    for (const id of ids) expect(MITIGATION_IDS).toContain(id);
  });
});

describe('risk model — tables', () => {
  it.each([
    // p, p_sev, level
    [0.1, 0.01, 'low'],
    [0.2, 0.0, 'moderate'],
    [0.1, 0.03, 'moderate'],
    [0.5, 0.0, 'high'],
    [0.3, 0.1, 'high'],
    [0.6, 0.25, 'critical'],
    [0.19999, 0.02999, 'low'],
  ] as const)('p=%d, p_sev=%d → %s', (p, ps, level) => {
    expect(levelFor(p, ps, P)).toBe(level);
  });

  it.each([
    [null, 0],
    [100, 0],
    [101, 1],
    [250, 1],
    [251, 2],
    [600, 3],
    [5000, 4],
  ] as const)('attendance %s → %d tiers', (n, tiers) => {
    expect(attendanceTiers(n, P.attendanceTiers)).toBe(tiers);
  });

  it.each([
    // age (days), half-life, verification, weight
    [0, 365, 'corroborated', 1],
    [365, 365, 'corroborated', 0.5],
    [730, 365, 'reported', 0.2],
    [180, 180, 'disputed', 0.2],
    [-1, 365, 'corroborated', 0],
  ] as const)('a record %d days old (h=%d, %s) weighs %d', (age, h, v, w) => {
    expect(recordWeight(age * DAY, h, v, P)).toBeCloseTo(w, 10);
  });

  it('with no history at all says the organisation prior (3%), Low, and says plainly that it is a prior', () => {
    // p_N = p_S = p_I = 0.6 / 20 = 0.03; severity shares = the prior 6:3:0.8:0.2 → q_3 + q_4 = 0.1
    const r = assessRisk(quiet, plain, P);
    expect(r.p).toBeCloseTo(0.03, 10);
    expect(r.pSevere).toBeCloseTo(0.003, 10);
    expect(r.severityShare).toEqual([0.6, 0.3, 0.08, 0.02].map((x) => expect.closeTo(x, 10)));
    expect(r.level).toBe('low');
    expect(r.baseRate.institution.credibility).toBe(0);
    expect(r.baseRate.organisation).toMatchObject({ priorRate: 0.03, priorStrength: 20 });
    expect(r.reasons[0]).toBe(
      'No recorded history: this is the organisation-wide prior (3% per appearance, worth 20 appearances), not a measurement — it will move as appearances and incidents are recorded.',
    );
    // the riskiest attributes an appearance can have, still with no history: odds 0.6/19.4 · 1.5·1.3·1.2⁴·1.4
    //   = 0.030928 · 5.660 = 0.17506 → p = 0.148994, p_sev = 0.014899 → Low (not Critical, as Beta(1,1) said)
    const loud: AppearanceAttributes = { ...plain, kind: 'career_fair', expectedAttendance: 5000, visibleBranding: true, limitsImmigrationCooperation: true };
    const worst = assessRisk(quiet, loud, P);
    expect(worst.p).toBeCloseTo(0.148994, 5);
    expect(worst.level).toBe('low');
  });

  it('with no history the level is at most Moderate whatever the attributes (only the overrides go higher)', () => {
    fc.assert(
      fc.property(arbAttrs, (a) => levelRank(assessRisk(quiet, { ...a, protestAnnounced: false }, P).level) <= levelRank('moderate')),
    );
  });

  it('with little history says how little, and how much the prior still counts', () => {
    // organisation n = 5 < 20: the prior counts for 20 / 25 = 80% of the organisation rate
    const r = assessRisk({ ...quiet, organisation: rate(5, 0), state: rate(5, 0), institution: rate(2, 0) }, plain, P);
    expect(r.reasons[0]).toBe(
      'Little evidence so far: 5.0 effective past appearances across the whole organisation, so the organisation-wide prior (3%) still counts for 80% of its rate.',
    );
  });

  it('an announced protest sets at least High; a recent critical incident sets Critical', () => {
    const calm: RiskEvidence = { ...quiet, organisation: rate(1000, 10), state: rate(100, 1), institution: rate(10, 0) };
    expect(assessRisk(calm, plain, P).level).toBe('low');
    const announced = assessRisk(calm, { ...plain, protestAnnounced: true }, P);
    expect(announced.level).toBe('high');
    expect(announced.overrides).toEqual(['protest_announced']);
    const critical = assessRisk({ ...calm, criticalRecently: true }, plain, P);
    expect(critical.level).toBe('critical');
    expect(critical.mitigations.map((m) => m.id)).toEqual(expect.arrayContaining(['senior_go_no_go', 'virtual_alternative']));
  });

  it('a declined partnership asks for a written reconfirmation', () => {
    const r = assessRisk({ ...quiet, organisation: rate(1000, 100), declinedRecently: true }, plain, P);
    expect(r.factors.find((f) => f.id === 'declinedRecently')?.oddsMultiplier).toBe(2);
    expect(r.mitigations.map((m) => m.id)).toContain('host_written_reconfirmation');
  });

  it('decays what is known at as-of on to the appearance start (a later date sees a faded wave)', () => {
    const ev: RiskEvidence = { ...quiet, institution: rate(4, 2, [1, 1, 0, 0]), state: rate(40, 4), organisation: rate(400, 20), peerActivity: 2, generalActivism: 3, regionalWave: 1.5 };
    const p14 = projectEvidence(ev, 14 * DAY, P);
    expect(p14.regionalWave).toBeCloseTo(1.5 * Math.exp(-1), 10); // e^(−14/14)
    expect(p14.peerActivity).toBeCloseTo(2 * Math.pow(2, -14 / 180), 10);
    expect(p14.institution).toBe(ev.institution); // the own record is not projected
    expect(projectEvidence(ev, 0, P)).toBe(ev);
    expect(projectEvidence(ev, 14 * DAY, { ...P, decayToStart: false })).toBe(ev);
    const starting = { ...P, oddsRatios: STARTING_ODDS_RATIOS };
    const soon = assessRisk(ev, plain, starting, DAY).p;
    const later = assessRisk(ev, plain, starting, 60 * DAY).p;
    expect(later).toBeLessThan(soon);
  });

  it('computes Beta quantiles (checked against known values)', () => {
    expect(betaQuantile(0.5, 1, 1)).toBeCloseTo(0.5, 6);
    expect(betaQuantile(0.1, 1, 1)).toBeCloseTo(0.1, 6);
    expect(betaQuantile(0.9, 2, 1)).toBeCloseTo(Math.sqrt(0.9), 6); // CDF x²
    expect(betaQuantile(0.1, 1, 3)).toBeCloseTo(1 - Math.cbrt(0.9), 6); // CDF 1 − (1 − x)³
  });
});

// ---- properties ------------------------------------------------------------------------------

const nonNeg = (max: number) => fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true });
const arbRate = fc
  .tuple(nonNeg(500), fc.double({ min: 0, max: 1, noNaN: true }), fc.tuple(nonNeg(50), nonNeg(50), nonNeg(50), nonNeg(50)))
  .map(([n, share, sev]) => rate(n, n * share, sev));
const arbEvidence: fc.Arbitrary<RiskEvidence> = fc.record({
  institution: arbRate,
  state: arbRate,
  organisation: arbRate,
  peerActivity: nonNeg(20),
  generalActivism: nonNeg(50),
  regionalWave: nonNeg(10),
  latestStance: fc.constantFrom(null, ...STANCES),
  declinedRecently: fc.boolean(),
  criticalRecently: fc.boolean(),
});
const arbAttrs: fc.Arbitrary<AppearanceAttributes> = fc.record({
  kind: fc.constantFrom(...APPEARANCE_KINDS),
  format: fc.constantFrom(...APPEARANCE_FORMATS),
  audience: fc.constantFrom(...AUDIENCES),
  expectedAttendance: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
  visibleBranding: fc.boolean(),
  protestAnnounced: fc.boolean(),
  limitsImmigrationCooperation: fc.boolean(),
});

/** Adds one incident aimed at the organisation (weight w, severity class c) at the institution: it counts in all three levels. */
function withIncident(ev: RiskEvidence, w: number, c: number): RiskEvidence {
  const bump = (r: RateEvidence): RateEvidence => {
    const severity = [...r.severity] as RateEvidence['severity'];
    severity[c] += w;
    return { n: r.n + w, k: r.k + w, severity };
  };
  return { ...ev, institution: bump(ev.institution), state: bump(ev.state), organisation: bump(ev.organisation) };
}

describe('risk model — properties', () => {
  it('p stays within [0.01, 0.95] and p_sev ≤ p', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, fc.integer({ min: 0, max: 400 * DAY }), (ev, a, lead) => {
        const r = assessRisk(ev, a, P, lead);
        return r.p >= 0.01 && r.p <= 0.95 && r.pSevere <= r.p && r.interval.low <= r.p + 1e-12 && r.interval.high >= r.p - 1e-12;
      }),
    );
  });

  it('adding an incident aimed at the organisation never lowers p', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 400 * DAY }), (ev, a, w, c, lead) => {
        return assessRisk(withIncident(ev, w, c), a, P, lead).p >= assessRisk(ev, a, P, lead).p - 1e-12;
      }),
    );
  });

  it('an older incident never weighs more than a newer one', () => {
    fc.assert(
      fc.property(nonNeg(3650), nonNeg(3650), fc.constantFrom(...VERIFICATIONS), fc.constantFrom(365, 180), (a, b, v, h) => {
        const [newer, older] = a <= b ? [a, b] : [b, a];
        const wNew = recordWeight(newer * DAY, h, v, P);
        const wOld = recordWeight(older * DAY, h, v, P);
        return wOld <= wNew;
      }),
    );
    // and through the model: the same incident counted with its older weight gives p no higher
    fc.assert(
      fc.property(arbEvidence, arbAttrs, nonNeg(1000), nonNeg(1000), (ev, a, d1, d2) => {
        const [newer, older] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const pNew = assessRisk(withIncident(ev, recordWeight(newer * DAY, 365, 'reported', P), 2), a, P).p;
        const pOld = assessRisk(withIncident(ev, recordWeight(older * DAY, 365, 'reported', P), 2), a, P).p;
        return pOld <= pNew + 1e-12;
      }),
    );
  });

  it('more activism (peer, general, regional wave) never lowers p: the shipped context odds ratios are ≥ 1', () => {
    for (const k of CONTEXT_KEYS) expect(P.oddsRatios[k]).toBeGreaterThanOrEqual(1);
    fc.assert(
      fc.property(arbEvidence, arbAttrs, fc.constantFrom(...CONTEXT_KEYS), nonNeg(20), fc.integer({ min: 0, max: 400 * DAY }), (ev, a, k, extra, lead) => {
        return assessRisk({ ...ev, [k]: ev[k] + extra }, a, P, lead).p >= assessRisk(ev, a, P, lead).p - 1e-12;
      }),
    );
  });

  it('invite-only and virtual never raise p', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, (ev, a) => {
        const base = assessRisk(ev, { ...a, audience: 'public', format: 'in_person' }, P).p;
        const invite = assessRisk(ev, { ...a, audience: 'invite_only', format: 'in_person' }, P).p;
        const virtual = assessRisk(ev, { ...a, audience: 'public', format: 'virtual' }, P).p;
        return invite <= base + 1e-12 && virtual <= base + 1e-12;
      }),
    );
  });

  it('a disputed incident weighs less than a corroborated one', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, nonNeg(1000), fc.integer({ min: 0, max: 3 }), (ev, a, age, c) => {
        const wD = recordWeight(age * DAY, 365, 'disputed', P);
        const wC = recordWeight(age * DAY, 365, 'corroborated', P);
        return wD < wC && assessRisk(withIncident(ev, wD, c), a, P).p <= assessRisk(withIncident(ev, wC, c), a, P).p + 1e-12;
      }),
    );
  });

  it('the same inputs give the same output', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, (ev, a) => {
        expect(assessRisk(ev, a, P)).toEqual(assessRisk(structuredClone(ev), { ...a }, P));
      }),
    );
  });
});

describe('snapshot detail serialisation', () => {
  it('the fast batch form is the same text as JSON.stringify(detailOf(...))', () => {
    fc.assert(
      fc.property(arbEvidence, arbAttrs, fc.integer({ min: 0, max: 1e10 }), (ev, a, lead) => {
        const r = assessRisk(ev, a, P);
        expect(detailJson(r, evidenceJson(ev), lead)).toBe(JSON.stringify(detailOf(r, ev, lead)));
      }),
      { numRuns: 200 },
    );
  });
});
