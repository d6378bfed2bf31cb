import { Controller, Get, Ip, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../common/auth';
import { NotFoundError } from '../common/errors';
import { PendingSignIn, SsoService } from '../sso/sso.service';
import { safeNext, seeOther } from './page-reply';
import { PageReply, PageRequest, PageSession } from './page-session';
import { PagesHtmlFilter } from './pages-html.filter';

/** Carries state, nonce and PKCE verifier from the redirect to the callback: signed, HttpOnly, only sent to the callback, minutes long. */
const PENDING_COOKIE = 'fw_sso';
const PENDING_PATH = '/pages/sso';

/**
 * Single sign-on for the pages: /pages/sso sends the browser to the identity provider, which sends
 * it back to /pages/sso/callback; a good answer ends in the same session as the password form,
 * on the page for the role. Refusals are pages with a 4xx status and the reason.
 */
@ApiExcludeController()
@Public()
@UseFilters(PagesHtmlFilter)
@Controller('pages/sso')
export class SsoPagesController {
  constructor(
    private readonly sso: SsoService,
    private readonly session: PageSession,
  ) {}

  @Get()
  async start(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!this.sso.enabled) throw new NotFoundError('Single sign-on', 'configuration');
    const next = safeNext((req.query as Record<string, unknown>)?.next) ?? '';
    const { url, pending } = await this.sso.start(next);
    (reply as PageReply).setCookie(PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), this.cookie(Math.ceil(this.sso.stateTtlMs / 1000)));
    seeOther(reply, url);
  }

  @Get('callback')
  async callback(@Req() req: FastifyRequest, @Ip() ip: string, @Res() reply: FastifyReply): Promise<void> {
    if (!this.sso.enabled) throw new NotFoundError('Single sign-on', 'configuration');
    const pending = this.pending(req as PageRequest, reply as PageReply);
    // used once: gone whatever the outcome
    (reply as PageReply).setCookie(PENDING_COOKIE, '', this.cookie(0));
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const token = await this.sso.finish(query, pending, ip);
    seeOther(reply, this.session.signIn(reply as PageReply, token, pending?.next ?? ''));
  }

  private pending(req: PageRequest, reply: PageReply): PendingSignIn | null {
    const raw = req.cookies?.[PENDING_COOKIE];
    const un = raw ? reply.unsignCookie(raw) : null;
    if (!un?.valid || !un.value) return null;
    try {
      const p = JSON.parse(Buffer.from(un.value, 'base64url').toString('utf8')) as PendingSignIn;
      return typeof p.state === 'string' && typeof p.nonce === 'string' && typeof p.verifier === 'string' && typeof p.expiresAt === 'number' ? { ...p, next: safeNext(p.next) ?? '' } : null;
    } catch {
      return null;
    }
  }

  private cookie(maxAge: number) {
    // Lax: the provider's redirect back is a top-level GET from another site
    return { path: PENDING_PATH, httpOnly: true, sameSite: 'lax', secure: this.session.secure, signed: true, maxAge } as const;
  }
}
