import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { OUTCOME_RESULTS, OutcomeResult } from '../../common/enums';
import { MITIGATION_IDS } from '../../risk/mitigations';

const MAX_COUNT = 1_000_000;

/** The debrief of one appearance (PUT replaces the whole debrief). */
export class PutOutcomeDto {
  @ApiProperty({ enum: OUTCOME_RESULTS, description: 'How it went' })
  @IsIn(OUTCOME_RESULTS as unknown as string[], { message: `result must be one of: ${OUTCOME_RESULTS.join(', ')}` })
  result: OutcomeResult;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true, description: 'People who came to the table or session' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  attendance?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true, description: 'Real conversations held' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  conversations?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true, description: 'Leads collected (counts only, never names)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  leads?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true, description: 'Applications started on the spot or traced to this appearance' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  applicationsStarted?: number | null;

  @ApiPropertyOptional({
    type: [String],
    enum: MITIGATION_IDS,
    description:
      "Mitigations actually used, by catalogue id (GET /risk/mitigations lists the catalogue). Omitted: on a first debrief the ones ticked on the appearance page's checklist, on an edit the stored list; [] says none.",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MITIGATION_IDS.length)
  @ArrayUnique({ message: 'mitigationsUsed must not repeat an id' })
  @IsString({ each: true })
  mitigationsUsed?: string[];

  @ApiPropertyOptional({ maxLength: 4000, description: 'What happened, in plain words. Never who protested: the privacy guard refuses personal data.' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

export class OutcomeView {
  @ApiProperty() appearanceId: string;
  @ApiProperty({ enum: OUTCOME_RESULTS }) result: OutcomeResult;
  @ApiProperty({ nullable: true, type: Number }) attendance: number | null;
  @ApiProperty({ nullable: true, type: Number }) conversations: number | null;
  @ApiProperty({ nullable: true, type: Number }) leads: number | null;
  @ApiProperty({ nullable: true, type: Number }) applicationsStarted: number | null;
  @ApiProperty({ type: [String] }) mitigationsUsed: string[];
  @ApiProperty() notes: string;
  @ApiProperty() submittedById: string;
  @ApiProperty({ description: 'First submission (UTC ISO)' }) submittedAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ description: 'Edits are accepted until this instant (UTC ISO)' }) editableUntil: string;
  @ApiProperty({ description: 'Whether the edit window is still open now' }) editable: boolean;
}

export class DueQuery {
  @ApiPropertyOptional({ description: 'Only this office (coordinators: their own; admin/hr: any)' })
  @IsOptional()
  @IsUUID()
  officeId?: string;

  @ApiPropertyOptional({ description: 'Only appearances this recruiter is assigned to' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class DebriefDueView {
  @ApiProperty() appearanceId: string;
  @ApiProperty() title: string;
  @ApiProperty() officeId: string;
  @ApiProperty() institutionId: string;
  @ApiProperty() institutionName: string;
  @ApiProperty() status: string;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ description: 'Whole days since the appearance ended' }) daysSinceEnd: number;
}
