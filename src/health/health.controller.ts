import { Controller, Get, Headers, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthView } from './health.view';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { AuthService } from '../auth/auth.service';
import { Public } from '../common/auth';
import { HealthContributors } from './health-contributors';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly contributors: HealthContributors,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'Liveness: { status } for anyone (503 when down; "degraded", still 200, when something needs a person: dead mail, dead webhook or chat deliveries); with an admin bearer token also each dependency — database, mail transport and outbox, webhook and chat outbox',
  })
  @ApiOkResponse({ type: HealthView, description: 'Up ("ok" or "degraded")' })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'Down' })
  async check(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult | { status: string }> {
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database', { timeout: 3000 }), ...this.contributors.all()];
    let result: HealthCheckResult;
    try {
      result = await this.health.check(checks);
      // Up, but something needs a person (e.g. dead mail): "degraded", still 200 so nothing restarts it.
      const degraded = Object.values(result.details ?? {}).some((d) => (d as { degraded?: boolean }).degraded === true);
      if (degraded) result = { ...result, status: 'degraded' as HealthCheckResult['status'] };
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      result = e.getResponse() as HealthCheckResult;
      void reply.status(503);
    }
    return (await this.isAdmin(authorization)) ? result : { status: result.status };
  }

  /** Details are for admins; a missing or bad token just gets the public part. */
  private async isAdmin(authorization: string | undefined): Promise<boolean> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return false;
    try {
      return (await this.auth.verify(token)).role === 'admin';
    } catch {
      return false;
    }
  }
}
