import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PRIVACY_RULE } from '../../common/privacy/privacy-guard';
import { RECEPTION_KINDS, ReceptionKind, Stance, STANCES } from '../../common/enums';
import { PageQuery } from '../../common/pagination';
import { instantForm, IsInstant } from '../../common/validators';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateReceptionEntryDto {
  @ApiProperty({ enum: RECEPTION_KINDS, example: 'partnership_declined' })
  @IsIn(RECEPTION_KINDS as unknown as string[])
  kind: ReceptionKind;

  @ApiPropertyOptional({
    enum: STANCES,
    description:
      'How the institution stands towards the organisation after this fact. Defaults from the kind (welcomed / invitation_accepted → welcoming, ' +
      'invitation_declined / appearance_cancelled_by_host → cautious, partnership_declined / access_restricted → restricted); required for policy_changed and other.',
  })
  @IsOptional()
  @IsIn(STANCES as unknown as string[])
  stance?: Stance;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Declined shared task-force office space "because of the affiliation".', description: `Why, in plain words. ${PRIVACY_RULE}` })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ maxLength: 300, example: 'Letter from the department, 2020-06-12', description: `Where this is known from. ${PRIVACY_RULE}` })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  source?: string;

  @ApiProperty({ example: '2020-06-12T00:00:00Z', description: `When it happened or took effect: ${instantForm({ date: true })}; not in the future` })
  @IsInstant({ date: true })
  effectiveAt: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Correct an earlier entry: it stays in the ledger, marked superseded, and no longer counts for the stance' })
  @IsOptional()
  @IsUUID()
  supersedesId?: string;
}

export class ReceptionQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Include entries that a later correction superseded (default true: the ledger shows everything)', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeSuperseded?: 'true' | 'false';
}

export class ReceptionExportQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ example: 'OH' }) @IsOptional() @IsString() @MaxLength(64) state?: string;
}

export class ReceptionEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ enum: RECEPTION_KINDS }) kind: ReceptionKind;
  @ApiProperty({ enum: STANCES }) stance: Stance;
  @ApiProperty() reason: string;
  @ApiProperty() source: string;
  @ApiProperty({ format: 'date-time' }) effectiveAt: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ nullable: true, type: String }) recordedById: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The entry this one corrects' }) supersedesId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The later entry that corrects this one (it then no longer counts)' }) supersededById: string | null;
}

export class ReceptionPage {
  @ApiProperty({ type: [ReceptionEntryView] }) items: ReceptionEntryView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
