import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { Page } from '../common/pagination';
import { IdPipe } from '../common/validation';
import { AckView, NotificationPage, NotificationQuery, NotificationView, PreferencesView, UpdatePreferencesDto } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: 'The outbox by status (admins: all; coordinators: mail to their office)' })
  @ApiOkResponse({ type: NotificationPage })
  list(@Query() q: NotificationQuery, @CurrentUser() user: AuthUser): Promise<Page<NotificationView>> {
    return this.notifications.list(q, user);
  }

  @Post('notifications/:id/ack')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge a High/Critical warning (recipient, a coordinator of their office, or admin)' })
  @ApiOkResponse({ type: AckView })
  ack(@Param('id', new IdPipe()) id: string, @CurrentUser() user: AuthUser): Promise<AckView> {
    return this.notifications.acknowledge(id, user);
  }

  @Post('notifications/:id/retry')
  @HttpCode(200)
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: 'Send a dead notification again (back to pending, due now; the dispatcher sends it)' })
  @ApiOkResponse({ type: NotificationView })
  retry(@Param('id', new IdPipe()) id: string, @CurrentUser() user: AuthUser): Promise<NotificationView> {
    return this.notifications.retry(id, user);
  }

  @Get('me/notification-preferences')
  @ApiOperation({ summary: 'My email preferences (risk alerts cannot be switched off)' })
  @ApiOkResponse({ type: PreferencesView })
  preferences(@CurrentUser() user: AuthUser): Promise<PreferencesView> {
    return this.notifications.preferences(user.id);
  }

  @Put('me/notification-preferences')
  @ApiOperation({ summary: 'Switch kinds of non-critical mail off (422 RISK_ALERTS_CANNOT_BE_MUTED for risk alerts)' })
  @ApiOkResponse({ type: PreferencesView })
  setPreferences(@Body() body: UpdatePreferencesDto, @CurrentUser() user: AuthUser): Promise<PreferencesView> {
    return this.notifications.setPreferences(user.id, body.mutedKinds);
  }
}
