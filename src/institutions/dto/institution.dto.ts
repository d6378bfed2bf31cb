import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { HIGHEST_DEGREES, INSTITUTION_KINDS, InstitutionKind, Stance, STANCES } from '../../common/enums';
import { PageQuery } from '../../common/pagination';
import { IsIanaZone, OmittableNotNull } from '../../common/validators';
import { PRIVACY_NOTE } from '../../common/privacy/privacy-guard';

/** An institution's reception, derived from the reception ledger (the reception module computes it: InstitutionReception). */
export class ReceptionSummaryView {
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ enum: STANCES, nullable: true, description: 'Derived from the ledger (latest entry in force); null when nothing is recorded' })
  currentStance: Stance | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the stance last changed to its current value' })
  stanceSince: string | null;
  @ApiProperty({ enum: ['better', 'same', 'worse'], nullable: true, description: 'Current stance vs the stance 12 months ago' })
  trend: 'better' | 'same' | 'worse' | null;
  @ApiProperty({ description: 'Entries in force (not superseded)' }) entries: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastEntryAt: string | null;
}

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateInstitutionDto {
  @ApiProperty({ example: 'Kent State University at Kent', maxLength: 300, description: PRIVACY_NOTE })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name: string;

  @ApiProperty({ enum: INSTITUTION_KINDS, example: 'university' })
  @IsIn(INSTITUTION_KINDS as unknown as string[])
  kind: InstitutionKind;

  @ApiPropertyOptional({ example: 'Kent', maxLength: 120, description: PRIVACY_NOTE })
  @OmittableNotNull()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  city?: string;

  @ApiPropertyOptional({ example: 'OH', description: 'State or region code (stored upper-case)', maxLength: 64 })
  @OmittableNotNull()
  @Transform(trim)
  @IsString()
  @MaxLength(64)
  state?: string;

  @ApiPropertyOptional({ example: 'US', description: 'ISO 3166-1 alpha-2', default: 'US' })
  @OmittableNotNull()
  @IsString()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter ISO 3166-1 code such as US' })
  country?: string;

  @ApiProperty({ example: 'America/New_York', description: 'IANA time zone of the institution' })
  @IsIanaZone()
  timeZone: string;

  @ApiPropertyOptional({ example: '203517', description: `External id, e.g. the College Scorecard / IPEDS unit id. ${PRIVACY_NOTE}`, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  externalId?: string | null;

  @ApiPropertyOptional({ example: 'public', description: 'public, private nonprofit, private for-profit', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  ownership?: string | null;

  @ApiPropertyOptional({ enum: HIGHEST_DEGREES, description: 'Highest degree awarded (College Scorecard); used by the risk model', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((o) => o.highestDegree !== null)
  @IsIn(HIGHEST_DEGREES as unknown as string[])
  highestDegree?: string | null;

  @ApiPropertyOptional({ description: 'Policy flag: limits cooperation with federal immigration enforcement', default: false })
  @OmittableNotNull()
  @IsBoolean()
  limitsImmigrationCooperation?: boolean;

  @ApiPropertyOptional({ description: 'Policy flag: requires advance notice of a visit', default: false })
  @OmittableNotNull()
  @IsBoolean()
  requiresAdvanceNotice?: boolean;

  @ApiPropertyOptional({ description: 'Days of notice required (with requiresAdvanceNotice)', minimum: 0, maximum: 365, nullable: true, type: Number })
  @IsOptional()
  @ValidateIf((o) => o.advanceNoticeDays !== null)
  @IsInt()
  @Min(0)
  @Max(365)
  advanceNoticeDays?: number | null;
}

/** Every field may be left out; only externalId, ownership and advanceNoticeDays may be null (unset). */
export class UpdateInstitutionDto extends PartialType(CreateInstitutionDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ description: 'The version you read (alternative to the If-Match header); a mismatch is 409 STALE_VERSION' })
  @OmittableNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class InstitutionQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Name contains (case- and punctuation-insensitive)', example: 'kent state' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  q?: string;

  @ApiPropertyOptional({ enum: INSTITUTION_KINDS })
  @IsOptional()
  @IsIn(INSTITUTION_KINDS as unknown as string[])
  kind?: InstitutionKind;

  @ApiPropertyOptional({ example: 'OH' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  state?: string;

  @ApiPropertyOptional({ example: 'Kent', description: 'Exact city (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  city?: string;

  @ApiPropertyOptional({ example: '203517' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  externalId?: string;
}

export class InstitutionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: INSTITUTION_KINDS }) kind: InstitutionKind;
  @ApiProperty() city: string;
  @ApiProperty() state: string;
  @ApiProperty() country: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ nullable: true, type: String }) externalId: string | null;
  @ApiProperty({ nullable: true, type: String }) ownership: string | null;
  @ApiProperty({ nullable: true, type: String, enum: HIGHEST_DEGREES }) highestDegree: string | null;
  @ApiProperty() limitsImmigrationCooperation: boolean;
  @ApiProperty() requiresAdvanceNotice: boolean;
  @ApiProperty({ nullable: true, type: Number }) advanceNoticeDays: number | null;
  @ApiProperty({ description: 'Optimistic concurrency version (also the ETag)' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ type: ReceptionSummaryView, description: 'Derived from the reception ledger (never typed): current stance, since when, 12-month trend' })
  reception?: ReceptionSummaryView;
}

export class InstitutionPage {
  @ApiProperty({ type: [InstitutionView] }) items: InstitutionView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
