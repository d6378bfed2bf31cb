/**
 * The words of an assessment (RISK_MODEL §6): each factor's label with the evidence behind it, the
 * reasons a recruiter reads, and the mitigation checklist. Pure.
 */
import { TOPICS } from '../common/enums';
import type { RiskLevel } from '../common/enums';
import { Mitigation, MitigationId, mitigation } from './mitigations';
import type { AppearanceAttributes, FactorContribution, RiskEvidence, RiskResult, ShortNotice } from './model';
import { humanLocal } from '../common/time';
import { attendanceTiers } from './model';
import { r6 } from './round';
import { EVENT_SHORT } from './params';
import type { FeatureId, RiskParams } from './params';

/** A factor is named when its odds multiplier is at least this far from 1 (×1.1 or ×0.9). */
export const LISTED_MULTIPLIER = 1.1;

export const LEVEL_MEANINGS: Record<RiskLevel, string> = {
  low: 'Low: a disruption is unlikely (under 1 in 100) — plan as usual and report anything unusual.',
  moderate: 'Moderate: a disruption is possible (1 in 100 or more, several times a quiet campus) — follow the checklist and confirm with the host.',
  high: 'High: a disruption is a real possibility (1 in 20 or more, or a severe one 1 in 50), or a protest has been announced — take the checklist seriously and acknowledge the briefing.',
  critical:
    'Critical: a disruption is likely enough to plan around (1 in 4 or more, or a severe one 1 in 20), or there was a critical incident here in the last 180 days — a senior go / no-go decision is needed before anyone travels.',
};

const inWords = (x: number) => {
  const n = Math.round(1 / x);
  return n >= 2 ? `1 in ${n}` : pct(x);
};

/** What a level means under a parameter set's thresholds, with the numbers the level was read off. */
export function levelMeaning(level: RiskLevel, params: RiskParams): string {
  const t = params.thresholds;
  switch (level) {
    case 'low':
      return `Low: a disruption is unlikely (under ${inWords(t.moderateP)}) — plan as usual and report anything unusual.`;
    case 'moderate':
      return `Moderate: a disruption is possible (${inWords(t.moderateP)} or more, several times a quiet campus) — follow the checklist and confirm with the host.`;
    case 'high':
      return `High: a disruption is a real possibility (${inWords(t.highP)} or more, or a severe one ${inWords(t.highPSevere)}), or a protest has been announced — take the checklist seriously and acknowledge the briefing.`;
    case 'critical':
      return `Critical: plan around a disruption (${inWords(t.criticalP)} or more, or a severe one ${inWords(t.criticalPSevere)}), or there was a critical incident here in the last ${params.criticalWindowDays} days — a senior go / no-go decision is needed before anyone travels.`;
  }
}

const TOPIC_WORDS: Record<string, string> = {
  immigration_enforcement: 'immigration enforcement',
  recruiting_employers: 'recruiting and employers',
  military_defence: 'the military and defence',
  policing: 'policing',
  foreign_policy: 'foreign policy',
  labour: 'labour',
  other: 'other issues',
};

const KIND_WORDS: Record<string, string> = {
  protest: 'a protest',
  heckling: 'heckling',
  table_blocked: 'the table blocked',
  appearance_disrupted: 'the appearance disrupted',
  host_cancelled: 'the host cancelled',
  access_denied: 'access denied',
};
const SEVERITY_WORDS = ['minor', 'moderate', 'severe', 'critical'];

export const pct = (x: number): string => {
  if (x < 0.001) return 'under 0.1%';
  if (x < 0.01) return `${(x * 100).toFixed(1)}%`;
  return `${Math.round(x * 100)}%`;
};
const fmt1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function topicCounts(ev: RiskEvidence, relation: 'affiliation' | 'activity', relations: Record<string, string>): string {
  const parts: string[] = [];
  TOPICS.forEach((t, i) => {
    const n = ev.recent.institutionByTopic12m[i] ?? 0;
    if (relations[t] === relation && n > 0) parts.push(`${n} about ${TOPIC_WORDS[t]}`);
  });
  return parts.join(', ');
}

/** The factor's label with its evidence, in words. */
export function factorLabel(id: FeatureId, value: number, ev: RiskEvidence, a: AppearanceAttributes): string {
  const rel = ev.relations as Record<string, string>;
  const here12 = ev.recent.institution12m;
  switch (id) {
    case 'affiliationActivity': {
      const which = topicCounts(ev, 'affiliation', rel);
      return `Protests on our affiliation's topics here (${which || `${fmt1(ev.affiliationActivity)} weighted`} in the last 12 months)`;
    }
    case 'activityActivity': {
      const which = topicCounts(ev, 'activity', rel);
      return `Actions against recruiters and employers here (${which || `${fmt1(ev.activityActivity)} weighted`} in the last 12 months)`;
    }
    case 'generalActivity':
      return `${plural(here12, 'protest or action', 'protests or actions')} recorded here in the last 12 months (campus activism on any topic)`;
    case 'stateWave':
      return `${plural(ev.recent.state30d, 'incident')} on our affiliation's or activity's topics in ${a.state || 'the state'} in the last 30 days`;
    case 'nationalWave':
      return `${plural(ev.recent.national30d, 'incident')} on our affiliation's or activity's topics nationwide in the last 30 days`;
    case 'publicInstitution':
      return 'A public institution';
    case 'nonprofitInstitution':
      return 'A private nonprofit institution';
    case 'graduateDegree':
      return 'An institution awarding graduate degrees (research universities see more activism)';
    case 'bachelorDegree':
      return "An institution awarding bachelor's degrees";
    case 'visibleBranding':
      return 'Visible uniforms or agency branding';
    case 'publicCareerFair':
      return 'Public, open-floor career fair';
    case 'attendanceTier':
      return `Expected attendance of ${a.expectedAttendance}`;
    case 'inviteOnly':
      return 'Invite-only audience';
    case 'virtual':
      return 'Virtual format';
    case 'limitsImmigrationCooperation':
      return 'The institution limits cooperation with federal immigration enforcement';
    case 'stanceRestricted':
      return 'Latest reception: restricted';
    case 'stanceHostile':
      return 'Latest reception: hostile';
    case 'declinedRecently':
      return 'A partnership or invitation was declined in the last 12 months';
    case 'presence':
      return 'Our appearance itself (a recruiter table draws protests a quiet campus day does not)';
    case 'ownRecord':
      return `Our own record here (${fmt1(ev.institution.n)} effective past appearances, ${fmt1(ev.institution.k)} with an incident; rate ${pct(value)})`;
  }
}

const listed = (m: number) => m >= LISTED_MULTIPLIER || m <= 1 / LISTED_MULTIPLIER;

type Partial = Omit<RiskResult, 'reasons' | 'notes' | 'mitigations'>;

/** "Visible uniforms or agency branding: odds ×1.5 (+0.4 points)". */
export function factorText(label: string, points: number, oddsMultiplier: number): string {
  const sign = points >= 0 ? '+' : '−';
  const abs = Math.abs(points);
  const pts = abs >= 10 ? abs.toFixed(0) : abs >= 0.1 ? abs.toFixed(1) : abs >= 0.01 ? abs.toFixed(2) : '<0.01';
  let mult = oddsMultiplier >= 10 ? oddsMultiplier.toFixed(0) : oddsMultiplier.toFixed(2);
  if (oddsMultiplier < 10 && mult.endsWith('0')) mult = mult.slice(0, -1);
  return `${label}: odds ×${mult} (${sign}${pts} points)`;
}

/** A factor as a snapshot stores it: what its sentence is read off. */
type StoredFactor = Pick<FactorContribution, 'label' | 'points' | 'oddsMultiplier'>;

/**
 * The factors' sentences among the reasons: every factor with an odds multiplier ≥ ×1.1 or ≤ ×0.9,
 * in their order (strongest first), read off the numbers as stored (six significant digits), so a
 * snapshot's reasons rebuilt from its factors are the very sentences its assessment gave.
 */
export function factorSentences(factors: readonly (StoredFactor & { text?: string })[]): string[] {
  const out: string[] = [];
  for (const f of factors) {
    const m = r6(f.oddsMultiplier);
    // an assessment's own factors carry the sentence already (read off the same rounded numbers)
    if (listed(m)) out.push(`${f.text ?? factorText(f.label, r6(f.points), m)}.`);
  }
  return out;
}

/**
 * The reasons, most important first, in two parts around the factors' sentences: before them, the
 * rules that set the level and our last disruption here (its structured facts outlive retention);
 * after them, the estimate with its range and where it comes from.
 */
export function explainNotes(r: Partial, a: AppearanceAttributes, params: RiskParams): { before: string[]; after: string[] } {
  const before: string[] = [];
  const ev = r.evidence;
  if (r.overrides.includes('critical_incident_recent'))
    before.push(`A critical incident aimed at us happened at this institution in the last ${params.criticalWindowDays} days: the level is Critical whatever the probability.`);
  if (r.overrides.includes('protest_announced')) before.push('A protest against this appearance has been announced: the level is at least High whatever the probability.');
  if (r.shortNotice) before.push(shortNoticeReason(r.shortNotice));
  if (ev.lastOwnIncident) {
    const l = ev.lastOwnIncident;
    const when = new Date(l.occurredAt).toISOString().slice(0, 10);
    before.push(`Our last disruption here: ${when}, ${KIND_WORDS[l.kind] ?? l.kind.replace(/_/g, ' ')} (${SEVERITY_WORDS[l.severity - 1] ?? l.severity}).`);
  }
  const none = ev.organisation.n < 0.5 && ev.institution.n < 0.5 && ev.recent.institution12m === 0 && ev.affiliationActivity + ev.activityActivity + ev.generalActivity < 0.05 && !ev.lastOwnIncident;
  if (none) before.push('No recorded history here: no past appearances and no incidents recorded at this institution, so the estimate rests on its kind, its state and the nation.');
  const I = r.baseRate.institution;
  const range = `${r.interval.mass * 100}% range ${pct(r.interval.low)} to ${pct(r.interval.high)}`;
  const ownShare = ev.organisation.n >= 0.5 ? `; this campus's own record counts for ${Math.round(I.credibility * 100)}% of its rate, the rest comes from the state and the organisation` : '';
  return { before, after: [`Chance of a disruption ${pct(r.p)} (${range}) — ${params.eventShort ?? EVENT_SHORT}${ownShare}.`] };
}

/**
 * The reasons of a stored snapshot's detail: rebuilt from its notes and factors, or as stored whole
 * (snapshots made before notes); an empty list when the detail has neither.
 */
export function reasonsOf(d: { reasons?: unknown; notes?: unknown; factors?: unknown }): string[] {
  if (Array.isArray(d.reasons)) return d.reasons.filter((x): x is string => typeof x === 'string');
  const n = d.notes as { before?: unknown; after?: unknown } | null | undefined;
  if (!n || typeof n !== 'object') return [];
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const factors = (Array.isArray(d.factors) ? d.factors : []).filter(
    (f): f is StoredFactor => !!f && typeof f === 'object' && typeof f.label === 'string' && typeof f.points === 'number' && typeof f.oddsMultiplier === 'number',
  );
  return [...strings(n.before), ...factorSentences(factors), ...strings(n.after)];
}

/** The short-notice rule in words: what was overridden, and why it counts. */
export function shortNoticeReason(s: ShortNotice): string {
  return (
    `Booked inside the host's ${s.advanceNoticeDays}-day advance-notice period (the host had to be told by ${humanLocal(s.deadline, s.timeZone)}): ` +
    'the host may not have the room, its security or its own people ready, so the level is at least Moderate whatever the probability.'
  );
}

/** The checklist that fits the level and the factors present. */
export function recommend(r: Partial, a: AppearanceAttributes, params: RiskParams): Mitigation[] {
  const ids: MitigationId[] = [];
  const rank = ({ low: 0, moderate: 1, high: 2, critical: 3 } as const)[r.level];
  // on the rounded multiplier, as the listing: a factor named among the reasons brings its mitigation
  const strong = (id: FeatureId) => r.factors.some((f) => f.id === id && r6(f.oddsMultiplier) >= LISTED_MULTIPLIER);
  const ev = r.evidence;
  if (a.visibleBranding && (rank >= 1 || strong('visibleBranding'))) ids.push('civilian_dress');
  if (r.shortNotice) ids.push('host_short_notice_consent');
  if (ev.declinedRecently) ids.push('host_written_reconfirmation');
  if (rank >= 1) ids.push('confirm_with_host_contact');
  if (rank >= 1 && (strong('affiliationActivity') || strong('activityActivity') || strong('stateWave') || a.protestAnnounced)) ids.push('check_local_news');
  if (rank >= 1 && attendanceTiers(a.expectedAttendance, params.attendanceTiers) >= 2) ids.push('smaller_footprint');
  if (rank >= 1 && a.kind === 'career_fair' && a.audience === 'public') ids.push('invite_only_format');
  if (rank >= 2) ids.push('host_security_plan', 'exit_plan', 'buddy_system', 'brief_on_de_escalation');
  if (rank >= 3) ids.push('senior_go_no_go');
  if (rank >= 3 && a.format !== 'virtual') ids.push('virtual_alternative');
  return [...new Set(ids)].map(mitigation);
}
