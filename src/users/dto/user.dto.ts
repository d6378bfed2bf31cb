import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination';
import { ROLES, Role } from '../../common/enums';
import { OmittableNotNull } from '../../common/validators';

export class CreateUserDto {
  @ApiProperty({ example: 'dana.recruiter@agency.example' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'Dana Recruiter' }) @IsString() @IsNotEmpty() @MaxLength(200) displayName: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES as unknown as string[]) role: Role;
  @ApiPropertyOptional({ description: 'Required for recruiters and coordinators' })
  @ValidateIf((o) => o.role === 'recruiter' || o.role === 'coordinator' || o.officeId !== undefined)
  @IsUUID()
  officeId?: string;
  @ApiProperty({ minLength: 10, example: 'correct horse battery' }) @IsString() @MinLength(10) @MaxLength(200) password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @OmittableNotNull() @IsString() @IsNotEmpty() @MaxLength(200) displayName?: string;
  @ApiPropertyOptional({ enum: ROLES }) @OmittableNotNull() @IsIn(ROLES as unknown as string[]) role?: Role;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'null removes the office (not for recruiters and coordinators)' }) @IsOptional() @IsUUID() officeId?: string | null;
  @ApiPropertyOptional({ description: 'false disables the account: it can no longer sign in and its tokens stop working' })
  @OmittableNotNull()
  @IsBoolean()
  active?: boolean;
  @ApiPropertyOptional({ minLength: 10 }) @OmittableNotNull() @IsString() @MinLength(10) @MaxLength(200) password?: string;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES as unknown as string[]) role?: Role;
  @ApiPropertyOptional() @IsOptional() @IsUUID() officeId?: string;
  @ApiPropertyOptional({ description: 'Matches email or name' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
}

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String }) officeId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class MeView extends UserView {
  @ApiProperty({ description: 'Secret URL of your personal calendar feed (.ics). Anyone with it can read your appearances.' })
  calendarUrl: string;
  @ApiProperty({
    description: 'The same feed as a webcal:// link: opening it subscribes a calendar app (Apple Calendar, Outlook) to the feed',
    example: 'webcal://forewarn.example/calendar/k3Jd8s0-Aq9xYzQ1mN2bV7cR.ics',
  })
  calendarWebcalUrl: string;
  @ApiProperty({ type: [String], description: 'Non-critical mail you switched off' }) mutedKinds: string[];
}

export const UserPage = PageOf(UserView, 'UserPage');
