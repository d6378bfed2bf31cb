import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { appConfig, mailConfig } from '../config';
import { WebhookDispatcher } from './webhook-dispatcher.service';

/** Runs the webhook and chat dispatcher on DISPATCH_INTERVAL_MS when the scheduler is enabled; never overlaps itself; shutdown waits for the batch in flight. */
@Injectable()
export class WebhookLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookLoop.name);
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(mailConfig.KEY) private readonly mail: ConfigType<typeof mailConfig>,
    private readonly registry: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.app.schedulerEnabled) return;
    this.registry.addInterval(
      'webhooks.dispatch',
      setInterval(() => this.tick(), this.mail.dispatchIntervalMs),
    );
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.dispatcher
      .dispatchDue(this.clock.now())
      .catch((err) => this.logger.error(`Webhook dispatch failed: ${(err as Error).message}`))
      .finally(() => (this.running = null));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('interval', 'webhooks.dispatch')) this.registry.deleteInterval('webhooks.dispatch');
    await this.running;
  }
}
