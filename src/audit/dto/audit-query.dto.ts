import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { instantForm, IsInstant } from '../../common/validators';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'appearance' }) @IsOptional() @IsString() @MaxLength(40) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) entityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() actorId?: string;
  @ApiPropertyOptional({ example: 'update', description: 'create, update, status, login_failed, read, import, retention ...' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  action?: string;
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: `At or after: ${instantForm({ date: true })}` }) @IsOptional() @IsInstant({ date: true }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-31T00:00:00Z', description: `Before: ${instantForm({ date: true })}` }) @IsOptional() @IsInstant({ date: true }) to?: string;
}
