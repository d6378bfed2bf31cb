import { Controller, Get, Ip, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service';
import { LoginDto } from '../auth/dto/login.dto';
import { Public } from '../common/auth';
import type { NotificationKind } from '../common/enums';
import { DomainError, ValidationFailedError } from '../common/errors';
import { validateDto } from '../common/validation';
import { DASHBOARD_COOKIE } from './dashboard-session';
import { MUTABLE_KINDS, NOTIFICATION_DEFINITIONS } from '../notifications/notification-definitions';
import { NotificationsService } from '../notifications/notifications.service';
import { SsoService } from '../sso/sso.service';
import { list } from './debrief-form';
import { PageLinkMinter } from './page-link-minter';
import { safeNext, seeOther, sendHtml } from './page-reply';
import { landingFor, PageReply, PageRequest, PageSession, SESSION_COOKIE, Visitor } from './page-session';
import { PageViews } from './page-views';
import { PagesHtmlFilter } from './pages-html.filter';

const str = (o: unknown, k: string): string => {
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' ? v : '';
};

/** Sign-in for everyone (landing on the page that fits the role), sign-out, and email preferences. */
@ApiExcludeController()
@Public()
@UseFilters(PagesHtmlFilter)
@Controller('pages')
export class AccountPagesController {
  constructor(
    private readonly session: PageSession,
    private readonly views: PageViews,
    private readonly auth: AuthService,
    private readonly notifications: NotificationsService,
    private readonly links: PageLinkMinter,
    private readonly sso: SsoService,
  ) {}

  /** Where a signed-in person starts: hr and admins on the dashboard, coordinators on their board, recruiters on their appearances. */
  @Get()
  async landing(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const v = await this.session.signedIn(req as PageRequest, reply as PageReply);
    seeOther(reply, landingFor(v.user.role));
  }

  @Get('login')
  loginForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const next = safeNext(str(req.query, 'next')) ?? '';
    sendHtml(
      reply,
      this.views.render('login', {
        title: 'Sign in',
        visitor: null,
        next,
        email: '',
        error: null,
        ssoUrl: this.ssoUrl(next),
        reason: next ? 'Sign in with your Forewarn email and password to open the page.' : null,
      }),
    );
  }

  @Post('login')
  // throttled by AuthService.login itself: per address and per account, in the database (every sign-in form, every instance)
  async login(@Req() req: FastifyRequest, @Ip() ip: string, @Res() reply: FastifyReply): Promise<void> {
    const email = str(req.body, 'email');
    const next = safeNext(str(req.body, 'next')) ?? '';
    const again = (status: number, error: string) =>
      sendHtml(reply, this.views.render('login', { title: 'Sign in', visitor: null, next, email, error, ssoUrl: this.ssoUrl(next), reason: null }), status);
    try {
      const dto = validateDto(LoginDto, { email: str(req.body, 'email'), password: str(req.body, 'password') });
      const token = await this.auth.login(dto, ip);
      seeOther(reply, this.session.signIn(reply as PageReply, token, next));
    } catch (e) {
      if (e instanceof ValidationFailedError) return again(400, 'Enter your email address and password.');
      if (e instanceof DomainError && (e.status === 401 || e.status === 429)) return again(e.status, e.message);
      throw e;
    }
  }

  @Post('logout')
  async logout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.session.checkCsrf(req as PageRequest, reply as PageReply);
    // end the session on the server too (every instance refuses its token from now on), not only the cookie
    const jwt = (req as PageRequest).cookies?.[SESSION_COOKIE];
    if (jwt) await this.auth.logout(jwt).catch(() => undefined);
    this.session.endSession(reply as PageReply);
    (reply as PageReply).setCookie(DASHBOARD_COOKIE, '', { path: '/dashboard', httpOnly: true, sameSite: 'strict', maxAge: 0, secure: this.session.secure });
    seeOther(reply, '/pages/login');
  }

  @Get('preferences')
  async preferences(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const visitor = await this.session.visitor(req as PageRequest, reply as PageReply, 'preferences');
    const saved = str(req.query, 'done') === 'saved';
    sendHtml(reply, await this.preferencesPage(visitor, saved ? 'Preferences saved.' : null));
  }

  @Post('preferences')
  async savePreferences(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const visitor = await this.session.visitor(req as PageRequest, reply as PageReply, 'preferences');
    const wanted = list((req.body as Record<string, unknown> | undefined)?.kinds);
    const unknown = wanted.filter((k) => !MUTABLE_KINDS.includes(k as NotificationKind));
    if (unknown.length) {
      return sendHtml(reply, await this.preferencesPage(visitor, null, `Not a kind of email you can choose: ${unknown.join(', ')}`), 400);
    }
    await this.notifications.setPreferences(
      visitor.user.id,
      MUTABLE_KINDS.filter((k) => !wanted.includes(k)),
    );
    seeOther(reply, this.links.back(visitor, 'preferences', undefined, 'saved'));
  }

  /** The single sign-on link of the sign-in page (coming back to `next`), or null when it is off. */
  private ssoUrl(next: string): string | null {
    return this.sso.enabled ? `/pages/sso${next ? `?next=${encodeURIComponent(next)}` : ''}` : null;
  }

  private async preferencesPage(visitor: Visitor, flash: string | null, error: string | null = null): Promise<string> {
    const prefs = await this.notifications.preferences(visitor.user.id);
    const optional = prefs.kinds.filter((k) => k.canSwitchOff);
    const alerts = Object.values(NOTIFICATION_DEFINITIONS)
      .filter((d) => d.riskAlert)
      .map((d) => ({ kind: d.kind, label: d.label }));
    return this.views.render('preferences', { title: 'Email preferences', visitor, optional, alerts, flash, error });
  }
}
