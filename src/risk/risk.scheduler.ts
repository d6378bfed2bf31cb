import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Cron, Interval } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { appConfig } from '../config/app.config';
import { riskConfig } from '../config/risk.config';
import { RiskService } from './risk.service';

/**
 * Thin scheduler: once an hour it decides whether the daily full refresh is due (and not already run
 * this hour), and runs it; every few seconds it renews the stalest state's stored organisation-wide
 * totals (risk_state_totals) and re-assesses any state still waiting after its wave moved
 * (risk_pending_states: normally drained right after the write that moved it; left by a crash or a
 * failure).
 */
@Injectable()
export class RiskScheduler {
  private readonly logger = new Logger(RiskScheduler.name);

  constructor(
    private readonly risk: RiskService,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(riskConfig.KEY) private readonly config: ConfigType<typeof riskConfig>,
  ) {}

  @Cron('0 0 * * * *', { name: 'risk-daily-refresh', timeZone: 'UTC' })
  async hourly(): Promise<void> {
    if (!this.app.schedulerEnabled) return;
    const now = this.clock.now();
    if (this.clock.nowDate().getUTCHours() !== this.config.refreshHourUtc) return;
    try {
      // Several instances: the refresh takes an advisory lock (PostgreSQL), and one that starts
      // after another instance already finished this hour's run finds its snapshots and stops.
      await this.risk.refreshAll('daily_refresh', { unlessRanSince: now - (now % 3_600_000) });
    } catch (e) {
      this.logger.error(`daily risk refresh failed: ${(e as Error).message}`, (e as Error).stack);
    }
  }

  /** One state per tick: 50 states in ~4 minutes, well inside the 10-minute cache time. */
  @Interval('risk-org-cache-renewal', 5_000)
  async renewOrganisationCache(): Promise<void> {
    await this.tick("renewing a state's stored risk totals", () => this.risk.renewStaleState());
  }

  @Interval('risk-pending-states', 5_000)
  async drainPendingStates(): Promise<void> {
    await this.tick('re-assessing the states whose wave moved', () => this.risk.drainPendingStates());
  }

  /** A short background job: skipped without the scheduler; a failure is logged and the next tick tries again. */
  private async tick(what: string, job: () => Promise<unknown>): Promise<void> {
    if (!this.app.schedulerEnabled) return;
    try {
      await job();
    } catch (e) {
      this.logger.warn(`${what} failed (retried next tick): ${(e as Error).message}`);
    }
  }
}
