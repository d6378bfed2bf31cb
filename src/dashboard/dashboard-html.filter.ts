import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors';
import { clearedCookie } from '../pages/dashboard-session';
import { DashboardViews } from './dashboard-views';

/**
 * Errors on dashboard pages are pages, not JSON: no session → back to the sign-in form;
 * 403 → a page saying so; anything else → a page with the reason (500s without internals).
 */
@Catch()
export class DashboardHtmlFilter implements ExceptionFilter {
  private readonly logger = new Logger(DashboardHtmlFilter.name);

  constructor(private readonly views: DashboardViews) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let status = 500;
    let message = 'The dashboard could not be shown; try again, or ask an admin to check the log.';
    let code: string | null = null;
    if (exception instanceof DomainError) {
      status = exception.status;
      code = exception.code;
      message = exception.fields
        ? `${exception.message}: ${Object.entries(exception.fields)
            .map(([k, v]) => `${k} ${v}`)
            .join('; ')}`
        : exception.message;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      message = status === 429 ? 'Too many sign-in attempts; wait a minute and try again.' : exception.message;
    } else {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    if (status === 401) {
      void reply.status(303).header('Location', '/dashboard/login').header('Set-Cookie', clearedCookie(false)).send();
      return;
    }
    void reply
      .status(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(
        this.views.render('error', {
          title: `${status} — Forewarn dashboard`,
          heading: code === 'CSRF_REFUSED' ? 'This form expired' : status === 403 ? 'Not for your role' : 'Something went wrong',
          message,
        }),
      );
  }
}
