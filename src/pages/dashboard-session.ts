import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import Tokens from '@fastify/csrf';
import type { AuthUser } from '../common/auth';
import type { Role } from '../common/enums';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import { AuthService } from '../auth/auth.service';

/** The dashboard's session cookie: a JWT from AuthService, HttpOnly, SameSite=Strict, scoped to /dashboard. */
export const DASHBOARD_COOKIE = 'fw_dashboard';
/** The dashboard's CSRF secret: random, HttpOnly, signed by @fastify/cookie, scoped to /dashboard like the session. */
export const DASHBOARD_CSRF_COOKIE = 'fw_dashboard_csrf';
export const DASHBOARD_ROLES: readonly Role[] = ['hr', 'coordinator', 'admin'];

/** The session token from a request's cookies (parsed by @fastify/cookie), or null. */
export function sessionToken(req: { cookies?: Record<string, string | undefined> }): string | null {
  return req.cookies?.[DASHBOARD_COOKIE] || null;
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${DASHBOARD_COOKIE}=${encodeURIComponent(token)}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedCookie(secure: boolean): string {
  return `${DASHBOARD_COOKIE}=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/**
 * Browsers cannot send a bearer header when they navigate, so the dashboard routes are @Public()
 * for the global guard and this guard checks the cookie instead, with the same AuthService.verify
 * (disabled users and revoked tokens stop working at once). Recruiters get 403.
 */
@Injectable()
export class DashboardSessionGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<{ cookies?: Record<string, string | undefined>; user?: AuthUser }>();
    const token = sessionToken(req);
    if (!token) throw new UnauthenticatedError('Sign in to see the dashboard', 'DASHBOARD_SIGN_IN');
    const user = await this.auth.verify(token);
    if (!DASHBOARD_ROLES.includes(user.role)) {
      throw new ForbiddenError(`The dashboard is for hr, coordinators and admins (you are ${user.role})`);
    }
    req.user = user;
    return true;
  }
}

/** What the dashboard's CSRF check reads and writes: the cookies and form of the request, @fastify/cookie on the reply. */
export interface CsrfRequest {
  cookies?: Record<string, string | undefined>;
  body?: unknown;
}
export interface CsrfReply {
  setCookie(name: string, value: string, opts: Record<string, unknown>): unknown;
  unsignCookie(value: string): { valid: boolean; value: string | null };
}

/**
 * CSRF protection of the dashboard's cookie-authenticated form (sign out), the same signed double
 * submit as the pages (PageSession): a random secret in a signed, HttpOnly cookie scoped to
 * /dashboard, and in the form a token made from it and the user id (@fastify/csrf). A page that
 * shows the form gives the browser a secret when it has none (a session begun on /pages/login).
 */
@Injectable()
export class DashboardCsrf {
  private readonly tokens = new Tokens({ userInfo: true });

  /** The form's token for this user; sets the secret cookie first when the browser has none. */
  token(req: CsrfRequest, reply: CsrfReply, userId: string, secure: boolean): string {
    let secret = this.secret(req, reply);
    if (!secret) {
      secret = this.tokens.secretSync();
      reply.setCookie(DASHBOARD_CSRF_COOKIE, secret, { path: '/dashboard', httpOnly: true, sameSite: 'strict', secure, signed: true });
    }
    return this.tokens.create(secret, userId);
  }

  /** Refuses (403 CSRF_REFUSED) a POST whose `_csrf` field was not made for this browser's secret and this user. */
  check(req: CsrfRequest, reply: CsrfReply, userId: string): void {
    const secret = this.secret(req, reply);
    const b = req.body;
    const sent = b && typeof b === 'object' ? (b as Record<string, unknown>)._csrf : undefined;
    if (!secret || typeof sent !== 'string' || !this.tokens.verify(secret, sent, userId)) {
      throw new ForbiddenError('This form expired or did not come from Forewarn; reload the page and send it again', 'CSRF_REFUSED');
    }
  }

  clear(reply: CsrfReply, secure: boolean): void {
    reply.setCookie(DASHBOARD_CSRF_COOKIE, '', { path: '/dashboard', httpOnly: true, sameSite: 'strict', secure, maxAge: 0 });
  }

  private secret(req: CsrfRequest, reply: CsrfReply): string | null {
    const raw = req.cookies?.[DASHBOARD_CSRF_COOKIE];
    const un = raw ? reply.unsignCookie(raw) : null;
    return un?.valid && un.value ? un.value : null;
  }
}
