import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const PER_DEPENDENCY = {
  type: 'object',
  additionalProperties: { type: 'object', additionalProperties: true, properties: { status: { type: 'string' } } },
} as const;

/** GET /health: the status for anyone; each dependency's state only with an admin's token. */
export class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded', 'error', 'shutting_down'], description: '"degraded" (still 200) while something needs a person, e.g. dead mail; "error" with 503' })
  status: string;
  @ApiPropertyOptional({ ...PER_DEPENDENCY, description: 'Admins: dependencies that are up (database, mail, outbox)' }) info?: Record<string, unknown>;
  @ApiPropertyOptional({ ...PER_DEPENDENCY, description: 'Admins: dependencies that are down' }) error?: Record<string, unknown>;
  @ApiPropertyOptional({ ...PER_DEPENDENCY, description: 'Admins: every dependency with its details (outbox counts, transport state)' }) details?: Record<string, unknown>;
}
