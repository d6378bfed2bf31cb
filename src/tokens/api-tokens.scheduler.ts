import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Cron } from '@nestjs/schedule';
import { appConfig } from '../config/app.config';
import { ApiTokensService } from './api-tokens.service';

/** Thin scheduler: once an hour, forget the counts of token uses past their keeping time. */
@Injectable()
export class ApiTokensScheduler {
  private readonly logger = new Logger(ApiTokensScheduler.name);

  constructor(
    private readonly tokens: ApiTokensService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  @Cron('0 20 * * * *', { name: 'api-token-uses-prune' })
  async hourly(): Promise<void> {
    if (!this.app.schedulerEnabled) return;
    try {
      const gone = await this.tokens.pruneUses();
      if (gone) this.logger.log(`Forgot ${gone} old counts of API token uses`);
    } catch (e) {
      this.logger.warn(`pruning API token uses failed (retried next hour): ${(e as Error).message}`);
    }
  }
}
