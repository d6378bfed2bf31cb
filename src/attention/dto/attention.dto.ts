import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { RISK_LEVELS } from '../../common/enums';
import type { RiskLevel } from '../../common/enums';

export class AttentionQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Office (admins: required unless they want every office; coordinators: only their own, the default)' })
  @IsOptional()
  @IsUUID()
  officeId?: string;
}

export class AttentionAppearanceRef {
  @ApiProperty({ format: 'uuid' }) appearanceId: string;
  @ApiProperty() title: string;
  @ApiProperty() institutionName: string;
  @ApiProperty({ description: 'UTC ISO' }) startsAt: string;
  @ApiProperty({ description: 'Venue-local, with the zone: "Thursday 12 March 2026, 10:00 EDT (America/New_York)"' }) startsLocal: string;
  @ApiProperty({ enum: RISK_LEVELS, nullable: true }) riskLevel: RiskLevel | null;
}

export class PendingPerson {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid', description: 'Their latest unacknowledged warning (POST /notifications/:id/ack acknowledges it)' }) notificationId: string;
  @ApiProperty({ description: 'When that warning was sent (UTC ISO)' }) sentAt: string;
}

export class UnacknowledgedWarning extends AttentionAppearanceRef {
  @ApiProperty({ type: [PendingPerson], description: 'Who has not acknowledged yet' }) notAcknowledged: PendingPerson[];
  @ApiProperty({ description: "When the office's coordinators are (were) alerted if nobody acknowledges (UTC ISO)" }) escalatesAt: string;
  @ApiProperty({ description: 'escalatesAt, venue-local' }) escalatesLocal: string;
  @ApiProperty({ description: 'True once escalatesAt has passed' }) escalated: boolean;
}

export class UpcomingByLevel {
  @ApiProperty({ enum: [...RISK_LEVELS, 'unassessed'] }) level: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: [AttentionAppearanceRef] }) appearances: AttentionAppearanceRef[];
}

export class OverdueDebrief extends AttentionAppearanceRef {
  @ApiProperty({ description: 'Whole days since it ended' }) daysSinceEnd: number;
}

export class AdvanceNoticeAtRisk extends AttentionAppearanceRef {
  @ApiProperty({ description: 'Days of notice the host requires' }) advanceNoticeDays: number;
  @ApiProperty({ description: 'Last moment to notify the host (start − notice days), UTC ISO' }) deadline: string;
  @ApiProperty({ description: 'deadline, venue-local' }) deadlineLocal: string;
  @ApiProperty({ description: 'True when the deadline has passed' }) passed: boolean;
}

export class AttentionView {
  @ApiProperty({ description: 'As of (UTC ISO)' }) asOf: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) officeId: string | null;
  @ApiProperty({ type: [UnacknowledgedWarning], description: 'Sent High/Critical warnings about upcoming appearances that someone has not acknowledged' })
  unacknowledged: UnacknowledgedWarning[];
  @ApiProperty({ type: [UpcomingByLevel], description: 'Planned and confirmed appearances in the next 14 days, most severe level first' }) upcoming: UpcomingByLevel[];
  @ApiProperty({ type: [OverdueDebrief], description: 'Ended appearances without a debrief' }) debriefsOverdue: OverdueDebrief[];
  @ApiProperty({ type: [AdvanceNoticeAtRisk], description: 'Planned appearances at hosts requiring advance notice whose deadline is within 7 days or has passed' })
  advanceNotice: AdvanceNoticeAtRisk[];
}
