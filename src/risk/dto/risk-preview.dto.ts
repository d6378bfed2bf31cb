import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import { APPEARANCE_FORMATS, APPEARANCE_KINDS, AUDIENCES, TOPIC_RELATIONS, TOPICS } from '../../common/enums';
import type { AppearanceFormat, AppearanceKind, Audience, TopicRelation } from '../../common/enums';
import { instantForm, IsIanaZone, IsInstant, OmittableNotNull } from '../../common/validators';

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/**
 * A hypothetical appearance: what would the risk be? Nothing is saved. Either a whole appearance
 * (institutionId, a start, kind, format, audience, visibleBranding) or `appearanceId` with only the
 * fields to change.
 */
export class RiskPreviewDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Start from this appearance (its institution, date and attributes); the other fields override them.' })
  @OmittableNotNull()
  @IsUUID()
  appearanceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required unless appearanceId is given.' })
  @OmittableNotNull()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ example: '2026-03-10T15:00:00Z', description: `Start: ${instantForm()}. Or startsLocal with timeZone.` })
  @OmittableNotNull()
  @IsInstant()
  startsAt?: string;

  @ApiPropertyOptional({ example: '2026-09-15T10:00', description: 'Start as local wall-clock time in timeZone (instead of startsAt).' })
  @OmittableNotNull()
  @IsString()
  @Matches(LOCAL_DATE_TIME, { message: 'must be a local date-time without offset, e.g. 2026-09-15T10:00' })
  startsLocal?: string;

  @ApiPropertyOptional({ example: 'America/New_York', description: 'IANA zone of startsLocal.' })
  @OmittableNotNull()
  @IsIanaZone()
  timeZone?: string;

  @ApiPropertyOptional({ enum: APPEARANCE_KINDS })
  @OmittableNotNull()
  @IsIn(APPEARANCE_KINDS)
  kind?: AppearanceKind;

  @ApiPropertyOptional({ enum: APPEARANCE_FORMATS })
  @OmittableNotNull()
  @IsIn(APPEARANCE_FORMATS)
  format?: AppearanceFormat;

  @ApiPropertyOptional({ enum: AUDIENCES })
  @OmittableNotNull()
  @IsIn(AUDIENCES)
  audience?: Audience;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, nullable: true, type: Number })
  @IsOptional()
  @ValidateIf((o) => o.expectedAttendance !== null)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  expectedAttendance?: number | null;

  @ApiPropertyOptional({ description: 'Uniforms or agency branding visible.' })
  @OmittableNotNull()
  @IsBoolean()
  visibleBranding?: boolean;

  @ApiPropertyOptional({ description: 'A protest against it has been announced (level at least High).' })
  @OmittableNotNull()
  @IsBoolean()
  protestAnnounced?: boolean;

  @ApiPropertyOptional({ example: '2025-11-01T00:00:00Z', description: `Use only what was recorded at or before this instant (default: now; never in the future): ${instantForm({ date: true })}.` })
  @OmittableNotNull()
  @IsInstant({ date: true })
  asOf?: string;
}

/** PUT /risk/topic-relations: some topics → their relation (the rest keep theirs). */
export class TopicRelationsDto {
  @ApiProperty({
    description: `Topic → relation. Topics: ${TOPICS.join(', ')}. Relations: affiliation (protests on it are about what the organisation is part of), activity (about what staff do at appearances), context (unrelated).`,
    example: { policing: 'context', military_defence: 'activity' },
    additionalProperties: { type: 'string', enum: [...TOPIC_RELATIONS] },
  })
  @IsObject()
  relations: Record<string, TopicRelation>;
}

export class ActivateQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Activate a set that did not beat every baseline on its held-out back-test.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  force?: 'true' | 'false';
}
