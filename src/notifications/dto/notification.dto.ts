import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { NOTIFICATION_KINDS, NOTIFICATION_STATUSES, RISK_LEVELS } from '../../common/enums';
import type { NotificationKind, NotificationStatus } from '../../common/enums';
import { PageOf, PageQuery } from '../../common/pagination';

export class NotificationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS })
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS)
  kind?: NotificationKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  appearanceId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only warnings that ask (true) or do not ask (false) for acknowledgement' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'ackRequired must be true or false' })
  ackRequired?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only acknowledged (true) or not yet acknowledged (false) mail; with ackRequired=true&acknowledged=false: the warnings waiting for someone',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'acknowledged must be true or false' })
  acknowledged?: 'true' | 'false';
}

export class NotificationView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: NotificationStatus;
  @ApiProperty() recipientId: string;
  @ApiProperty() recipientEmail: string;
  @ApiProperty({ nullable: true, type: String }) appearanceId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Title of the appearance (in lists)' }) appearanceTitle?: string | null;
  @ApiPropertyOptional({ enum: RISK_LEVELS, nullable: true, description: 'Latest risk level of the appearance (in lists)' }) riskLevel?: string | null;
  @ApiProperty({ nullable: true, type: String }) assessmentId: string | null;
  @ApiProperty({ description: 'When it is (was) due, UTC ISO' }) dueAt: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ description: 'Earliest next try, UTC ISO' }) nextAttemptAt: string;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Deterministic <id@domain>, set when sent' }) messageId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    maxLength: 300,
    description: 'The subject line it was sent with (null until sent)',
    example: 'High risk — Briefing (3 days before): Spring career fair, Thursday 12 March 2026',
  })
  subject: string | null;
  @ApiPropertyOptional({ enum: RISK_LEVELS, nullable: true, description: "Risk level of the assessment the mail carried (in lists; null for mail without one). riskLevel is the appearance's latest." })
  mailLevel?: string | null;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty() ackRequired: boolean;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedById: string | null;
  @ApiProperty() createdAt: string;
}

export class AckTokenQuery {
  @ApiProperty({ description: 'The signed token from the email link' })
  @IsString()
  @MaxLength(2000)
  token: string;
}

export const NotificationPage = PageOf(NotificationView, 'NotificationPage');

export class AckView {
  @ApiProperty() notificationId: string;
  @ApiProperty({ nullable: true, type: String }) appearanceId: string | null;
  @ApiProperty() acknowledgedAt: string;
  @ApiProperty() acknowledgedById: string;
  @ApiProperty({ description: 'False when it had already been acknowledged (by this or another recipient)' }) firstAcknowledgement: boolean;
}

export class UpdatePreferencesDto {
  @ApiProperty({
    description: 'Kinds of mail to switch off. Only weekly_digest and debrief_request can be; risk alerts cannot (422).',
    enum: NOTIFICATION_KINDS,
    isArray: true,
  })
  @IsArray()
  @ArrayMaxSize(NOTIFICATION_KINDS.length)
  @IsIn(NOTIFICATION_KINDS, { each: true })
  mutedKinds: NotificationKind[];
}

export class PreferenceItem {
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'Whether mail of this kind is sent to you' }) enabled: boolean;
  @ApiProperty({ description: 'False for risk alerts: they cannot be switched off' }) canSwitchOff: boolean;
}

export class PreferencesView {
  @ApiProperty({ enum: NOTIFICATION_KINDS, isArray: true }) mutedKinds: NotificationKind[];
  @ApiProperty({ type: [PreferenceItem] }) kinds: PreferenceItem[];
  @ApiProperty() note: string;
}
