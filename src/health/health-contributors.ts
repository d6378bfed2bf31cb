import { Injectable } from '@nestjs/common';
import { HealthIndicatorFunction } from '@nestjs/terminus';

/** Feature modules register extra health checks here (e.g. the mail transport) without the health module importing them. */
@Injectable()
export class HealthContributors {
  private readonly checks: HealthIndicatorFunction[] = [];
  register(check: HealthIndicatorFunction): void {
    this.checks.push(check);
  }
  all(): HealthIndicatorFunction[] {
    return [...this.checks];
  }
}
