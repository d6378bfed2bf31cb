import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsIanaZone, OmittableNotNull } from '../../common/validators';
import { PRIVACY_NOTE } from '../../common/privacy/privacy-guard';

export class CreateOfficeDto {
  @ApiProperty({ example: 'Cleveland Field Office', description: PRIVACY_NOTE }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'Great Lakes', description: PRIVACY_NOTE }) @OmittableNotNull() @IsString() @MaxLength(200) region?: string;
  @ApiProperty({ example: 'America/New_York' }) @IsIanaZone() timeZone: string;
}

/** Every field may be left out, none may be null. */
export class UpdateOfficeDto extends PartialType(CreateOfficeDto, { skipNullProperties: false }) {}

export class OfficeView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() region: string;
  @ApiProperty() timeZone: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
