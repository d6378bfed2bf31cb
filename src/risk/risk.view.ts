import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RISK_LEVELS, RiskLevel } from '../common/enums';
import { EVENT_DEFINITION } from './params';
import { iso } from '../common/time';
import { expandMitigations } from './mitigations';
import { BaseRateBreakdown, RiskEvidence, RiskResult, ShortNotice } from './model';
import { factorText, LEVEL_MEANINGS, reasonsOf } from './risk-explain';
import { r6 } from './round';
import type { RiskAssessment } from './risk-assessment.entity';

export const LEVEL_DOC =
  'p is the probability of ' +
  EVENT_DEFINITION +
  ' (RISK_MODEL §1). Levels of the shipped parameter set: ' +
  'low: p < 1% and p_severe < 0.3% — plan as usual. ' +
  'moderate: p ≥ 1% or p_severe ≥ 0.3% — follow the checklist and confirm with the host. ' +
  'high: p ≥ 5% or p_severe ≥ 2%, or a protest has been announced — take the checklist seriously and acknowledge the briefing. ' +
  'critical: p ≥ 25% or p_severe ≥ 5%, or a critical incident happened here in the last 180 days — a senior go / no-go decision is needed.';

/**
 * What is stored in `detail` of a snapshot: every output, compactly (numbers to 6 significant
 * digits; mitigations by catalogue id; the level meaning, factor sentences and mitigation words are
 * rebuilt from the stored values when read — expandMitigations also reads older { id, text } rows).
 */
export interface RiskDetail {
  intervalMass: number;
  baseRate: BaseRateBreakdown;
  evidence: Omit<RiskEvidence, 'relations'>;
  severityShare: number[];
  /** What the level means under the thresholds of the set that made it. */
  levelMeaning: string;
  factors: { id: string; label: string; value: number; oddsMultiplier: number; points: number }[];
  overrides: string[];
  /**
   * The reasons that are not a factor's sentence, before and after the factors' (those are rebuilt
   * from `factors` when read: reasonsOf). Snapshots made before this carry `reasons` whole instead.
   */
  notes?: { before: string[]; after: string[] };
  /** The whole list, on snapshots made before `notes`. */
  reasons?: string[];
  mitigations: string[];
  /** Lead time (ms) between as-of and the appearance start. */
  leadTimeMs: number;
  /** The short-lived evidence as the model used it: decayed from as-of on to the start. */
  used: Pick<RiskEvidence, 'affiliationActivity' | 'activityActivity' | 'generalActivity' | 'stateWave' | 'nationalWave'>;
  /** Only when booked past the host's advance-notice deadline (the short_notice rule). */
  shortNotice?: ShortNotice;
}

const rate6 = <T extends { n: number; k: number }>(r: T): T => {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(r) as [string, unknown][]) out[key] = typeof v === 'number' ? r6(v) : Array.isArray(v) ? (v as number[]).map(r6) : v;
  return out as T;
};

export function detailOf(r: RiskResult, evidence: RiskEvidence, leadTimeMs: number): RiskDetail {
  return {
    intervalMass: r.interval.mass,
    baseRate: { organisation: rate6(r.baseRate.organisation), state: rate6(r.baseRate.state), institution: rate6(r.baseRate.institution) },
    evidence: evidencePart(evidence),
    severityShare: r.severityShare.map(r6),
    levelMeaning: r.levelMeaning,
    factors: r.factors.map((f) => ({ id: f.id, label: f.label, value: r6(f.value), oddsMultiplier: r6(f.oddsMultiplier), points: r6(f.points) })),
    overrides: r.overrides,
    notes: r.notes,
    mitigations: r.mitigations.map((m) => m.id),
    leadTimeMs,
    used: usedOf(r),
    ...(r.shortNotice ? { shortNotice: r.shortNotice } : {}),
  };
}

function evidencePart(evidence: RiskEvidence): RiskDetail['evidence'] {
  return {
    ...withoutRelations(evidence),
    institution: rate6(evidence.institution),
    state: rate6(evidence.state),
    organisation: rate6(evidence.organisation),
    affiliationActivity: r6(evidence.affiliationActivity),
    activityActivity: r6(evidence.activityActivity),
    generalActivity: r6(evidence.generalActivity),
    stateWave: r6(evidence.stateWave),
    nationalWave: r6(evidence.nationalWave),
  };
}

function withoutRelations(e: RiskEvidence): Omit<RiskEvidence, 'relations'> {
  const { relations: _omit, ...rest } = e;
  void _omit;
  return rest;
}

function usedOf(r: RiskResult): RiskDetail['used'] {
  const e = r.evidence;
  return {
    affiliationActivity: r6(e.affiliationActivity),
    activityActivity: r6(e.activityActivity),
    generalActivity: r6(e.generalActivity),
    stateWave: r6(e.stateWave),
    nationalWave: r6(e.nationalWave),
  };
}

/**
 * JSON.stringify(detailOf(r, evidence, leadTimeMs)) — the same text, built faster for big batches:
 * the evidence JSON (the same for every appearance at an institution) is passed in instead of being
 * serialised again for every row.
 */
export function detailJson(r: RiskResult, evidenceJson: string, leadTimeMs: number): string {
  // the members of detailOf in its order, without building its evidence part (passed in as text)
  const b = r.baseRate;
  const baseRate = { organisation: rate6(b.organisation), state: rate6(b.state), institution: rate6(b.institution) };
  const factors = r.factors.map((f) => ({ id: f.id, label: f.label, value: r6(f.value), oddsMultiplier: r6(f.oddsMultiplier), points: r6(f.points) }));
  return (
    `{"intervalMass":${JSON.stringify(r.interval.mass)},"baseRate":${JSON.stringify(baseRate)},"evidence":${evidenceJson}` +
    `,"severityShare":${JSON.stringify(r.severityShare.map(r6))},"levelMeaning":${JSON.stringify(r.levelMeaning)},"factors":${JSON.stringify(factors)},"overrides":${JSON.stringify(r.overrides)}` +
    `,"notes":${JSON.stringify(r.notes)},"mitigations":${JSON.stringify(r.mitigations.map((m) => m.id))},"leadTimeMs":${JSON.stringify(leadTimeMs)},"used":${JSON.stringify(usedOf(r))}` +
    (r.shortNotice ? `,"shortNotice":${JSON.stringify(r.shortNotice)}}` : '}')
  );
}

/** The `evidence` member of a detail, serialised (what detailJson takes). */
export function evidenceJson(evidence: RiskEvidence): string {
  return JSON.stringify(evidencePart(evidence));
}

export class RiskFactorView {
  @ApiProperty({ example: 'visibleBranding' }) id: string;
  @ApiProperty({ example: 'Visible uniforms or agency branding' }) label: string;
  @ApiProperty({ description: 'Odds multiplier e^(β·x) of this factor.', example: 1.5 }) oddsMultiplier: number;
  @ApiProperty({ description: 'Percentage points this factor adds (negative: removes) versus the same appearance without it.', example: 9.6 })
  points: number;
  @ApiProperty({ example: 'Visible uniforms or agency branding: +10 points (odds ×1.5)' }) text: string;
}

export class MitigationView {
  @ApiProperty({ example: 'civilian_dress' }) id: string;
  @ApiProperty({ example: 'Wear civilian dress and keep agency branding off the table; bring a small, neutral sign instead.' }) text: string;
}

export class RiskIntervalView {
  @ApiProperty({ example: 0.18 }) low: number;
  @ApiProperty({ example: 0.61 }) high: number;
  @ApiProperty({ example: 0.8, description: 'Central mass of the range (80%).' }) mass: number;
}

class RateLevelView {
  @ApiProperty({ description: 'Effective appearances (decayed)' }) n: number;
  @ApiProperty({ description: 'Effective disruptions (decayed)' }) k: number;
  @ApiProperty({ description: 'Shrunk rate at this level' }) rate: number;
  @ApiProperty({ description: 'Weight of the parent rate, in past appearances' }) priorStrength: number;
}

class OrganisationRateView extends RateLevelView {
  @ApiProperty({ description: 'Prior rate the organisation starts from' }) priorRate: number;
}

class InstitutionRateView extends RateLevelView {
  @ApiProperty({ description: "Share of the estimate that rests on the institution's own record" }) credibility: number;
}

export class BaseRateView implements BaseRateBreakdown {
  @ApiProperty({ type: OrganisationRateView }) organisation: OrganisationRateView;
  @ApiProperty({ type: RateLevelView }) state: RateLevelView;
  @ApiProperty({ type: InstitutionRateView }) institution: InstitutionRateView;
}

export class ShortNoticeView {
  @ApiProperty({ format: 'date-time', description: 'The last moment the host had to be told (UTC).' }) deadline: string;
  @ApiProperty({ example: 10, description: 'Days of notice the host requires.' }) advanceNoticeDays: number;
  @ApiProperty({ example: 'America/New_York', description: "The venue's zone the deadline was counted in." }) timeZone: string;
}

export class RiskAssessmentView {
  @ApiProperty({ type: String, nullable: true, description: 'Snapshot id (null on a preview, which saves nothing).' }) id: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Null on a preview of a hypothetical appearance' }) appearanceId: string | null;
  @ApiProperty({ description: 'Only records written at or before this instant were used.' }) asOf: string;
  @ApiProperty({ example: 'incident_recorded', description: 'Why it was computed.' }) trigger: string;
  @ApiProperty({ example: 'forewarn-risk-2.0' }) modelVersion: string;
  @ApiProperty({ description: `Probability of ${EVENT_DEFINITION}; averaged over the uncertainty of the institution's own record, never clipped.`, example: 0.034 }) p: number;
  @ApiProperty({ description: 'Probability of a severe or critical disruption (severity ≥ 3).', example: 0.06 }) pSevere: number;
  @ApiProperty({ enum: RISK_LEVELS, description: LEVEL_DOC }) level: RiskLevel;
  @ApiProperty({ description: 'What the level means, in words a recruiter acts on.' }) levelMeaning: string;
  @ApiProperty({ type: RiskIntervalView, description: "Central 80% range of p over the posterior of the institution's own rate (not clipped: a low end under 1% is shown as it is)." })
  interval: RiskIntervalView;
  @ApiProperty({ type: [String], description: 'The most important reasons, in plain words, most important first.' }) reasons: string[];
  @ApiProperty({ type: [RiskFactorView] }) factors: RiskFactorView[];
  @ApiProperty({ type: [MitigationView], description: 'Checklist that fits the level and the factors present.' }) mitigations: MitigationView[];
  @ApiProperty({
    type: BaseRateView,
    description:
      'Base rate shrunk from organisation → state → institution, with effective counts n, k and the institution credibility share. ' +
      'The organisation rate starts from a prior (priorRate, worth priorStrength past appearances): with no recorded history the estimate is that prior, and the reasons say so.',
  })
  baseRate: BaseRateBreakdown;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Evidence known at as-of: decayed own-record sums (institution, state, organisation), context by topic relation, waves, plain counts for the reasons, reception, our last disruption here.',
  })
  evidence: Omit<RiskEvidence, 'relations'>;
  @ApiPropertyOptional({
    description: 'The short-lived evidence as the model used it, decayed from as-of on to the start (null on snapshots made before forewarn-risk-2.0).',
    nullable: true,
    type: 'object',
    additionalProperties: true,
  })
  evidenceUsed: RiskDetail['used'] | null;
  @ApiProperty({ description: 'Days between as-of and the start.', example: 13.9 }) leadTimeDays: number;
  @ApiProperty({
    type: [String],
    description:
      "Rules that set a floor on the level: protest_announced (High), critical_incident_recent (Critical), short_notice (Moderate: booked inside the host's advance-notice period with allowShortNotice). None changes p.",
  })
  overrides: string[];
  @ApiPropertyOptional({ type: ShortNoticeView, nullable: true, description: "With the short_notice rule: the host's advance-notice deadline the appearance was booked past; else null." })
  shortNotice: ShortNoticeView | null;
  @ApiProperty({ type: String, nullable: true, description: 'Null on a preview' }) createdAt: string | null;
}

export function toView(
  a: Pick<RiskAssessment, 'id' | 'appearanceId' | 'asOf' | 'trigger' | 'modelVersion' | 'p' | 'pSevere' | 'level' | 'intervalLow' | 'intervalHigh' | 'createdAt'> & { detail: unknown },
): RiskAssessmentView {
  const d = (typeof a.detail === 'string' ? JSON.parse(a.detail) : a.detail) as RiskDetail;
  return {
    id: a.id,
    appearanceId: a.appearanceId,
    asOf: iso(Number(a.asOf)),
    trigger: a.trigger,
    modelVersion: a.modelVersion,
    p: Number(a.p),
    pSevere: Number(a.pSevere),
    level: a.level,
    levelMeaning: d.levelMeaning ?? LEVEL_MEANINGS[a.level],
    interval: { low: Number(a.intervalLow), high: Number(a.intervalHigh), mass: d.intervalMass },
    reasons: reasonsOf(d),
    factors: d.factors.map((f) => ({ id: f.id, label: f.label, oddsMultiplier: f.oddsMultiplier, points: f.points, text: factorText(f.label, f.points, f.oddsMultiplier) })),
    mitigations: expandMitigations(d.mitigations),
    baseRate: d.baseRate,
    evidence: d.evidence,
    evidenceUsed: d.used ?? null,
    leadTimeDays: Math.round(((d.leadTimeMs ?? 0) / 86_400_000) * 10) / 10,
    overrides: d.overrides,
    shortNotice: d.shortNotice ? { deadline: iso(d.shortNotice.deadline), advanceNoticeDays: d.shortNotice.advanceNoticeDays, timeZone: d.shortNotice.timeZone } : null,
    createdAt: a.createdAt === null || a.createdAt === undefined ? null : iso(Number(a.createdAt)),
  };
}

/** The columns of a snapshot that come straight from the model's result. */
export function resultColumns(r: RiskResult): Pick<RiskAssessment, 'modelVersion' | 'p' | 'pSevere' | 'level' | 'intervalLow' | 'intervalHigh'> {
  return { modelVersion: r.modelVersion, p: r.p, pSevere: r.pSevere, level: r.level, intervalLow: r.interval.low, intervalHigh: r.interval.high };
}

/** A what-if result: same shape, nothing saved. */
export function previewView(r: RiskResult, evidence: RiskEvidence, asOf: number, leadTimeMs: number): RiskAssessmentView {
  return toView({
    id: null as unknown as string,
    appearanceId: null as unknown as string,
    asOf,
    trigger: 'preview',
    ...resultColumns(r),
    createdAt: null as unknown as number,
    detail: detailOf(r, evidence, leadTimeMs),
  });
}

export class PreviewComparisonView {
  @ApiProperty() assessmentId: string;
  @ApiProperty() p: number;
  @ApiProperty({ enum: RISK_LEVELS }) level: RiskLevel;
  @ApiProperty({ description: 'Preview p minus current p.' }) differenceP: number;
  @ApiProperty() levelChanged: boolean;
  @ApiProperty({ example: 'Lower than the current assessment: 1.2% against 3.4% (moderate → moderate).' }) text: string;
}

export class PreviewResult extends RiskAssessmentView {
  @ApiProperty({ format: 'date-time', description: 'The start the preview was computed for (UTC).' }) startsAt: string;
  @ApiProperty({ description: 'true when another date would give the same p (no recent context or wave to fade).' }) dateMakesNoDifference: boolean;
  @ApiProperty() dateNote: string;
  @ApiPropertyOptional({ type: PreviewComparisonView, nullable: true, description: "With appearanceId: how the preview differs from the appearance's latest assessment." })
  comparison: PreviewComparisonView | null;
}
