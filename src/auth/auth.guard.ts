import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthUser, PUBLIC_KEY, ROLES_KEY } from '../common/auth';
import type { Role } from '../common/enums';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import { ApiTokensService } from '../tokens/api-tokens.service';
import { looksLikeApiToken } from '../tokens/token-format';
import { AuthService } from './auth.service';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); @Roles() narrows it.
 * The bearer is a sign-in token (JWT) or an API token (fwp_/fws_), which must also carry the scope
 * of the route; each API token use is counted with its result once the response is sent.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const header: string | undefined = req.headers?.authorization;
    if (!header || !/^Bearer\s+\S+$/i.test(header)) throw new UnauthenticatedError();
    const bearer = header.replace(/^Bearer\s+/i, '');
    let user: AuthUser;
    if (looksLikeApiToken(bearer)) {
      const route = req.routeOptions?.url ?? req.url.split('?')[0];
      user = await this.apiTokens.authenticate(bearer, req.method, route);
      const reply = ctx.switchToHttp().getResponse<FastifyReply>();
      const tokenId = user.tokenId!;
      reply.raw.once('finish', () => this.apiTokens.recordUse(tokenId, req.method, route, reply.raw.statusCode));
    } else {
      user = await this.auth.verify(bearer);
    }
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')} (you are ${user.role})`);
    }
    return true;
  }
}
