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
  @ApiOperation({ summary: 'Liveness and dependencies: database reachable, mail transport state' })
  check() {
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database', { timeout: 3000 }), ...this.contributors.all()];
    return this.health.check(checks);
  }
}
