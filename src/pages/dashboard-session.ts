import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth';
import type { Role } from '../common/enums';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import { AuthService } from '../auth/auth.service';

/** The dashboard's session cookie: a JWT from AuthService, HttpOnly, SameSite=Strict, scoped to /dashboard. */
export const DASHBOARD_COOKIE = 'fw_dashboard';
export const DASHBOARD_ROLES: readonly Role[] = ['hr', 'coordinator', 'admin'];

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
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
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const token = readCookie(req.headers.cookie, DASHBOARD_COOKIE);
    if (!token) throw new UnauthenticatedError('Sign in to see the dashboard', 'DASHBOARD_SIGN_IN');
    const user = await this.auth.verify(token);
    if (!DASHBOARD_ROLES.includes(user.role)) {
      throw new ForbiddenError(`The dashboard is for hr, coordinators and admins (you are ${user.role})`);
    }
    req.user = user;
    return true;
  }
}
