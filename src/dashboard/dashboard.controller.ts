import { Body, Controller, Get, HttpCode, Inject, Ip, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service';
import { LoginDto } from '../auth/dto/login.dto';
import { AuthUser, CurrentUser, Public } from '../common/auth';
import { DomainError, ValidationFailedError } from '../common/errors';
import { IdPipe, validateDto } from '../common/validation';
import { appConfig } from '../config';
import { OutcomesSummaryQuery } from '../reports/dto/report-query.dto';
import { sendCsv } from '../reports/reports.controller';
import { REPORT_NAMES, ReportName, ReportsService } from '../reports/reports.service';
import { DashboardHtmlFilter } from './dashboard-html.filter';
import { clearedCookie, CsrfReply, CsrfRequest, DashboardCsrf, DashboardSessionGuard, DASHBOARD_ROLES, sessionCookie, sessionToken } from '../pages/dashboard-session';
import { DashboardService } from './dashboard.service';
import { InstitutionDrillDown } from './institution-drill-down';
import { DashboardViews } from './dashboard-views';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function html(reply: FastifyReply, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin');
}

/**
 * The read-only HR dashboard: server-rendered HTML + SVG for hr, coordinators and admins. Signed in
 * with a cookie (browsers cannot send bearer headers when navigating); CSV downloads accept it too.
 */
@ApiExcludeController()
@Public()
@UseFilters(DashboardHtmlFilter)
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly drillDown: InstitutionDrillDown,
    private readonly reports: ReportsService,
    private readonly auth: AuthService,
    private readonly views: DashboardViews,
    private readonly csrf: DashboardCsrf,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  /** The sign-in form (views/login.hbs), with the address as typed and the reason it was refused. */
  private loginPage(opts: { error?: string; email?: string } = {}): string {
    return this.views.render('login', { title: 'Sign in — Forewarn dashboard', error: opts.error ?? null, email: opts.email ?? '' });
  }

  private get secure(): boolean {
    return this.app.publicUrl.startsWith('https://');
  }

  @Get('login')
  loginForm(@Res() reply: FastifyReply): void {
    void html(reply).send(this.loginPage());
  }

  @Post('login')
  @HttpCode(303)
  async login(@Body() body: Record<string, unknown>, @Ip() ip: string, @Res() reply: FastifyReply): Promise<void> {
    const email = typeof body?.email === 'string' ? body.email : '';
    try {
      const dto = validateDto(LoginDto, { email: body?.email, password: body?.password });
      const token = await this.auth.login(dto, ip);
      if (!DASHBOARD_ROLES.includes(token.user.role)) {
        void html(reply, 403).send(this.loginPage({ email, error: `The dashboard is for hr, coordinators and admins (you are ${token.user.role}).` }));
        return;
      }
      void reply
        .status(303)
        .header('Set-Cookie', sessionCookie(token.accessToken, token.expiresIn, this.secure))
        .header('Location', '/dashboard')
        .send();
    } catch (e) {
      if (e instanceof ValidationFailedError) return void html(reply, 400).send(this.loginPage({ email, error: 'Enter your email address and password.' }));
      if (e instanceof DomainError && (e.status === 401 || e.status === 429)) return void html(reply, e.status).send(this.loginPage({ email, error: e.message }));
      throw e;
    }
  }

  /**
   * Sign out: a live session's form must carry its CSRF token (403 otherwise, the session goes on);
   * without a live session there is nothing to end and the cookies are just cleared.
   */
  @Post('logout')
  async logout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = sessionToken(req as FastifyRequest & CsrfRequest);
    const user = token ? await this.auth.verify(token).catch(() => null) : null;
    if (token && user) {
      this.csrf.check(req as FastifyRequest & CsrfRequest, reply as FastifyReply & CsrfReply, user.id);
      await this.auth.logout(token);
    }
    this.csrf.clear(reply as FastifyReply & CsrfReply, this.secure);
    void reply.status(303).header('Set-Cookie', clearedCookie(this.secure)).header('Location', '/dashboard/login').send();
  }

  @Get()
  @UseGuards(DashboardSessionGuard)
  async show(@Query() raw: Record<string, unknown>, @CurrentUser() user: AuthUser, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const csrf = this.csrf.token(req as FastifyRequest & CsrfRequest, reply as FastifyReply & CsrfReply, user.id, this.secure);
    const { status, html: body } = await this.dashboard.page(raw, user, csrf);
    void html(reply, status).send(body);
  }

  @Get('institutions/:id')
  @UseGuards(DashboardSessionGuard)
  async institution(@Param('id', new IdPipe()) id: string, @CurrentUser() user: AuthUser, @Res() reply: FastifyReply): Promise<void> {
    void html(reply).send(await this.drillDown.render(id, user));
  }

  @Get('csv/:report')
  @UseGuards(DashboardSessionGuard)
  async csv(@Param('report') name: string, @Query() q: OutcomesSummaryQuery, @CurrentUser() user: AuthUser, @Res() reply: FastifyReply): Promise<void> {
    if (!(REPORT_NAMES as readonly string[]).includes(name)) {
      throw new ValidationFailedError(`Unknown report "${name}"`, { report: `one of: ${REPORT_NAMES.join(', ')}` });
    }
    const report = await this.reports.run(name as ReportName, q, user);
    void reply.send(sendCsv(reply, report, q.part));
  }
}
