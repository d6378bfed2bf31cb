import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error shape of every 4xx/5xx answer. */
export class ErrorBody {
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable, machine-readable code' }) code: string;
  @ApiProperty({ example: 'Request validation failed' }) message: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { endsAt: 'endsAt must be after startsAt' },
    description: 'Per-field reasons',
  })
  fields?: Record<string, string>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Present on 500: quote it to an operator; the log has the stack' }) errorId?: string;
}
