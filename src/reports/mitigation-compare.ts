import { RISK_LEVELS, RiskLevel } from '../common/enums';

/**
 * "Did the mitigation help?" as pure arithmetic. SQL groups debriefed appearances by
 * (predicted level, the exact set of mitigations used) with counts; here each set is expanded to
 * its mitigations, and for each mitigation the appearances that used it are compared with those
 * that did not AT THE SAME PREDICTED LEVEL. The pooled comparison is a direct standardisation: the
 * non-users' level-specific rates weighted by the users' level mix, so a mitigation used mostly at
 * High is not made to look bad next to Low appearances that never needed it.
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
  /** used.disruptedRate − comparableNotUsedRate (negative = fewer disruptions when used). */
  difference: number | null;
  caution: string | null;
}

/** Below this many appearances in either arm, the row carries a caution. */
export const SMALL_ARM = 10;

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
    let usedComparable = 0;
    let usedComparableK = 0;
    for (const l of byLevel) {
      if (l.used.appearances > 0 && l.notUsed.appearances > 0) {
        weight += l.used.appearances;
        weighted += l.used.appearances * (l.notUsed.disruptedRate as number);
        usedComparable += l.used.appearances;
        usedComparableK += l.used.disrupted;
      }
    }
    const comparableNotUsedRate = weight > 0 ? weighted / weight : null;
    const difference = comparableNotUsedRate === null ? null : usedComparableK / usedComparable - comparableNotUsedRate;
    const notUsedComparable = byLevel.filter((l) => l.used.appearances > 0).reduce((s, l) => s + l.notUsed.appearances, 0);
    let caution: string | null = null;
    if (used.appearances === 0) caution = 'Never recorded as used in this window: nothing to compare.';
    else if (comparableNotUsedRate === null) caution = 'No comparable appearances without it at the same predicted level: no comparison possible.';
    else if (used.appearances < SMALL_ARM || notUsedComparable < SMALL_ARM)
      caution = `Small numbers (${used.appearances} with, ${notUsedComparable} comparable without): treat the difference as anecdote, not evidence.`;
    return { mitigationId: id, text, byLevel, used, comparableNotUsedRate, difference, caution };
  });
}
