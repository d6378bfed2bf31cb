import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const PER_DEPENDENCY = {
  type: 'object',
  additionalProperties: { type: 'object', additionalProperties: true, properties: { status: { type: 'string' } } },
} as const;

const COUNTS = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } as const;

/** details.webhooks: the webhook and chat outbox, reported as mail is. */
const WEBHOOKS = {
  type: 'object' as const,
  description: 'The webhook and chat (Slack, Teams) outbox: "degraded" while any delivery is dead (receiver refused it for good, or out of attempts)',
  required: ['status', 'degraded', 'outbox', 'deadByChannel'],
  additionalProperties: false,
  properties: {
    status: { type: 'string' as const, enum: ['up'] },
    degraded: { type: 'boolean' as const, description: 'true while any webhook or chat delivery is dead' },
    reason: { type: 'string' as const, description: 'How many are dead and where to see and retry them (only when degraded)' },
    outbox: { ...COUNTS, description: 'Deliveries by status: pending, sending, retrying, dead (a status with none is left out)' },
    deadByChannel: { ...COUNTS, description: 'Dead deliveries per channel: webhook, slack, teams (a channel with none is left out)' },
  },
};

const WITH_PARTS = { ...PER_DEPENDENCY, properties: { webhooks: WEBHOOKS } };

/** GET /health: the status for anyone; each dependency's state only with an admin's token. */
export class HealthView {
  @ApiProperty({
    enum: ['ok', 'degraded', 'error', 'shutting_down'],
    description: '"degraded" (still 200) while something needs a person: dead mail, or a dead webhook or chat delivery; "error" with 503',
  })
  status: string;
  @ApiPropertyOptional({ ...WITH_PARTS, description: 'Admins: dependencies that are up (database, mail, webhooks)' }) info?: Record<string, unknown>;
  @ApiPropertyOptional({ ...PER_DEPENDENCY, description: 'Admins: dependencies that are down' }) error?: Record<string, unknown>;
  @ApiPropertyOptional({ ...WITH_PARTS, description: 'Admins: every dependency with its details (database; mail: transport state and outbox counts; webhooks: outbox counts, dead per channel)' })
  details?: Record<string, unknown>;
}
