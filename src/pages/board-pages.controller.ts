import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppearanceReader } from '../appearances/appearance-reader';
import { AttentionService } from '../attention/attention.service';
import { Public } from '../common/auth';
import { Clock } from '../common/clock';
import { ForbiddenError } from '../common/errors';
import { DAY_MS, humanLocal } from '../common/time';
import { OutcomesService } from '../outcomes/outcomes.service';
import { sendHtml } from './page-reply';
import { PageReply, PageRequest, PageSession } from './page-session';
import { PageViews } from './page-views';
import { PagesHtmlFilter } from './pages-html.filter';

/** Where signed-in people land: the coordinator's board ("needs you") and a recruiter's own appearances. */
@ApiExcludeController()
@Public()
@UseFilters(PagesHtmlFilter)
@Controller('pages')
export class BoardPagesController {
  constructor(
    private readonly session: PageSession,
    private readonly views: PageViews,
    private readonly attention: AttentionService,
    private readonly reader: AppearanceReader,
    private readonly outcomes: OutcomesService,
    private readonly clock: Clock,
  ) {}

  @Get('board')
  async board(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const visitor = await this.session.signedIn(req as PageRequest, reply as PageReply);
    if (visitor.user.role !== 'coordinator' && visitor.user.role !== 'admin') throw new ForbiddenError(`The board is for coordinators and admins (you are ${visitor.user.role})`);
    const attention = await this.attention.forOffice({}, visitor.user);
    // the office by name, and "as of" in its own time (every office's list: UTC)
    const office = await this.attention.office(attention.officeId);
    sendHtml(
      reply,
      this.views.render('board', {
        title: 'Needs you',
        visitor,
        attention,
        officeName: office?.name ?? 'Every office',
        asOfWords: humanLocal(this.clock.now(), office?.timeZone ?? 'UTC'),
        dashboard: true,
      }),
    );
  }

  @Get('me')
  async me(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const visitor = await this.session.signedIn(req as PageRequest, reply as PageReply);
    const now = this.clock.now();
    const upcoming = await this.reader.all({ recruiterId: visitor.user.id, from: now, to: now + 30 * DAY_MS, status: ['planned', 'confirmed'] });
    const debriefs = visitor.user.role === 'hr' ? [] : await this.outcomes.due({ userId: visitor.user.role === 'recruiter' ? visitor.user.id : undefined }, visitor.user);
    sendHtml(
      reply,
      this.views.render('me', {
        title: 'Your appearances',
        visitor,
        upcoming: upcoming.map((a) => ({ id: a.id, title: a.title, institutionName: a.institution.name, startsLocal: humanLocal(Date.parse(a.startsAt), a.timeZone), riskLevel: a.riskLevel })),
        debriefs,
      }),
    );
  }
}
