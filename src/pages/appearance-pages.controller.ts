import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../common/auth';
import { IdPipe } from '../common/validation';
import { AppearancePageService } from './appearance-page.service';
import { list } from './debrief-form';
import { DebriefPages } from './debrief-pages';
import { PageLinkMinter } from './page-link-minter';
import { seeOther, sendHtml } from './page-reply';
import { PageReply, PageRequest, PageSession, Visitor } from './page-session';
import { PageViews } from './page-views';
import { PagesHtmlFilter } from './pages-html.filter';
import { NotificationsService } from '../notifications/notifications.service';
import { NOTIFICATION_WORDS } from './page-words';
import { humanLocal } from '../common/time';

const FLASH: Record<string, string> = {
  ack: 'Acknowledged. Thank you — the coordinators can see that you have read the warning.',
  mitigations: 'Checklist saved.',
};

/**
 * The appearance page and the debrief form, opened from the links in mail (signed per person and
 * page) or after signing in. GET only shows; every change is a POST that answers 303 back to the page.
 */
@ApiExcludeController()
@Public()
@UseFilters(PagesHtmlFilter)
@Controller('pages/appearances')
export class AppearancePagesController {
  constructor(
    private readonly session: PageSession,
    private readonly pages: AppearancePageService,
    private readonly notifications: NotificationsService,
    private readonly debrief: DebriefPages,
    private readonly links: PageLinkMinter,
    private readonly views: PageViews,
  ) {}

  @Get(':id')
  async show(@Param('id', new IdPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const visitor = await this.session.visitor(req as PageRequest, reply as PageReply, 'appearance', id);
    const data = await this.pages.load(id, visitor.user);
    const waiting = await this.notifications.awaitingAck(id, visitor.user.id);
    const done = (req.query as Record<string, unknown>).done;
    sendHtml(
      reply,
      this.views.render('appearance', {
        title: data.appearance.title,
        visitor,
        ...data,
        flash: typeof done === 'string' ? (FLASH[done] ?? null) : null,
        ack: waiting.length ? { kindWords: NOTIFICATION_WORDS[waiting[0].kind] ?? 'warning', sentAtLocal: humanLocal(waiting[0].sentAt ?? 0, data.appearance.timeZone) } : null,
        debriefUrl: data.appearance.ended ? this.links.forVisitor(visitor, 'debrief', id) : null,
        debriefFiled: await this.debrief.filed(id),
      }),
    );
  }

  @Post(':id/ack')
  async acknowledge(@Param('id', new IdPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const visitor = await this.session.visitor(req as PageRequest, reply as PageReply, 'appearance', id);
    const [latest] = await this.notifications.awaitingAck(id, visitor.user.id);
    if (latest) await this.notifications.acknowledge(latest.id, visitor.user);
    seeOther(reply, this.back(visitor, id, 'ack'));
  }

  @Post(':id/mitigations')
  async tick(@Param('id', new IdPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const visitor = await this.session.visitor(req as PageRequest, reply as PageReply, 'appearance', id);
    await this.pages.tick(id, list((req.body as Record<string, unknown> | undefined)?.mitigations), visitor.user);
    seeOther(reply, this.back(visitor, id, 'mitigations'));
  }

  @Get(':id/debrief')
  async debriefForm(@Param('id', new IdPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const visitor = await this.session.visitor(req as PageRequest, reply as PageReply, 'debrief', id);
    const saved = (req.query as Record<string, unknown>).done === 'saved';
    sendHtml(reply, await this.debrief.form(id, visitor, saved));
  }

  @Post(':id/debrief')
  async fileDebrief(@Param('id', new IdPipe()) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const visitor = await this.session.visitor(req as PageRequest, reply as PageReply, 'debrief', id);
    const r = await this.debrief.submit(id, visitor, req.body);
    if (r.ok) return seeOther(reply, this.links.back(visitor, 'debrief', id, 'saved'));
    sendHtml(reply, r.html, r.status);
  }

  private back(visitor: Visitor, id: string, done: string): string {
    return this.links.back(visitor, 'appearance', id, done);
  }
}
