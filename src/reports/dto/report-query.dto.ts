import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { APPEARANCE_KINDS, AppearanceKind, INSTITUTION_KINDS, InstitutionKind, Topic, TOPICS } from '../../common/enums';
import { instantForm, IsInstant } from '../../common/validators';

/** Filters every report understands. The window is [from, to) in UTC; each report documents its default. */
export class ReportQuery {
  @ApiPropertyOptional({ description: `Start of the window (inclusive): ${instantForm({ date: true })}` })
  @IsOptional()
  @IsInstant({ date: true })
  from?: string;

  @ApiPropertyOptional({ description: `End of the window (exclusive), default now: ${instantForm({ date: true })}` })
  @IsOptional()
  @IsInstant({ date: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Only this office (coordinators are always limited to their own office)' })
  @IsOptional()
  @IsUUID()
  officeId?: string;

  @ApiPropertyOptional({ description: 'Institution state or region code, e.g. OH' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9 _-]+$/, { message: 'state must be a state or region code such as OH' })
  state?: string;

  @ApiPropertyOptional({ enum: APPEARANCE_KINDS, description: 'Appearance kind' })
  @IsOptional()
  @IsIn(APPEARANCE_KINDS as unknown as string[])
  kind?: AppearanceKind;

  @ApiPropertyOptional({ enum: INSTITUTION_KINDS, description: 'Institution kind' })
  @IsOptional()
  @IsIn(INSTITUTION_KINDS as unknown as string[])
  institutionKind?: InstitutionKind;

  @ApiPropertyOptional({ enum: TOPICS, description: 'Incident reports (incident-trend, evidence): only incidents that have this topic (among others)' })
  @IsOptional()
  @IsIn(TOPICS as unknown as string[])
  topic?: Topic;

  @ApiPropertyOptional({ description: 'For CSV: which table of the report to export (each report lists its parts; default the main table)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  part?: string;
}

export const GROUP_BYS = ['institution', 'state', 'office', 'kind', 'month'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export class OutcomesSummaryQuery extends ReportQuery {
  @ApiPropertyOptional({ enum: GROUP_BYS, default: 'month' })
  @IsOptional()
  @IsIn(GROUP_BYS as unknown as string[])
  groupBy: GroupBy = 'month';
}
