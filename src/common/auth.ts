import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from './enums';

/** What a verified bearer token tells us about the caller. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  officeId: string | null;
  /** Set when the caller used an API token (personal or service) instead of signing in. */
  tokenId?: string;
}

export const ROLES_KEY = 'forewarn:roles';
export const PUBLIC_KEY = 'forewarn:public';

/** Only these roles may call the handler (default: any signed-in user). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No sign-in needed (login, health, signed links, calendar feeds). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The signed-in caller. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});
