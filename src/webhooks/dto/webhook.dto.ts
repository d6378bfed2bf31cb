import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { NOTIFICATION_STATUSES } from '../../common/enums';
import type { NotificationStatus } from '../../common/enums';
import { PageQuery } from '../../common/pagination';
import { OmittableNotNull } from '../../common/validators';
import { WEBHOOK_EVENT_TYPES } from '../webhook-events';
import type { WebhookEventType } from '../webhook-events';

const EVENTS_NOTE = `Event types to receive: ${WEBHOOK_EVENT_TYPES.join(', ')} ("On the day" events do not exist yet)`;

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://hooks.example.org/forewarn', description: 'https (plain http only to loopback outside production); private addresses refused in production' })
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: EVENTS_NOTE })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `each of eventTypes must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  eventTypes: WebhookEventType[];

  @ApiPropertyOptional({ default: true })
  @OmittableNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string | null;
}

export class UpdateWebhookEndpointDto extends PartialType(CreateWebhookEndpointDto, { skipNullProperties: false }) {}

export class WebhookEndpointView {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) eventTypes: WebhookEventType[];
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'After a rotation: until when the previous secret still signs (a second signature)' }) previousSecretValidUntil: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class WebhookSecretView extends WebhookEndpointView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The signing secret (Standard Webhooks). Shown this once; Forewarn never returns it again' })
  secret: string;
}

export class DeliveryQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;
}

export class DeliveryView {
  @ApiProperty({ description: 'Also the webhook-id header: the same on every attempt' }) id: string;
  @ApiProperty({ enum: ['webhook', 'slack', 'teams'] }) channel: string;
  @ApiProperty() eventType: string;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: NotificationStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: Number, description: 'HTTP status of the last answer' }) lastResponseCode: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Duration of the last attempt, ms' }) latencyMs: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The first 300 bytes of the last answer (no more is kept)' }) responseExcerpt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'Earliest next try, UTC ISO' }) nextAttemptAt: string;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) items: DeliveryView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class WebhookEndpointList {
  @ApiProperty({ type: [WebhookEndpointView] }) items: WebhookEndpointView[];
}

export class UpdateOfficeChatDto {
  @ApiPropertyOptional({ nullable: true, type: String, example: 'https://hooks.slack.com/services/T000/B000/XXXX', description: 'Slack incoming-webhook URL; null removes it' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2048)
  slackUrl?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'https://prod-00.westeurope.logic.azure.com/workflows/…', description: 'Microsoft Teams workflow URL; null removes it' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2048)
  teamsUrl?: string | null;
}

export class ChatChannelView {
  @ApiProperty() configured: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Only the host: the URL itself is a credential and is never returned' }) host: string | null;
}

export class OfficeChatView {
  @ApiProperty() officeId: string;
  @ApiProperty({ type: ChatChannelView }) slack: ChatChannelView;
  @ApiProperty({ type: ChatChannelView }) teams: ChatChannelView;
  @ApiProperty({ nullable: true, type: String }) updatedAt: string | null;
}
