import type { RiskLevel } from '../common/enums';
import { ChecklistMoment, expandMitigations, stillDoable } from '../risk/mitigations';
import { pct, reasonsOf } from '../risk/risk-explain';
import { humanLocal, isValidZone } from '../common/time';

/** What an email says about an assessment. */
export interface RiskSummary {
  assessmentId: string;
  level: RiskLevel;
  levelWords: string;
  levelMeaning: string;
  /** Why the level is what it is when a rule set it rather than the estimate (an announced protest), else null. */
  levelRule: string | null;
  /** p in percent, to one decimal. */
  probabilityPct: number;
  /** p in words a reader compares with the level ("3.4%", "0.4%", "under 0.1%"). */
  probability: string;
  reasons: string[];
  mitigations: { id: string; text: string }[];
  evidence: { label: string; value: string }[];
  modelVersion: string;
}

export const LEVEL_WORDS: Record<RiskLevel, string> = { low: 'Low', moderate: 'Moderate', high: 'High', critical: 'Critical' };

const LEVEL_MEANING: Record<RiskLevel, string> = {
  low: 'disruption is unlikely; normal preparation is enough',
  moderate: 'some disruption is plausible; prepare the listed mitigations',
  high: 'disruption is likely; a security and exit plan is needed and this warning must be acknowledged',
  critical: 'serious disruption is likely; a senior go/no-go decision is needed and this warning must be acknowledged',
};

const RULE_WORDS: Record<string, string> = {
  protest_announced: 'a protest against this appearance has been announced',
  critical_incident_recent: 'a critical incident happened here recently',
  short_notice: "it was booked inside the host's advance-notice period",
};

/** "High because a protest … has been announced — a rule that sets the level whatever the estimated chance (22%)." */
export function levelRule(level: RiskLevel, p: number, overrides: unknown): string | null {
  if (!Array.isArray(overrides)) return null;
  // a rule explains the level it sets (short notice: Moderate; a protest or critical incident: High or Critical),
  // not a higher level the estimate reached on its own
  const explains = (o: string) => (o === 'short_notice' ? level === 'moderate' : level === 'high' || level === 'critical');
  const rules = overrides
    .map(String)
    .filter(explains)
    .map((o) => RULE_WORDS[o])
    .filter((w): w is string => !!w);
  if (!rules.length) return null;
  return `${LEVEL_WORDS[level]} because ${rules.join(' and ')} — a rule that sets the level whatever the estimated chance (${pct(p)})`;
}

export interface AssessmentRow {
  id: string;
  level: RiskLevel;
  p: number;
  modelVersion: string;
  detail: Record<string, unknown>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (!isObj(v)) return null;
  for (const k of ['words', 'text', 'reason', 'label', 'title', 'description', 'name']) {
    if (typeof v[k] === 'string' && v[k]) return v[k] as string;
  }
  return null;
}

function weightOf(v: unknown): number {
  if (!isObj(v)) return 0;
  for (const k of ['points', 'impact', 'delta', 'deltaP', 'contribution', 'weight']) {
    if (typeof v[k] === 'number') return Math.abs(v[k] as number);
  }
  return 0;
}

const humanise = (k: string) =>
  k
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .replace(/^\w/, (c) => c.toUpperCase());

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * Reads the risk engine's explanation (risk_assessments.detail) into what an email shows: the three
 * most important reasons (explicit `reasons`, else `factors` by size of effect), the mitigations
 * and the evidence counts. Tolerant of the explanation's exact shape so a model change cannot stop
 * mail from going out. Given the moment it is read (`at`), the checklist says only what can still be
 * done then ("a week before" three days before reads as what replaces it).
 */
export function summariseAssessment(a: AssessmentRow, at?: ChecklistMoment): RiskSummary {
  const d = a.detail ?? {};
  // stored as notes around the factors' sentences (older snapshots: the whole list), or only factors
  const rawReasons = Array.isArray(d.reasons) ? d.reasons : isObj(d.notes) ? reasonsOf(d) : Array.isArray(d.factors) ? d.factors : [];
  const ranked = rawReasons.some((r) => weightOf(r) > 0) ? [...rawReasons].sort((x, y) => weightOf(y) - weightOf(x)) : rawReasons;
  const reasons = ranked
    .map(textOf)
    .filter((s): s is string => !!s)
    .slice(0, 3);
  // stored as catalogue ids (older snapshots: { id, text }); the catalogue gives the words
  const catalogue = expandMitigations(d.mitigations);
  const mitigations = at ? stillDoable(catalogue, at) : catalogue;
  const evidence: { label: string; value: string }[] = [];
  const ev = isObj(d.evidence) ? d.evidence : isObj(d.counts) ? d.counts : null;
  const rate = (v: unknown) => (isObj(v) && typeof v.n === 'number' && typeof v.k === 'number' ? (v as { n: number; k: number }) : null);
  if (ev && rate(ev.institution)) {
    // The risk engine's RiskEvidence (src/risk/model.ts): decayed counts, said in words.
    const inst = rate(ev.institution)!;
    const state = rate(ev.state);
    evidence.push({ label: 'Past appearances at this institution (recency-weighted)', value: `${fmt(inst.n)}, ${fmt(inst.k)} with disruption` });
    if (state) evidence.push({ label: 'Past appearances in the state (recency-weighted)', value: `${fmt(state.n)}, ${fmt(state.k)} with disruption` });
    for (const [k, label] of [
      ['affiliationActivity', "Protests here on our affiliation's topics (recency-weighted)"],
      ['activityActivity', 'Actions here against recruiters and employers (recency-weighted)'],
      ['generalActivity', 'Other campus activism here (recency-weighted)'],
      ['stateWave', 'Wave of incidents on our topics in the state'],
      // snapshots made before forewarn-risk-2.0
      ['peerActivity', 'Incidents at the institution aimed at peer recruiters'],
      ['generalActivism', 'General campus activism at the institution'],
      ['regionalWave', 'Regional wave of incidents in the state'],
    ] as const) {
      if (typeof ev[k] === 'number') evidence.push({ label, value: fmt(ev[k] as number) });
    }
    if (typeof ev.latestStance === 'string') evidence.push({ label: 'Latest recorded stance of the institution', value: ev.latestStance });
    // stored: the deadline in epoch ms; the API view (the appearance page reads it): an ISO string
    const sn = isObj(d.shortNotice) ? d.shortNotice : null;
    const deadline = sn ? (typeof sn.deadline === 'number' ? sn.deadline : Date.parse(String(sn.deadline))) : NaN;
    if (sn && Number.isFinite(deadline) && isValidZone(sn.timeZone)) {
      evidence.push({ label: "Host's advance notice", value: `${fmt(Number(sn.advanceNoticeDays))} days required; booked after the deadline, ${humanLocal(deadline, sn.timeZone)}` });
    }
  } else if (ev) {
    for (const [k, v] of Object.entries(ev)) {
      if (typeof v === 'number') evidence.push({ label: humanise(k), value: fmt(v) });
      else if (typeof v === 'string' && v.length < 120) evidence.push({ label: humanise(k), value: v });
      else if (isObj(v)) {
        for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number') evidence.push({ label: `${humanise(k)}: ${humanise(k2).toLowerCase()}`, value: fmt(v2) });
      }
      if (evidence.length >= 12) break;
    }
  }
  return {
    assessmentId: a.id,
    level: a.level,
    levelWords: LEVEL_WORDS[a.level] ?? a.level,
    // the snapshot's own meaning, read off the thresholds of the parameter set that made it ("High: …" without the level word)
    levelMeaning: typeof d.levelMeaning === 'string' ? d.levelMeaning.replace(/^\w+:\s*/, '').replace(/\.$/, '') : (LEVEL_MEANING[a.level] ?? ''),
    levelRule: levelRule(a.level, Number(a.p), d.overrides),
    probabilityPct: Math.round(Number(a.p) * 1000) / 10,
    probability: pct(Number(a.p)),
    reasons,
    mitigations,
    evidence,
    modelVersion: a.modelVersion,
  };
}
