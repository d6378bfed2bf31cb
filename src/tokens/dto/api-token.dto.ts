import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ROLES, Role } from '../../common/enums';
import { SCOPE_NAMES, SERVICE_ROLES } from '../scopes';

export class CreatePersonalTokenDto {
  @ApiProperty({ example: 'Reporting spreadsheet', description: 'What the token is for, to recognise it later' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: SCOPE_NAMES, isArray: true, example: ['reports:read'], description: 'What the token may do; never more than your role allows' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPE_NAMES.length)
  @ArrayUnique()
  @IsIn(SCOPE_NAMES, { each: true })
  scopes: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Lifetime in days (default API_TOKEN_DEFAULT_DAYS, at most API_TOKEN_MAX_DAYS)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

export class CreateServiceTokenDto extends CreatePersonalTokenDto {
  @ApiProperty({ enum: SERVICE_ROLES, description: 'The role the token acts with (recruiters use personal tokens)' })
  @IsIn(SERVICE_ROLES as Role[])
  role: Role;

  @ApiPropertyOptional({ description: 'The office the token belongs to: required for the coordinator role, not allowed for the others' })
  @IsOptional()
  @IsUUID()
  officeId?: string;
}

export class ApiTokenView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['personal', 'service'] }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'fwp_3kT9xQ…', description: 'The first characters of the token' }) hint: string;
  @ApiProperty({ enum: SCOPE_NAMES, isArray: true }) scopes: string[];
  @ApiProperty({ nullable: true, type: String, description: 'Personal tokens: the user they act as' }) userId: string | null;
  @ApiProperty({ nullable: true, enum: ROLES, description: "Service tokens: their role (personal tokens use their user's current role)" }) role: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Service tokens: their office' }) officeId: string | null;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Recorded at most once a minute' }) lastUsedAt: string | null;
}

export class CreatedApiTokenView extends ApiTokenView {
  @ApiProperty({ example: 'fwp_3kT9xQ…', description: 'The token. Shown only now: Forewarn keeps only its hash. Send as Authorization: Bearer <token>' })
  token: string;
}

export class ApiTokenUseView {
  @ApiProperty({ description: 'Start of the minute' }) minute: string;
  @ApiProperty({ example: 'GET' }) method: string;
  @ApiProperty({ example: '/appearances/:id' }) route: string;
  @ApiProperty({ example: 200 }) status: number;
  @ApiProperty({ description: 'Requests in that minute with this route and result' }) hits: number;
  @ApiProperty() lastAt: string;
}

export class ScopeView {
  @ApiProperty({ example: 'reports:read' }) scope: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: ROLES, isArray: true, description: 'Roles that can hold it' }) roles: string[];
}
