import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public, Roles } from '../common/auth';
import { Page } from '../common/pagination';
import { IdPipe } from '../common/validation';
import { AckTokenQuery, AckView, NotificationQuery, NotificationView, PreferencesView, UpdatePreferencesDto } from './dto/notification.dto';
import { confirmPage, donePage } from './link-pages';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: 'The outbox by status (admins: all; coordinators: mail to their office)' })
  list(@Query() q: NotificationQuery, @CurrentUser() user: AuthUser): Promise<Page<NotificationView>> {
    return this.notifications.list(q, user);
  }

  @Get('notifications/ack')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Acknowledge link from a High/Critical email: shows a confirmation button (GET never acknowledges)' })
  ackPage(@Query() q: AckTokenQuery): string {
    return confirmPage('Acknowledge this warning', 'Confirm that you have read the risk warning and will prepare the listed mitigations.', `?token=${encodeURIComponent(q.token)}`, 'I have read this warning');
  }

  @Post('notifications/ack')
  @Public()
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Acknowledge with the signed, expiring token from the email (no sign-in)' })
  async ackByToken(@Query() q: AckTokenQuery): Promise<string> {
    const r = await this.notifications.acknowledgeByToken(q.token);
    return donePage('Acknowledged', `Thank you. Recorded at ${r.acknowledgedAt}${r.firstAcknowledgement ? '' : ' (it had already been acknowledged)'}.`);
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

  @Get('notifications/unsubscribe')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Unsubscribe link (non-critical mail): shows a confirmation button' })
  unsubscribePage(@Query() q: AckTokenQuery): string {
    return confirmPage('Stop these emails', 'Stop receiving this kind of email from Forewarn. Risk alerts will still be sent.', `?token=${encodeURIComponent(q.token)}`, 'Unsubscribe');
  }

  @Post('notifications/unsubscribe')
  @Public()
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'RFC 8058 one-click unsubscribe (List-Unsubscribe-Post: List-Unsubscribe=One-Click)' })
  async unsubscribe(@Query() q: AckTokenQuery): Promise<string> {
    await this.notifications.unsubscribeByToken(q.token);
    return donePage('Unsubscribed', 'You will no longer receive this kind of email. Risk alerts are still sent. You can change this in your notification preferences.');
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
