import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthUser, PUBLIC_KEY, ROLES_KEY } from '../common/auth';
import type { Role } from '../common/enums';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import { AuthService } from './auth.service';

/** Global guard: every route needs a valid bearer token unless marked @Public(); @Roles() narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers?.authorization;
    if (!header || !/^Bearer\s+\S+$/i.test(header)) throw new UnauthenticatedError();
    const user: AuthUser = await this.auth.verify(header.replace(/^Bearer\s+/i, ''));
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')} (you are ${user.role})`);
    }
    return true;
  }
}
