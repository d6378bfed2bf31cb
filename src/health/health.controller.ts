import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/auth';
import { HealthContributors } from './health-contributors';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly contributors: HealthContributors,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and dependencies: database reachable, mail transport state; status "degraded" (200) when mail is dead' })
  async check() {
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database', { timeout: 3000 }), ...this.contributors.all()];
    const result = await this.health.check(checks);
    // Up, but something needs a person (e.g. dead mail): "degraded", still 200 so nothing restarts it.
    const degraded = Object.values(result.details ?? {}).some((d) => (d as { degraded?: boolean }).degraded === true);
    return degraded ? { ...result, status: 'degraded' } : result;
  }
}
