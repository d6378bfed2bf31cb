import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import Tokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service';
import type { TokenView } from '../auth/dto/login.dto';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import { appConfig } from '../config';
import { DASHBOARD_COOKIE, DASHBOARD_ROLES } from './dashboard-session';
import { PageName, verifyPageLink } from '../notifications/page-links';
import { LinkSigner } from '../notifications/signed-link';
import { User } from '../users/user.entity';
import { DatabaseService } from '../database/database.service';

/** The pages' sign-in cookie (a JWT from AuthService) and the CSRF secret cookie. */
export const SESSION_COOKIE = 'fw_session';
export const CSRF_COOKIE = 'fw_csrf';

/** Who is looking at a page, and how they proved it. */
export interface Visitor {
  user: AuthUser;
  displayName: string;
  /** 'link': the signed link from their mail (forms carry it back); 'session': signed in (forms carry a CSRF token). */
  via: 'link' | 'session';
  /** The link token (via link) — hidden field of every form on the page. */
  token: string | null;
  /** The CSRF token (via session) — hidden field of every form on the page. */
  csrf: string | null;
}

/** A request as the pages read it (@fastify/cookie's cookies, the parsed form). */
export type PageRequest = FastifyRequest & { cookies: Record<string, string | undefined>; body?: unknown; query: unknown };
/** A reply that can set and unsign cookies (@fastify/cookie). */
export type PageReply = FastifyReply & {
  setCookie(name: string, value: string, opts: Record<string, unknown>): FastifyReply;
  unsignCookie(value: string): { valid: boolean; value: string | null };
};

const field = (o: unknown, k: string): string | undefined => {
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * Resolves the visitor of a page. A signed link grants its one page to its one person without a
 * password; without one, the sign-in cookie is used, and then every POST must carry the CSRF token
 * (signed double submit: a random secret in an HttpOnly, signed cookie, and a token derived from it
 * and the user id in the form, checked with @fastify/csrf).
 */
@Injectable()
export class PageSession {
  private readonly tokens = new Tokens({ userInfo: true });

  constructor(
    private readonly auth: AuthService,
    private readonly links: LinkSigner,
    private readonly clock: Clock,
    private readonly db: DatabaseService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  get secure(): boolean {
    return this.app.publicUrl.startsWith('https://');
  }

  async visitor(req: PageRequest, reply: PageReply, page: PageName, appearanceId?: string): Promise<Visitor> {
    const post = req.method === 'POST';
    const token = (post ? field(req.body, 'token') : undefined) ?? field(req.query, 'token');
    if (token) {
      const userId = verifyPageLink(this.links, token, this.clock.now(), page, appearanceId);
      const u = await this.db.read((m) => m.getRepository(User).findOne({ where: { id: userId }, select: { id: true, email: true, role: true, officeId: true, active: true, displayName: true } }));
      if (!u || !u.active) throw new UnauthenticatedError('This link belongs to an account that is no longer active; ask an admin', 'ACCOUNT_DISABLED');
      return { user: { id: u.id, email: u.email, role: u.role, officeId: u.officeId }, displayName: u.displayName, via: 'link', token, csrf: null };
    }
    const jwt = req.cookies?.[SESSION_COOKIE];
    if (!jwt) throw new UnauthenticatedError('Sign in to see this page', 'PAGE_SIGN_IN');
    const user = await this.auth.verify(jwt);
    const secret = this.csrfSecret(req, reply, !post);
    if (post && (!secret || !this.tokens.verify(secret, field(req.body, '_csrf') ?? '', user.id))) {
      throw new ForbiddenError('This form expired or did not come from Forewarn; reload the page and send it again', 'CSRF_REFUSED');
    }
    const u = await this.db.read((m) => m.getRepository(User).findOne({ where: { id: user.id }, select: { id: true, displayName: true } }));
    return { user, displayName: u?.displayName ?? user.email, via: 'session', token: null, csrf: this.tokens.create(secret as string, user.id) };
  }

  /** The signed-in user for pages that only a session opens (board, my appearances), or 401. */
  async signedIn(req: PageRequest, reply: PageReply): Promise<Visitor> {
    const jwt = req.cookies?.[SESSION_COOKIE];
    if (!jwt) throw new UnauthenticatedError('Sign in to see this page', 'PAGE_SIGN_IN');
    const user = await this.auth.verify(jwt);
    const secret = this.csrfSecret(req, reply, true) as string;
    const u = await this.db.read((m) => m.getRepository(User).findOne({ where: { id: user.id }, select: { id: true, displayName: true } }));
    return { user, displayName: u?.displayName ?? user.email, via: 'session', token: null, csrf: this.tokens.create(secret, user.id) };
  }

  /** Checks the CSRF token of a session-authenticated POST that has no page of its own (sign out). */
  async checkCsrf(req: PageRequest, reply: PageReply): Promise<AuthUser | null> {
    const jwt = req.cookies?.[SESSION_COOKIE];
    if (!jwt) return null;
    const user = await this.auth.verify(jwt).catch(() => null);
    const secret = this.csrfSecret(req, reply, false);
    if (!user || !secret || !this.tokens.verify(secret, field(req.body, '_csrf') ?? '', user.id)) {
      throw new ForbiddenError('This form expired or did not come from Forewarn; reload the page and send it again', 'CSRF_REFUSED');
    }
    return user;
  }

  /** Sets the session and a fresh CSRF secret. */
  startSession(reply: PageReply, jwt: string, maxAgeSeconds: number): void {
    const base = { path: '/', httpOnly: true, sameSite: 'lax', secure: this.secure } as const;
    reply.setCookie(SESSION_COOKIE, jwt, { ...base, path: '/pages', maxAge: maxAgeSeconds });
    reply.setCookie(CSRF_COOKIE, this.tokens.secretSync(), { ...base, path: '/pages', maxAge: maxAgeSeconds, signed: true });
  }

  /**
   * After a sign-in (password or single sign-on): the pages' session, and the dashboard's cookie for
   * the roles that have one. Returns where to go: `next` when the role may open it, else the role's landing page.
   */
  signIn(reply: PageReply, token: TokenView, next: string): string {
    this.startSession(reply, token.accessToken, token.expiresIn);
    const dashboard = DASHBOARD_ROLES.includes(token.user.role);
    if (dashboard) {
      reply.setCookie(DASHBOARD_COOKIE, token.accessToken, { path: '/dashboard', httpOnly: true, sameSite: 'strict', maxAge: token.expiresIn, secure: this.secure });
    }
    return next && (!next.startsWith('/dashboard') || dashboard) ? next : landingFor(token.user.role);
  }

  endSession(reply: PageReply): void {
    const base = { path: '/pages', httpOnly: true, sameSite: 'lax', secure: this.secure, maxAge: 0 } as const;
    reply.setCookie(SESSION_COOKIE, '', base);
    reply.setCookie(CSRF_COOKIE, '', base);
  }

  private csrfSecret(req: PageRequest, reply: PageReply, mayCreate: boolean): string | null {
    const raw = req.cookies?.[CSRF_COOKIE];
    const un = raw ? reply.unsignCookie(raw) : null;
    if (un?.valid && un.value) return un.value;
    if (!mayCreate) return null;
    const secret = this.tokens.secretSync();
    reply.setCookie(CSRF_COOKIE, secret, { path: '/pages', httpOnly: true, sameSite: 'lax', secure: this.secure, signed: true });
    return secret;
  }
}

/** Where a signed-in person starts: hr and admins on the dashboard, coordinators on their board, recruiters on their appearances. */
export function landingFor(role: string): string {
  if (role === 'hr' || role === 'admin') return '/dashboard';
  return role === 'coordinator' ? '/pages/board' : '/pages/me';
}
