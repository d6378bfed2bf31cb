import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIanaZone } from '../../common/validators';

export class CreateOfficeDto {
  @ApiProperty({ example: 'Cleveland Field Office' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'Great Lakes' }) @IsOptional() @IsString() @MaxLength(200) region?: string;
  @ApiProperty({ example: 'America/New_York' }) @IsIanaZone() timeZone: string;
}

export class UpdateOfficeDto extends PartialType(CreateOfficeDto) {}

export class OfficeView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() region: string;
  @ApiProperty() timeZone: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
