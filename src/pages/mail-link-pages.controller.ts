import { Controller, Get, HttpCode, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiHtmlResponse } from '../common/openapi';
import type { FastifyReply } from 'fastify';
import { AppearanceReader } from '../appearances/appearance-reader';
import { Public } from '../common/auth';
import { Clock } from '../common/clock';
import { humanLocal, DAY_MS } from '../common/time';
import { LEVEL_WORDS } from '../notifications/assessment-summary';
import { AckTokenQuery } from '../notifications/dto/notification.dto';
import type { Notification } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { pageUrl } from '../notifications/page-links';
import { LinkSigner } from '../notifications/signed-link';
import { sendHtml } from './page-reply';
import { PageViews } from './page-views';
import { NOTIFICATION_WORDS } from './page-words';
import { PagesHtmlFilter } from './pages-html.filter';

/**
 * The one-click links in mail (acknowledge, unsubscribe). GET only shows what the link is about and
 * a button — link scanners and previews fetch GET URLs and must not act for anyone; the button POSTs.
 * A bad or expired link is a page saying so, never JSON.
 */
@ApiTags('notifications')
@Public()
@UseFilters(PagesHtmlFilter)
@Controller('notifications')
export class MailLinkPagesController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly reader: AppearanceReader,
    private readonly views: PageViews,
    private readonly links: LinkSigner,
    private readonly clock: Clock,
  ) {}

  @Get('ack')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Acknowledge link from a High/Critical email: names the warning and shows a confirmation button (GET never acknowledges)' })
  @ApiHtmlResponse('A page naming the warning, with the acknowledge button')
  async ackPage(@Query() q: AckTokenQuery, @Res() reply: FastifyReply): Promise<void> {
    const n = await this.notifications.ackTarget(q.token);
    const about = await this.about(n);
    const already = n.acknowledgedAt !== null;
    sendHtml(
      reply,
      this.views.render('mail-link', {
        title: 'Acknowledge this warning',
        visitor: null,
        heading: 'Acknowledge this warning',
        about,
        text: already
          ? `This warning was already acknowledged${about ? ` on ${humanLocal(n.acknowledgedAt as number, about.timeZone)}` : ''}.`
          : 'Confirm that you have read this risk warning and will prepare the listed mitigations.',
        done: already,
        button: already ? null : 'I have read this warning',
        action: `?token=${encodeURIComponent(q.token)}`,
        pageUrl: this.pageFor(n),
      }),
    );
  }

  @Post('ack')
  @HttpCode(200)
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Acknowledge with the signed, expiring token from the email (no sign-in)' })
  @ApiHtmlResponse('A page saying the warning is acknowledged')
  async ackByToken(@Query() q: AckTokenQuery, @Res() reply: FastifyReply): Promise<void> {
    const r = await this.notifications.acknowledgeByToken(q.token);
    const n = await this.notifications.ackTarget(q.token);
    const about = await this.about(n);
    const at = about ? humanLocal(Date.parse(r.acknowledgedAt), about.timeZone) : r.acknowledgedAt;
    sendHtml(
      reply,
      this.views.render('mail-link', {
        title: 'Acknowledged',
        visitor: null,
        heading: 'Acknowledged',
        about,
        text: `Thank you. Recorded ${at}${r.firstAcknowledgement ? '' : ' (it had already been acknowledged)'}.`,
        done: true,
        button: null,
        action: '',
        pageUrl: this.pageFor(n),
      }),
    );
  }

  @Get('unsubscribe')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Unsubscribe link (non-critical mail): names the kind of mail and shows a confirmation button' })
  @ApiHtmlResponse('A page naming the kind of mail, with the unsubscribe button')
  unsubscribePage(@Query() q: AckTokenQuery, @Res() reply: FastifyReply): void {
    const { label } = this.notifications.unsubscribeTarget(q.token);
    sendHtml(
      reply,
      this.views.render('mail-link', {
        title: 'Stop these emails',
        visitor: null,
        heading: 'Stop these emails',
        about: null,
        text: `Stop receiving “${label}” from Forewarn. Risk alerts will still be sent.`,
        done: false,
        button: 'Unsubscribe',
        action: `?token=${encodeURIComponent(q.token)}`,
        pageUrl: null,
      }),
    );
  }

  @Post('unsubscribe')
  @HttpCode(200)
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'RFC 8058 one-click unsubscribe (List-Unsubscribe-Post: List-Unsubscribe=One-Click)' })
  @ApiHtmlResponse('A page saying the kind of mail is switched off')
  async unsubscribe(@Query() q: AckTokenQuery, @Res() reply: FastifyReply): Promise<void> {
    const { label } = this.notifications.unsubscribeTarget(q.token);
    await this.notifications.unsubscribeByToken(q.token);
    sendHtml(
      reply,
      this.views.render('mail-link', {
        title: 'Unsubscribed',
        visitor: null,
        heading: 'Unsubscribed',
        about: null,
        text: `You will no longer receive “${label}”. Risk alerts are still sent. You can change this in your email preferences.`,
        done: true,
        button: null,
        action: '',
        pageUrl: null,
      }),
    );
  }

  private async about(n: Notification) {
    if (!n.appearanceId) return null;
    const a = await this.reader.one(n.appearanceId).catch(() => null);
    if (!a) return null;
    const level = typeof n.payload?.to === 'string' ? (n.payload.to as keyof typeof LEVEL_WORDS) : (a.riskLevel as keyof typeof LEVEL_WORDS | null);
    return {
      kindWords: (NOTIFICATION_WORDS[n.kind] ?? n.kind).replace(/^\w/, (c) => c.toUpperCase()),
      sentLocal: n.sentAt ? humanLocal(n.sentAt, a.timeZone) : 'not yet',
      title: a.title,
      institutionName: a.institution.name,
      localStart: humanLocal(Date.parse(a.startsAt), a.timeZone),
      level: level ?? null,
      levelWords: level ? LEVEL_WORDS[level] : null,
      timeZone: a.timeZone,
    };
  }

  private pageFor(n: Notification): string | null {
    if (!n.appearanceId) return null;
    return pageUrl(this.links, '', { userId: n.recipientId, page: 'appearance', appearanceId: n.appearanceId, exp: this.clock.now() + 7 * DAY_MS });
  }
}
