import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { APPEARANCE_FORMATS, APPEARANCE_KINDS, APPEARANCE_STATUSES, AppearanceFormat, AppearanceKind, AppearanceStatus, Audience, AUDIENCES, RISK_LEVELS } from '../../common/enums';
import { PageQuery } from '../../common/pagination';
import { RiskAssessmentView } from '../../risk/risk.view';
import { instantForm, IsIanaZone, IsInstant, OmittableNotNull } from '../../common/validators';
import { ISO_WITH_OFFSET, LOCAL_DATE, LOCAL_DATE_TIME } from '../../common/local-time';
import { PRIVACY_NOTE } from '../../common/privacy/privacy-guard';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const OFFSET_MSG = { message: '$property must be ISO-8601 with an offset, e.g. 2026-03-09T10:00:00-04:00' };
const LOCAL_MSG = { message: '$property must be a local date-time without offset, e.g. 2026-03-09T10:00' };

/** Fields shared by create and update (all optional here; create makes some required). */
class AppearanceFields {
  @ApiPropertyOptional({ description: 'Start as ISO-8601 with offset', example: '2026-03-09T10:00:00-04:00' })
  @OmittableNotNull()
  @IsString()
  @Matches(ISO_WITH_OFFSET, OFFSET_MSG)
  startsAt?: string;

  @ApiPropertyOptional({ description: 'End as ISO-8601 with offset', example: '2026-03-09T14:00:00-04:00' })
  @OmittableNotNull()
  @IsString()
  @Matches(ISO_WITH_OFFSET, OFFSET_MSG)
  endsAt?: string;

  @ApiPropertyOptional({ description: 'Start as local wall-clock time in timeZone (instead of startsAt)', example: '2026-03-09T10:00' })
  @OmittableNotNull()
  @IsString()
  @Matches(LOCAL_DATE_TIME, LOCAL_MSG)
  startsLocal?: string;

  @ApiPropertyOptional({ description: 'End as local wall-clock time in timeZone (instead of endsAt)', example: '2026-03-09T14:00' })
  @OmittableNotNull()
  @IsString()
  @Matches(LOCAL_DATE_TIME, LOCAL_MSG)
  endsLocal?: string;

  @ApiPropertyOptional({ description: "The venue's IANA zone (default: the institution's)", example: 'America/New_York' })
  @OmittableNotNull()
  @IsIanaZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: 'Student Center Ballroom', maxLength: 300, description: PRIVACY_NOTE })
  @OmittableNotNull()
  @IsString()
  @MaxLength(300)
  venue?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100000, nullable: true, type: Number, example: 250 })
  @IsOptional()
  @ValidateIf((o) => o.expectedAttendance !== null)
  @IsInt()
  @Min(0)
  @Max(100000)
  expectedAttendance?: number | null;

  @ApiPropertyOptional({ description: 'Uniforms or agency branding will be visible' })
  @OmittableNotNull()
  @IsBoolean()
  visibleBranding?: boolean;

  @ApiPropertyOptional({ description: 'A protest against this appearance has been announced' })
  @OmittableNotNull()
  @IsBoolean()
  protestAnnounced?: boolean;

  @ApiPropertyOptional({ type: [Number], nullable: true, description: 'Briefing offsets in minutes before the start (null = the default schedule)', example: [20160, 4320, 1440] })
  @IsOptional()
  @ValidateIf((o) => o.briefingOffsets !== null)
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(60 * 24 * 90, { each: true })
  briefingOffsets?: number[] | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Assigned recruiters (active recruiters or coordinators)' })
  @OmittableNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  recruiterIds?: string[];

  @ApiPropertyOptional({ description: 'Book even if a recruiter already has an overlapping appearance', default: false })
  @OmittableNotNull()
  @IsBoolean()
  allowDoubleBooking?: boolean;

  @ApiPropertyOptional({
    description: "Book even inside the host's advance-notice period (institution requiresAdvanceNotice / advanceNoticeDays); without it that is 422 ADVANCE_NOTICE naming the deadline",
    default: false,
  })
  @OmittableNotNull()
  @IsBoolean()
  allowShortNotice?: boolean;
}

export class CreateAppearanceDto extends AppearanceFields {
  @ApiProperty({ format: 'uuid' }) @IsUUID() institutionId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Default: your office (admins must choose)' })
  @OmittableNotNull()
  @IsUUID()
  officeId?: string;

  @ApiProperty({ enum: APPEARANCE_KINDS }) @IsIn(APPEARANCE_KINDS as unknown as string[]) kind: AppearanceKind;

  @ApiProperty({ example: 'Spring career fair', maxLength: 200, description: PRIVACY_NOTE })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ enum: APPEARANCE_FORMATS }) @IsIn(APPEARANCE_FORMATS as unknown as string[]) format: AppearanceFormat;

  @ApiProperty({ enum: AUDIENCES }) @IsIn(AUDIENCES as unknown as string[]) audience: Audience;
}

export class UpdateAppearanceDto extends AppearanceFields {
  @ApiPropertyOptional({ enum: APPEARANCE_KINDS })
  @OmittableNotNull()
  @IsIn(APPEARANCE_KINDS as unknown as string[])
  kind?: AppearanceKind;

  @ApiPropertyOptional({ example: 'Spring career fair', maxLength: 200, description: PRIVACY_NOTE })
  @OmittableNotNull()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ enum: APPEARANCE_FORMATS })
  @OmittableNotNull()
  @IsIn(APPEARANCE_FORMATS as unknown as string[])
  format?: AppearanceFormat;

  @ApiPropertyOptional({ enum: AUDIENCES })
  @OmittableNotNull()
  @IsIn(AUDIENCES as unknown as string[])
  audience?: Audience;

  @ApiPropertyOptional({ format: 'uuid' }) @OmittableNotNull() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Move to another office (admin)' }) @OmittableNotNull() @IsUUID() officeId?: string;

  @ApiPropertyOptional({ description: 'Move to this local date keeping the local wall-clock times (e.g. across a DST change)', example: '2026-03-10' })
  @OmittableNotNull()
  @IsString()
  @Matches(LOCAL_DATE, { message: '$property must be a local date such as 2026-03-10' })
  date?: string;

  @ApiPropertyOptional({ description: 'The version you read (alternative to If-Match); a mismatch is 409 STALE_VERSION' })
  @OmittableNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class StatusChangeDto {
  @ApiPropertyOptional({ description: 'The version you read (alternative to If-Match)' }) @OmittableNotNull() @IsInt() @Min(1) version?: number;
}

export class CancelAppearanceDto extends StatusChangeDto {
  @ApiPropertyOptional({ maxLength: 500, example: 'Host postponed the fair' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

const toList = ({ value }: { value: unknown }) => (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').filter(Boolean) : value);

export class AppearanceQuery extends PageQuery {
  @ApiPropertyOptional({ description: `Window start (appearances that end after it): ${instantForm({ date: true })}`, example: '2026-03-01T00:00:00Z' })
  @IsOptional()
  @IsInstant({ date: true })
  from?: string;

  @ApiPropertyOptional({ description: `Window end (appearances that start before it): ${instantForm({ date: true })}`, example: '2026-04-01T00:00:00Z' })
  @IsOptional()
  @IsInstant({ date: true })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() officeId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() recruiterId?: string;

  @ApiPropertyOptional({ enum: APPEARANCE_STATUSES, isArray: true, description: 'One or more, comma-separated' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsIn(APPEARANCE_STATUSES as unknown as string[], { each: true })
  status?: AppearanceStatus[];

  @ApiPropertyOptional({ enum: APPEARANCE_KINDS }) @IsOptional() @IsIn(APPEARANCE_KINDS as unknown as string[]) kind?: AppearanceKind;

  @ApiPropertyOptional({ enum: RISK_LEVELS, isArray: true, description: 'Latest risk level, one or more, comma-separated (e.g. high,critical)' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsIn(RISK_LEVELS as unknown as string[], { each: true, message: `riskLevel must be one or more of: ${RISK_LEVELS.join(', ')}` })
  riskLevel?: string[];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'Order by start' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}

export class InstitutionRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() city: string;
  @ApiProperty() state: string;
}

export class AppearanceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ type: InstitutionRef }) institution: InstitutionRef;
  @ApiProperty({ format: 'uuid' }) officeId: string;
  @ApiProperty({ enum: APPEARANCE_KINDS }) kind: AppearanceKind;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time', description: 'UTC', example: '2026-03-09T14:00:00.000Z' }) startsAt: string;
  @ApiProperty({ format: 'date-time', description: 'UTC', example: '2026-03-09T18:00:00.000Z' }) endsAt: string;
  @ApiProperty({ description: 'Local time with offset in the venue zone', example: '2026-03-09T10:00:00.000-04:00' }) startsAtLocal: string;
  @ApiProperty({ description: 'Local time with offset in the venue zone', example: '2026-03-09T14:00:00.000-04:00' }) endsAtLocal: string;
  @ApiProperty({ example: 'America/New_York' }) timeZone: string;
  @ApiProperty() venue: string;
  @ApiProperty({ enum: APPEARANCE_FORMATS }) format: AppearanceFormat;
  @ApiProperty({ enum: AUDIENCES }) audience: Audience;
  @ApiProperty({ nullable: true, type: Number }) expectedAttendance: number | null;
  @ApiProperty() visibleBranding: boolean;
  @ApiProperty() protestAnnounced: boolean;
  @ApiProperty({ enum: APPEARANCE_STATUSES }) status: AppearanceStatus;
  @ApiProperty({ description: 'Optimistic concurrency version (also the ETag)' }) version: number;
  @ApiProperty({ description: 'iCalendar SEQUENCE' }) sequence: number;
  @ApiProperty({ type: [Number], nullable: true }) briefingOffsets: number[] | null;
  @ApiProperty({ type: [String] }) recruiterIds: string[];
  @ApiProperty() disrupted: boolean;
  @ApiProperty({ nullable: true, type: String }) cancelReason: string | null;
  @ApiProperty({ enum: RISK_LEVELS, nullable: true, description: 'Level of the latest risk assessment' }) riskLevel: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AppearanceWarningView {
  @ApiProperty({ enum: ['CREATOR_ASSIGNED', 'SHORT_NOTICE', 'VENUE_ZONE_DIFFERS'], description: 'Stable code' }) code: string;
  @ApiProperty({ description: 'What happened, in plain words' }) message: string;
}

export class AppearanceDetailView extends AppearanceView {
  @ApiProperty({ type: () => RiskAssessmentView, nullable: true, description: 'The latest risk assessment' })
  risk: RiskAssessmentView | null;

  @ApiPropertyOptional({
    type: [AppearanceWarningView],
    description: "On create and update: what the write did or allowed that you should know (the creator assigned, a short-notice override, a venue zone unlike the institution's)",
  })
  warnings?: AppearanceWarningView[];
}

export class AppearancePage {
  @ApiProperty({ type: [AppearanceView] }) items: AppearanceView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ClashView {
  @ApiProperty({ format: 'uuid' }) appearanceId: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ description: 'Venue-local start with the zone' }) startsLocal: string;
  @ApiProperty({ description: 'Venue-local end with the zone' }) endsLocal: string;
  @ApiProperty({ format: 'uuid' }) recruiterId: string;
  @ApiProperty({ description: 'The double-booked person' }) recruiterName: string;
}
