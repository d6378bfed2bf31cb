import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { CROWD_BANDS, CrowdBand, IMPACTS, Impact, INCIDENT_KINDS, IncidentKind, SOURCES, Source, TARGETS, Target, Topic, TOPICS, VERIFICATIONS, Verification } from '../../common/enums';
import { PageQuery } from '../../common/pagination';
import { PRIVACY_RULE } from '../../common/privacy/privacy-guard';
import { instantForm, IsInstant, OmittableNotNull } from '../../common/validators';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const SEVERITY_WORDS = ['minor', 'moderate', 'severe', 'critical'] as const;

export class CreateIncidentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  institutionId: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The appearance it happened at; must be at the same institution' })
  @IsOptional()
  @ValidateIf((o) => o.appearanceId !== null)
  @IsUUID()
  appearanceId?: string | null;

  @ApiProperty({ enum: INCIDENT_KINDS, example: 'table_blocked' })
  @IsIn(INCIDENT_KINDS as unknown as string[])
  kind: IncidentKind;

  @ApiProperty({ example: '2020-02-27T15:30:00Z', description: `When it happened: ${instantForm()}; not in the future` })
  @IsInstant()
  occurredAt: string;

  @ApiProperty({ minimum: 1, maximum: 4, description: '1 minor, 2 moderate, 3 severe, 4 critical' })
  @IsInt()
  @Min(1)
  @Max(4)
  severity: number;

  @ApiPropertyOptional({ enum: CROWD_BANDS, default: 'unknown' })
  @OmittableNotNull()
  @IsIn(CROWD_BANDS as unknown as string[])
  crowdSize?: CrowdBand;

  @ApiPropertyOptional({ enum: IMPACTS, default: 'none' })
  @OmittableNotNull()
  @IsIn(IMPACTS as unknown as string[])
  impact?: Impact;

  @ApiProperty({ enum: TARGETS, description: 'organisation (this organisation), peer_recruiters (other agencies, defence employers), general_activism' })
  @IsIn(TARGETS as unknown as string[])
  target: Target;

  @ApiProperty({ enum: SOURCES })
  @IsIn(SOURCES as unknown as string[])
  source: Source;

  @ApiPropertyOptional({
    enum: TOPICS,
    isArray: true,
    description: `What it was about (several allowed): ${TOPICS.join(', ')}. How each relates to the organisation is the admin setting /risk/topic-relations.`,
  })
  @OmittableNotNull()
  @IsArray()
  @ArrayMaxSize(TOPICS.length)
  @IsIn(TOPICS as unknown as string[], { each: true })
  topics?: Topic[];

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String, description: `Short description of what happened to the outreach. Blanked after the retention period. ${PRIVACY_RULE}` })
  @IsOptional()
  @ValidateIf((o) => o.description !== null)
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

/** Facts that may be corrected. Verification changes go through POST /incidents/:id/verification. */
export class UpdateIncidentDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @ValidateIf((o) => o.appearanceId !== null) @IsUUID() appearanceId?: string | null;
  @ApiPropertyOptional({ enum: INCIDENT_KINDS }) @OmittableNotNull() @IsIn(INCIDENT_KINDS as unknown as string[]) kind?: IncidentKind;
  @ApiPropertyOptional({ description: `When it happened: ${instantForm()}; not in the future` }) @OmittableNotNull() @IsInstant() occurredAt?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 4 }) @OmittableNotNull() @IsInt() @Min(1) @Max(4) severity?: number;
  @ApiPropertyOptional({ enum: CROWD_BANDS }) @OmittableNotNull() @IsIn(CROWD_BANDS as unknown as string[]) crowdSize?: CrowdBand;
  @ApiPropertyOptional({ enum: IMPACTS }) @OmittableNotNull() @IsIn(IMPACTS as unknown as string[]) impact?: Impact;
  @ApiPropertyOptional({ enum: TARGETS }) @OmittableNotNull() @IsIn(TARGETS as unknown as string[]) target?: Target;
  @ApiPropertyOptional({ enum: SOURCES }) @OmittableNotNull() @IsIn(SOURCES as unknown as string[]) source?: Source;
  @ApiPropertyOptional({ enum: TOPICS, isArray: true })
  @OmittableNotNull()
  @IsArray()
  @ArrayMaxSize(TOPICS.length)
  @IsIn(TOPICS as unknown as string[], { each: true })
  topics?: Topic[];

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String, description: PRIVACY_RULE })
  @IsOptional()
  @ValidateIf((o) => o.description !== null)
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ description: 'The version you read (or send If-Match); a mismatch is 409 STALE_VERSION' })
  @OmittableNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class VerificationDto {
  @ApiProperty({
    enum: ['corroborated', 'disputed'],
    description: 'reported → corroborated or disputed; corroborated → disputed; disputed → corroborated. A dispute is recorded, never deleted.',
  })
  @IsIn(['corroborated', 'disputed'])
  verification: 'corroborated' | 'disputed';

  @ApiPropertyOptional({
    maxLength: 4000,
    description: `Required for disputed: the institution's own statement, kept with who recorded it and when. ${PRIVACY_RULE}`,
    example: 'The department states that it has no record of the request and disputes the account.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(4000)
  statement?: string;

  @ApiPropertyOptional() @OmittableNotNull() @IsInt() @Min(1) version?: number;
}

export class IncidentQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ example: 'OH' }) @IsOptional() @IsString() @MaxLength(64) state?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() appearanceId?: string;
  @ApiPropertyOptional({ description: `Occurred at or after: ${instantForm({ date: true })}` }) @IsOptional() @IsInstant({ date: true }) from?: string;
  @ApiPropertyOptional({ description: `Occurred before: ${instantForm({ date: true })}` }) @IsOptional() @IsInstant({ date: true }) to?: string;
  @ApiPropertyOptional({ enum: INCIDENT_KINDS }) @IsOptional() @IsIn(INCIDENT_KINDS as unknown as string[]) kind?: IncidentKind;
  @ApiPropertyOptional({ enum: TARGETS }) @IsOptional() @IsIn(TARGETS as unknown as string[]) target?: Target;
  @ApiPropertyOptional({ enum: TOPICS, description: 'Incidents that have this topic (among others)' }) @IsOptional() @IsIn(TOPICS as unknown as string[]) topic?: Topic;
  @ApiPropertyOptional({ enum: VERIFICATIONS }) @IsOptional() @IsIn(VERIFICATIONS as unknown as string[]) verification?: Verification;
  @ApiPropertyOptional({ minimum: 1, maximum: 4, description: 'Severity at least' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(4) minSeverity?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 4, description: 'Exactly this severity' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(4) severity?: number;
}

export class DisputeView {
  @ApiProperty({ description: "The institution's statement" }) statement: string;
  @ApiProperty({ nullable: true, type: String }) recordedById: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) recordedAt: string | null;
}

export class IncidentInstitutionRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() city: string;
  @ApiProperty() state: string;
}

export class IncidentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ type: IncidentInstitutionRef, nullable: true }) institution: IncidentInstitutionRef | null;
  @ApiProperty() state: string;
  @ApiProperty({ nullable: true, type: String }) appearanceId: string | null;
  @ApiProperty({ enum: INCIDENT_KINDS }) kind: IncidentKind;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ minimum: 1, maximum: 4 }) severity: number;
  @ApiProperty({ enum: SEVERITY_WORDS }) severityLabel: string;
  @ApiProperty({ enum: CROWD_BANDS }) crowdSize: CrowdBand;
  @ApiProperty({ enum: IMPACTS }) impact: Impact;
  @ApiProperty({ enum: TARGETS }) target: Target;
  @ApiProperty({ enum: TOPICS, isArray: true }) topics: Topic[];
  @ApiProperty({ enum: SOURCES }) source: Source;
  @ApiProperty({ enum: VERIFICATIONS }) verification: Verification;
  @ApiProperty({ type: DisputeView, nullable: true }) dispute: DisputeView | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null once expired by the retention period (see descriptionExpiredAt)' }) description: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) descriptionExpiredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) recordedById: string | null;
  @ApiProperty({ nullable: true, type: String }) importKey: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class IncidentPage {
  @ApiProperty({ type: [IncidentView] }) items: IncidentView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
