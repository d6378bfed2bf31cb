import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { APPEARANCE_FORMATS, APPEARANCE_KINDS, AUDIENCES } from '../../common/enums';
import type { AppearanceFormat, AppearanceKind, Audience } from '../../common/enums';
import { instantForm, IsInstant, OmittableNotNull } from '../../common/validators';

/** A hypothetical appearance: what would the risk be? Nothing is saved. */
export class RiskPreviewDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  institutionId: string;

  @ApiProperty({ example: '2026-03-10T15:00:00Z', description: `Start: ${instantForm()}.` })
  @IsInstant()
  startsAt: string;

  @ApiProperty({ enum: APPEARANCE_KINDS })
  @IsIn(APPEARANCE_KINDS)
  kind: AppearanceKind;

  @ApiProperty({ enum: APPEARANCE_FORMATS })
  @IsIn(APPEARANCE_FORMATS)
  format: AppearanceFormat;

  @ApiProperty({ enum: AUDIENCES })
  @IsIn(AUDIENCES)
  audience: Audience;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  expectedAttendance?: number | null;

  @ApiProperty({ description: 'Uniforms or agency branding visible.' })
  @IsBoolean()
  visibleBranding: boolean;

  @ApiPropertyOptional({ description: 'A protest against it has been announced (level at least High).' })
  @OmittableNotNull()
  @IsBoolean()
  protestAnnounced?: boolean;

  @ApiPropertyOptional({ example: '2025-11-01T00:00:00Z', description: `Use only what was recorded at or before this instant (default: now; never in the future): ${instantForm({ date: true })}.` })
  @OmittableNotNull()
  @IsInstant({ date: true })
  asOf?: string;
}
