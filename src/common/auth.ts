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

/**
 * Who may do what with incidents: admin, coordinator, recruiter and hr may read (every list,
 * record and export read is written to the audit log with the filter, visible to admin at
 * GET /audit?entityType=incident&action=read); admin, coordinator and recruiter may record and
 * correct; admin and coordinator record verification and disputes; hr never writes.
 */
export const INCIDENT_READERS = ['admin', 'coordinator', 'recruiter', 'hr'] as const;
export const INCIDENT_WRITERS = ['admin', 'coordinator', 'recruiter'] as const;
export const INCIDENT_VERIFIERS = ['admin', 'coordinator'] as const;
