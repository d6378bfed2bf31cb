import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { RISK_LEVELS, RiskLevel } from '../common/enums';
import { normalQuantile } from './rate-interval';

/**
 * "Did the mitigation help?" as pure arithmetic. SQL groups debriefed appearances by
 * (predicted level, the exact set of mitigations used) with counts; here each set is expanded to
 * its mitigations, and for each mitigation the appearances that used it are compared with those
 * that did not AT THE SAME PREDICTED LEVEL. The pooled comparison is a direct standardisation: the
 * non-users' level-specific rates weighted by the users' level mix, so a mitigation used mostly at
 * High is not made to look bad next to Low appearances that never needed it.
 *
 * The difference (users' rate minus that standardised rate, over the levels where both arms exist)
 * is a stratified risk difference with weights w = users per level. Its 95% interval is the
 * Agresti–Caffo one: proportions adjusted to p̃ = (k+1)/(n+2), Σ (w/W)(p̃₁ − p̃₀) ± z·√(Σ (w/W)²
 * [p̃₁(1−p̃₁)/(n₁+2) + p̃₀(1−p̃₀)/(n₀+2)]), so a level with 0 of 2 disrupted does not claim zero
 * variance and a single comparable non-user does not pin the interval. The
 * test is Cochran–Mantel–Haenszel (with continuity correction) over the same levels. How many
 * appearances carry the estimate: the users at comparable levels, and the non-users' effective
 * number (Σw)² / Σ(w²/n₀) — one non-user weighted by twenty users counts as one, not twenty.
 *
 * Association, not effect: coordinators choose mitigations for the riskier appearances, so within a
 * level the users were likely riskier still (MITIGATION_CONFOUNDING).
 */

export interface MitigationSetRow {
  level: RiskLevel;
  mitigations: string[];
  appearances: number;
  disrupted: number;
  incidents: number;
  leads: number;
}

export interface Arm {
  appearances: number;
  disrupted: number;
  disruptedRate: number | null;
  incidents: number;
  incidentsPerAppearance: number | null;
}

export interface MitigationLevelRow {
  level: RiskLevel;
  used: Arm;
  notUsed: Arm;
}

export interface MitigationRow {
  mitigationId: string;
  text: string;
  byLevel: MitigationLevelRow[];
  used: Arm;
  /** Non-users' disruption rate standardised to the users' level mix (null when no comparable level). */
  comparableNotUsedRate: number | null;
  /** Users' rate minus comparableNotUsedRate at the comparable levels (negative = fewer disruptions when used). */
  difference: number | null;
  /** 95% interval of the difference. */
  differenceLow: number | null;
  differenceHigh: number | null;
  /** Cochran–Mantel–Haenszel p-value of "no association" at the comparable levels. */
  p: number | null;
  /** Users at levels where non-users exist too: the appearances the estimate rests on. */
  comparableUsed: number;
  /** The non-users' effective number after weighting by the users' level mix. */
  comparableNotUsedEffective: number;
  caution: string | null;
}

/** Below this many appearances in either arm, the row carries a caution. */
export const SMALL_ARM = 10;

/** Shown with every mitigation comparison, in the report and on the dashboard. */
export const MITIGATION_CONFOUNDING =
  'Mitigations are chosen for the riskier appearances, so those that used one were likely riskier, even at the same predicted level: ' +
  'a difference here is an association, not the effect of the mitigation, and can hide a real benefit.';

interface Stratum {
  n1: number;
  k1: number;
  n0: number;
  k0: number;
}

/** The stratified difference, its interval and test over strata where both arms exist (weights n1). */
export function stratifiedDifference(strata: Stratum[], confidence = 0.95) {
  const s = strata.filter((x) => x.n1 > 0 && x.n0 > 0);
  const W = s.reduce((a, x) => a + x.n1, 0);
  if (W === 0) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  let d = 0;
  let adjusted = 0;
  let variance = 0;
  let invEff = 0;
  let o = 0;
  let e = 0;
  let v = 0;
  for (const x of s) {
    const w = x.n1 / W;
    d += w * (x.k1 / x.n1 - x.k0 / x.n0);
    const a1 = (x.k1 + 1) / (x.n1 + 2);
    const a0 = (x.k0 + 1) / (x.n0 + 2);
    adjusted += w * (a1 - a0);
    variance += w * w * ((a1 * (1 - a1)) / (x.n1 + 2) + (a0 * (1 - a0)) / (x.n0 + 2));
    invEff += (w * w) / x.n0;
    const n = x.n1 + x.n0;
    const m1 = x.k1 + x.k0;
    o += x.k1;
    e += (x.n1 * m1) / n;
    v += (x.n1 * x.n0 * m1 * (n - m1)) / (n * n * (n - 1));
  }
  const half = z * Math.sqrt(variance);
  const dev = Math.max(0, Math.abs(o - e) - 0.5);
  return {
    difference: d,
    low: Math.max(-1, adjusted - half),
    high: Math.min(1, adjusted + half),
    p: v > 0 ? 1 - chisquareCdf((dev * dev) / v, 1) : 1,
    usedN: W,
    notUsedEffective: 1 / invEff,
  };
}

const about = (x: number) => (x >= 10 ? String(Math.round(x)) : String(Number(x.toFixed(1))));

function arm(appearances: number, disrupted: number, incidents: number): Arm {
  return {
    appearances,
    disrupted,
    disruptedRate: appearances > 0 ? disrupted / appearances : null,
    incidents,
    incidentsPerAppearance: appearances > 0 ? incidents / appearances : null,
  };
}

export function compareMitigations(rows: MitigationSetRow[], catalogue: ReadonlyArray<{ id: string; text: string }>): MitigationRow[] {
  return catalogue.map(({ id, text }) => {
    const byLevel = RISK_LEVELS.map((level) => {
      let un = 0;
      let uk = 0;
      let ui = 0;
      let nn = 0;
      let nk = 0;
      let ni = 0;
      for (const r of rows) {
        if (r.level !== level) continue;
        if (r.mitigations.includes(id)) {
          un += r.appearances;
          uk += r.disrupted;
          ui += r.incidents;
        } else {
          nn += r.appearances;
          nk += r.disrupted;
          ni += r.incidents;
        }
      }
      return { level, used: arm(un, uk, ui), notUsed: arm(nn, nk, ni) };
    });
    const used = arm(
      byLevel.reduce((s, l) => s + l.used.appearances, 0),
      byLevel.reduce((s, l) => s + l.used.disrupted, 0),
      byLevel.reduce((s, l) => s + l.used.incidents, 0),
    );
    // Direct standardisation over the levels where both arms exist.
    let weight = 0;
    let weighted = 0;
    for (const l of byLevel) {
      if (l.used.appearances > 0 && l.notUsed.appearances > 0) {
        weight += l.used.appearances;
        weighted += l.used.appearances * (l.notUsed.disruptedRate as number);
      }
    }
    const comparableNotUsedRate = weight > 0 ? weighted / weight : null;
    const sd = stratifiedDifference(byLevel.map((l) => ({ n1: l.used.appearances, k1: l.used.disrupted, n0: l.notUsed.appearances, k0: l.notUsed.disrupted })));
    const comparableUsed = sd?.usedN ?? 0;
    const comparableNotUsedEffective = sd?.notUsedEffective ?? 0;
    let caution: string | null = null;
    if (used.appearances === 0) caution = 'Never recorded as used in this window: nothing to compare.';
    else if (!sd) caution = 'No comparable appearances without it at the same predicted level: no comparison possible.';
    else if (comparableUsed < SMALL_ARM || comparableNotUsedEffective < SMALL_ARM - 1e-9)
      caution =
        `Small numbers (${comparableUsed} with, about ${about(comparableNotUsedEffective)} comparable without, once weighted to the same levels): ` + 'treat the difference as anecdote, not evidence.';
    if (sd && used.appearances > comparableUsed) {
      const left = used.appearances - comparableUsed;
      caution = `${caution ? `${caution} ` : ''}${left} appearance${left === 1 ? '' : 's'} with it at levels where nothing compares ${left === 1 ? 'is' : 'are'} left out.`;
    }
    return {
      mitigationId: id,
      text,
      byLevel,
      used,
      comparableNotUsedRate,
      difference: sd?.difference ?? null,
      differenceLow: sd?.low ?? null,
      differenceHigh: sd?.high ?? null,
      p: sd?.p ?? null,
      comparableUsed,
      comparableNotUsedEffective,
      caution,
    };
  });
}
