import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { IntervalTask } from '../common/interval-task';
import { appConfig, mailConfig } from '../config';
import { WebhookDispatcher } from './webhook-dispatcher.service';

/** Runs the webhook and chat dispatcher on DISPATCH_INTERVAL_MS when the scheduler is enabled; never overlaps itself; shutdown waits for the batch in flight. */
@Injectable()
export class WebhookLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookLoop.name);
  private readonly dispatch: IntervalTask;

  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(mailConfig.KEY) private readonly mail: ConfigType<typeof mailConfig>,
    registry: SchedulerRegistry,
    clock: Clock,
    dispatcher: WebhookDispatcher,
  ) {
    this.dispatch = new IntervalTask(
      registry,
      'webhooks.dispatch',
      () => dispatcher.dispatchDue(clock.now()),
      (err) => this.logger.error(`Webhook dispatch failed: ${(err as Error).message}`),
    );
  }

  onApplicationBootstrap(): void {
    if (this.app.schedulerEnabled) this.dispatch.start(this.mail.dispatchIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatch.stop();
  }
}
