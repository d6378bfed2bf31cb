import { ApiProperty } from '@nestjs/swagger';
import { APPEARANCE_KINDS, INSTITUTION_KINDS, RISK_LEVELS, STANCES, TOPICS } from '../../common/enums';
import type { BrierRow, LevelRow } from '../accountability';
import type { EvidenceExample, EvidenceReport, EvidenceRow } from '../evidence-report.service';
import type { IncidentTrendReport, TrendMonthRow } from '../incident-trend.service';
import type { Arm, MitigationLevelRow, MitigationRow } from '../mitigation-compare';
import type { AccountabilityReport, CellRow, MitigationsReport } from '../model-report.service';
import type { OutcomesSummaryReport } from '../outcomes-report.service';
import type { describeScope } from '../report-scope';
import type { SummaryRow } from '../outcomes-summary';
import type { RateEstimate } from '../rate-interval';
import type { ReceptionQuarterRow, ReceptionTrendReport, StateStanceRow, WorsenedRow } from '../reception-report.service';
import type { TrendFit, TrendVerdict } from '../trend-verdict';
import { GROUP_BYS } from './report-query.dto';

/*
 * What the report endpoints answer as JSON, for the OpenAPI document. Each class implements the
 * report's own type, so a field added to a report and not here fails to compile; the e2e suite
 * checks real answers against these schemas, so a field documented and not sent fails there.
 */

const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const numOrNull = { type: 'number', nullable: true } as const;
const DEFINITIONS = { type: 'object', additionalProperties: { type: 'string' }, description: 'What each figure means, in words' } as const;
const nullableEnum = (values: readonly string[]) => ({ type: 'string', enum: [...values], nullable: true }) as const;

type Window = ReturnType<typeof describeScope>;

export class ReportWindowView implements Window {
  @ApiProperty({ description: 'Start of the window (ISO 8601, UTC)' }) from: string;
  @ApiProperty({ description: 'End of the window (exclusive)' }) to: string;
  @ApiProperty({ type: String, nullable: true }) officeId: string | null;
  @ApiProperty({ type: String, nullable: true }) state: string | null;
  @ApiProperty(nullableEnum(APPEARANCE_KINDS)) kind: Window['kind'];
  @ApiProperty(nullableEnum(INSTITUTION_KINDS)) institutionKind: Window['institutionKind'];
  @ApiProperty(nullableEnum(TOPICS)) topic: Window['topic'];
}

export class RateEstimateView implements RateEstimate {
  @ApiProperty(numOrNull) rate: number | null;
  @ApiProperty({ ...numOrNull, description: '95% interval, low end' }) low: number | null;
  @ApiProperty({ ...numOrNull, description: '95% interval, high end' }) high: number | null;
}

// ---- GET /reports/outcomes

export class OutcomesRowView implements SummaryRow {
  @ApiProperty({ description: 'Group key (an id, a state, a kind or YYYY-MM)' }) key: string;
  @ApiProperty() label: string;
  @ApiProperty(int) appearances: number;
  @ApiProperty(int) held: number;
  @ApiProperty(int) completed: number;
  @ApiProperty(int) cancelled: number;
  @ApiProperty(int) debriefed: number;
  @ApiProperty(int) debriefDue: number;
  @ApiProperty(int) disrupted: number;
  @ApiProperty(int) endedEarly: number;
  @ApiProperty(int) cancelledByHost: number;
  @ApiProperty(int) incidents: number;
  @ApiProperty(int) attendance: number;
  @ApiProperty(int) leads: number;
  @ApiProperty(int) applications: number;
  @ApiProperty(numOrNull) incidentsPerAppearance: number | null;
  @ApiProperty(numOrNull) leadsPerAppearance: number | null;
  @ApiProperty(numOrNull) yieldPerAppearance: number | null;
}

export class OutcomesReportView implements OutcomesSummaryReport {
  @ApiProperty({ enum: ['outcomes-summary'] }) report: 'outcomes-summary';
  @ApiProperty({ type: ReportWindowView }) window: ReportWindowView;
  @ApiProperty({ enum: GROUP_BYS }) groupBy: OutcomesSummaryReport['groupBy'];
  @ApiProperty(DEFINITIONS) definitions: OutcomesSummaryReport['definitions'];
  @ApiProperty({ type: [OutcomesRowView] }) rows: OutcomesRowView[];
  @ApiProperty({ type: OutcomesRowView }) totals: OutcomesRowView;
}

// ---- GET /reports/incident-trend

export class TrendMonthView implements TrendMonthRow {
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty(int) appearances: number;
  @ApiProperty(int) incidents: number;
  @ApiProperty(int) severe: number;
  @ApiProperty({ ...num, description: 'Extra variation allowed for in the interval' }) dispersion: number;
  @ApiProperty(numOrNull) rate: number | null;
  @ApiProperty(numOrNull) low: number | null;
  @ApiProperty(numOrNull) high: number | null;
  @ApiProperty({ ...numOrNull, description: 'The fitted trend for this month' }) fitted: number | null;
}

export class TrendTotalsView {
  @ApiProperty(int) appearances: number;
  @ApiProperty(int) incidents: number;
  @ApiProperty(numOrNull) rate: number | null;
  @ApiProperty(numOrNull) low: number | null;
  @ApiProperty(numOrNull) high: number | null;
}

export class FittedMonthView {
  @ApiProperty() month: string;
  @ApiProperty(num) rate: number;
}

export class TrendFitView implements TrendFit {
  @ApiProperty({ ...numOrNull, description: 'Relative change per month (0.05 = +5%)' }) monthlyChange: number | null;
  @ApiProperty(numOrNull) monthlyChangeLow: number | null;
  @ApiProperty(numOrNull) monthlyChangeHigh: number | null;
  @ApiProperty({ ...num, description: 'Likelihood-ratio test p-value' }) p: number;
  @ApiProperty(num) dispersion: number;
  @ApiProperty(int) monthsUsed: number;
  @ApiProperty({ ...int, description: 'Incidents of months without appearances passed to the next month that had some' }) incidentsCarried: number;
  @ApiProperty({ type: [String] }) summerMonthsSetAside: string[];
  @ApiProperty({ type: [FittedMonthView] }) fitted: FittedMonthView[];
}

export class HalfView {
  @ApiProperty({ type: [String] }) months: string[];
  @ApiProperty(int) appearances: number;
  @ApiProperty(int) incidents: number;
  @ApiProperty(numOrNull) rate: number | null;
}

export class HalvesView {
  @ApiProperty({ type: HalfView }) firstHalf: HalfView;
  @ApiProperty({ type: HalfView }) secondHalf: HalfView;
  @ApiProperty(numOrNull) rateRatio: number | null;
}

export class IncidentTrendReportView implements IncidentTrendReport {
  @ApiProperty({ enum: ['incident-trend'] }) report: 'incident-trend';
  @ApiProperty() question: string;
  @ApiProperty({ type: ReportWindowView }) window: ReportWindowView;
  @ApiProperty(DEFINITIONS) definitions: Record<string, string>;
  @ApiProperty({ type: [TrendMonthView] }) months: TrendMonthView[];
  @ApiProperty({ type: TrendTotalsView }) totals: TrendTotalsView;
  @ApiProperty({ enum: ['worse', 'better', 'no_clear_change', 'too_variable', 'not_enough_data'] }) direction: TrendVerdict['direction'];
  @ApiProperty({ description: 'The verdict in words' }) verdict: string;
  @ApiProperty({ type: TrendFitView, nullable: true }) trend: TrendFitView | null;
  @ApiProperty({ type: HalvesView, nullable: true }) halves: HalvesView | null;
}

// ---- GET /reports/reception-trend

export class ReceptionQuarterView implements ReceptionQuarterRow {
  @ApiProperty({ example: '2026-Q1' }) quarter: string;
  @ApiProperty() state: string;
  @ApiProperty() institutionKind: string;
  @ApiProperty(int) entries: number;
  @ApiProperty(int) stanceChanges: number;
  @ApiProperty(int) worsened: number;
  @ApiProperty(int) improved: number;
  @ApiProperty(int) partnershipsDeclined: number;
  @ApiProperty(int) invitationsDeclined: number;
  @ApiProperty(int) accessRestricted: number;
  @ApiProperty(int) cancelledByHost: number;
}

export class WorsenedView implements WorsenedRow {
  @ApiProperty() institutionId: string;
  @ApiProperty() name: string;
  @ApiProperty() state: string;
  @ApiProperty() institutionKind: string;
  @ApiProperty(nullableEnum(STANCES)) stanceYearAgo: WorsenedRow['stanceYearAgo'];
  @ApiProperty({ enum: STANCES }) stanceNow: WorsenedRow['stanceNow'];
  @ApiProperty({ ...int, description: 'Steps down the stance scale' }) steps: number;
  @ApiProperty(int) declinesInYear: number;
}

export class StateStanceView implements StateStanceRow {
  @ApiProperty() state: string;
  @ApiProperty(int) institutions: number;
  @ApiProperty(int) welcoming: number;
  @ApiProperty(int) neutral: number;
  @ApiProperty(int) cautious: number;
  @ApiProperty(int) restricted: number;
  @ApiProperty(int) hostile: number;
}

export class ReceptionTrendReportView implements ReceptionTrendReport {
  @ApiProperty({ enum: ['reception-trend'] }) report: 'reception-trend';
  @ApiProperty({ type: ReportWindowView }) window: ReportWindowView;
  @ApiProperty(DEFINITIONS) definitions: Record<string, string>;
  @ApiProperty({ type: [ReceptionQuarterView] }) quarters: ReceptionQuarterView[];
  @ApiProperty({ type: [WorsenedView] }) worsenedMost: WorsenedView[];
  @ApiProperty({ type: [StateStanceView] }) byState: StateStanceView[];
}

// ---- GET /reports/model-accountability

export class CellView implements CellRow {
  @ApiProperty({ enum: RISK_LEVELS }) level: CellRow['level'];
  @ApiProperty({ enum: ['disrupted', 'not_disrupted'] }) observed: CellRow['observed'];
  @ApiProperty(int) appearances: number;
}

export class LevelView implements LevelRow {
  @ApiProperty({ enum: RISK_LEVELS }) level: LevelRow['level'];
  @ApiProperty(int) appearances: number;
  @ApiProperty(int) disrupted: number;
  @ApiProperty(int) notDisrupted: number;
  @ApiProperty(numOrNull) meanPredicted: number | null;
  @ApiProperty(numOrNull) observedRate: number | null;
  @ApiProperty(numOrNull) observedLow: number | null;
  @ApiProperty(numOrNull) observedHigh: number | null;
  @ApiProperty(int) incidents: number;
  @ApiProperty({ type: RateEstimateView }) incidentsPerAppearance: RateEstimateView;
}

export class BrierView implements BrierRow {
  @ApiProperty({ description: 'YYYY-MM, or "all" for the whole window' }) month: string;
  @ApiProperty(int) appearances: number;
  @ApiProperty(numOrNull) brier: number | null;
  @ApiProperty({ ...numOrNull, description: 'Brier score of always predicting the base rate' }) reference: number | null;
  @ApiProperty(numOrNull) skill: number | null;
}

export class AccountabilityReportView implements AccountabilityReport {
  @ApiProperty({ enum: ['model-accountability'] }) report: 'model-accountability';
  @ApiProperty({ type: ReportWindowView }) window: ReportWindowView;
  @ApiProperty(DEFINITIONS) definitions: Record<string, string>;
  @ApiProperty({ type: [CellView] }) cells: CellView[];
  @ApiProperty({ type: [LevelView] }) levels: LevelView[];
  @ApiProperty({ type: [BrierView] }) brierByMonth: BrierView[];
  @ApiProperty({ type: BrierView }) brier: BrierView;
  @ApiProperty({ ...int, description: 'Debriefed appearances without a prediction before them' }) notJudged: number;
}

// ---- GET /reports/mitigations

export class ArmView implements Arm {
  @ApiProperty(int) appearances: number;
  @ApiProperty(int) disrupted: number;
  @ApiProperty(numOrNull) disruptedRate: number | null;
  @ApiProperty(int) incidents: number;
  @ApiProperty(numOrNull) incidentsPerAppearance: number | null;
}

export class MitigationLevelView implements MitigationLevelRow {
  @ApiProperty({ enum: RISK_LEVELS }) level: MitigationLevelRow['level'];
  @ApiProperty({ type: ArmView }) used: ArmView;
  @ApiProperty({ type: ArmView }) notUsed: ArmView;
}

export class MitigationRowView implements MitigationRow {
  @ApiProperty() mitigationId: string;
  @ApiProperty() text: string;
  @ApiProperty({ type: [MitigationLevelView] }) byLevel: MitigationLevelView[];
  @ApiProperty({ type: ArmView }) used: ArmView;
  @ApiProperty(numOrNull) comparableNotUsedRate: number | null;
  @ApiProperty({ ...numOrNull, description: 'Stratified risk difference (used minus not used)' }) difference: number | null;
  @ApiProperty(numOrNull) differenceLow: number | null;
  @ApiProperty(numOrNull) differenceHigh: number | null;
  @ApiProperty({ ...numOrNull, description: 'Cochran–Mantel–Haenszel p-value' }) p: number | null;
  @ApiProperty(int) comparableUsed: number;
  @ApiProperty(num) comparableNotUsedEffective: number;
  @ApiProperty({ type: String, nullable: true }) caution: string | null;
}

export class MitigationsReportView implements MitigationsReport {
  @ApiProperty({ enum: ['mitigations'] }) report: 'mitigations';
  @ApiProperty({ type: ReportWindowView }) window: ReportWindowView;
  @ApiProperty(DEFINITIONS) definitions: Record<string, string>;
  @ApiProperty({ description: 'Mitigations are chosen for riskier appearances: read the differences with that in mind' }) warning: string;
  @ApiProperty({ type: [MitigationRowView] }) mitigations: MitigationRowView[];
  @ApiProperty(int) debriefedWithLevel: number;
}

// ---- GET /reports/evidence

export class EvidenceTotalsView implements Omit<EvidenceRow, 'institutionKind' | 'state'> {
  @ApiProperty(int) partnershipsDeclined: number;
  @ApiProperty(int) invitationsDeclined: number;
  @ApiProperty(int) accessRestricted: number;
  @ApiProperty(int) hostCancellationsRecorded: number;
  @ApiProperty(int) appearances: number;
  @ApiProperty(int) appearancesCancelled: number;
  @ApiProperty(int) cancelledByHost: number;
  @ApiProperty(int) disrupted: number;
  @ApiProperty(int) incidentsAimedAtUs: number;
  @ApiProperty(int) severeIncidents: number;
}

export class EvidenceRowView extends EvidenceTotalsView implements EvidenceRow {
  @ApiProperty() institutionKind: string;
  @ApiProperty() state: string;
}

export class EvidenceExampleView implements EvidenceExample {
  @ApiProperty() category: string;
  @ApiProperty() date: string;
  @ApiProperty() institution: string;
  @ApiProperty() institutionKind: string;
  @ApiProperty() state: string;
  @ApiProperty() detail: string;
}

export class EvidenceReportView implements EvidenceReport {
  @ApiProperty({ enum: ['evidence'] }) report: 'evidence';
  @ApiProperty() title: string;
  @ApiProperty({ type: ReportWindowView }) window: ReportWindowView;
  @ApiProperty(DEFINITIONS) definitions: Record<string, string>;
  @ApiProperty({ type: [EvidenceRowView] }) rows: EvidenceRowView[];
  @ApiProperty({ type: EvidenceTotalsView }) totals: EvidenceTotalsView;
  @ApiProperty({ type: [EvidenceExampleView] }) examples: EvidenceExampleView[];
}
