import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CROWD_BANDS, HIGHEST_DEGREES, IMPACTS, INCIDENT_KINDS, INSTITUTION_KINDS, SOURCES, TARGETS } from '../../common/enums';
import { IsIanaZone } from '../../common/validators';

const bool = ({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class ImportQuery {
  @ApiPropertyOptional({ description: 'Check every row and report what would happen; write nothing', default: false })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ description: 'All or nothing (default true): one refused row and nothing is imported (422 IMPORT_REFUSED with the report)', default: true })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  atomic?: boolean;
}

const yesNo = ({ value }: { value: unknown }) => {
  if (value === '' || value === undefined) return undefined;
  const v = String(value).toLowerCase();
  return ['true', 'yes', 'y', '1'].includes(v) ? true : ['false', 'no', 'n', '0'].includes(v) ? false : value;
};

/** One row of the project's own institution CSV (the columns of the export). */
export class InstitutionCsvRow {
  @IsString() @IsNotEmpty({ message: 'name is required' }) @MaxLength(300) name: string;
  @IsIn(INSTITUTION_KINDS as unknown as string[], { message: `kind must be one of ${INSTITUTION_KINDS.join(', ')}` }) kind: string;
  @IsOptional() @IsString() @MaxLength(120) city?: string;
  @IsOptional() @IsString() @MaxLength(64) state?: string;
  @IsOptional() @Transform(blankToUndefined) @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter code such as US' }) country?: string;
  @IsOptional() @Transform(blankToUndefined) @IsIanaZone({ message: 'time_zone must be an IANA zone such as America/New_York' }) time_zone?: string;
  @IsOptional() @IsString() @MaxLength(64) external_id?: string;
  @IsOptional() @IsString() @MaxLength(40) ownership?: string;
  @IsOptional() @IsIn(HIGHEST_DEGREES as unknown as string[], { message: `highest_degree must be one of ${HIGHEST_DEGREES.join(', ')}` }) highest_degree?: string;
  @IsOptional() @Transform(yesNo) @IsBoolean({ message: 'must be true or false' }) limits_immigration_cooperation?: boolean;
  @IsOptional() @Transform(yesNo) @IsBoolean({ message: 'must be true or false' }) requires_advance_notice?: boolean;
  @IsOptional()
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : /^\d+$/.test(String(value)) ? Number(value) : value))
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(365)
  advance_notice_days?: number;
}

/** One row of the project's own incident CSV (the columns of the export; a subset is enough). */
export class IncidentCsvRow {
  @IsString() @IsNotEmpty({ message: 'date (or occurred_at) is required' }) date: string;
  @IsIn(INCIDENT_KINDS as unknown as string[], { message: `kind must be one of ${INCIDENT_KINDS.join(', ')}` }) kind: string;
  @Transform(({ value }) => (/^[1-4]$/.test(String(value)) ? Number(value) : value))
  @IsInt({ message: 'severity must be 1, 2, 3 or 4' })
  @Min(1)
  @Max(4)
  severity: number;
  @IsIn(TARGETS as unknown as string[], { message: `target must be one of ${TARGETS.join(', ')}` }) target: string;
  @IsIn(SOURCES as unknown as string[], { message: `source must be one of ${SOURCES.join(', ')}` }) source: string;
  @IsOptional() @Transform(blankToUndefined) @IsIn(CROWD_BANDS as unknown as string[]) crowd_size?: string;
  @IsOptional() @Transform(blankToUndefined) @IsIn(IMPACTS as unknown as string[]) impact?: string;
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['reported', 'corroborated', 'disputed'], { message: 'verification must be reported, corroborated or disputed' })
  verification?: string;
  @IsOptional() @IsString() @MaxLength(4000) dispute_statement?: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @IsOptional() @IsString() @MaxLength(200) import_key?: string;
  @IsOptional() @IsString() @MaxLength(300) topics?: string;
}
