import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors';
import { pathWithoutToken, safeNext, seeOther, sendHtml } from './page-reply';
import { PageViews } from './page-views';

const LINK_HEADINGS: Record<string, string> = { LINK_EXPIRED: 'This link has expired', BAD_LINK: 'This link cannot be used' };

/**
 * Errors on pages are pages, never JSON: no sign-in → the sign-in form, which comes back here; a
 * bad or expired link → a page that says so with a way to sign in; anything else → the reason
 * (500s without internals, logged with the stack).
 */
@Catch()
export class PagesHtmlFilter implements ExceptionFilter {
  private readonly logger = new Logger(PagesHtmlFilter.name);

  constructor(private readonly views: PageViews) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const back = safeNext(pathWithoutToken(req.url)) ?? '/pages';
    const signInUrl = `/pages/login?next=${encodeURIComponent(back)}`;
    let status = 500;
    let heading = 'Something went wrong';
    let message = 'The page could not be shown; try again, or ask an admin to check the log.';
    if (exception instanceof DomainError) {
      if (exception.status === 401 && exception.code === 'PAGE_SIGN_IN') return seeOther(reply, signInUrl);
      // the stable code for programs (the JSON API's `code`), beside the page for people
      void reply.header('X-Error-Code', exception.code);
      status = exception.status;
      heading = LINK_HEADINGS[exception.code] ?? (status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : status === 401 ? 'Sign in again' : 'That did not work');
      const reasons = exception.fields && !LINK_HEADINGS[exception.code] ? Object.values(exception.fields).join('; ') : '';
      message =
        exception.code === 'LINK_EXPIRED'
          ? 'Links in Forewarn mail stop working after a while. Sign in with your password to open the page.'
          : reasons
            ? `${exception.message}: ${reasons}`
            : exception.message;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      heading = status === 429 ? 'Too many attempts' : 'That did not work';
      message = status === 429 ? 'Too many sign-in attempts; wait a minute and try again.' : exception.message;
    } else {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    sendHtml(reply, this.views.render('problem', { title: heading, visitor: null, heading, message, signInUrl: status === 500 ? null : signInUrl }), status);
  }
}
