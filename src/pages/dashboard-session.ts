import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth';
import type { Role } from '../common/enums';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import { AuthService } from '../auth/auth.service';

/** The dashboard's session cookie: a JWT from AuthService, HttpOnly, SameSite=Strict, scoped to /dashboard. */
export const DASHBOARD_COOKIE = 'fw_dashboard';
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
