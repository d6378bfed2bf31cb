import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { appConfig, mailConfig } from '../config';
import { describeError } from './mailer.service';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { NotificationScheduler } from './notification-scheduler.service';

/**
 * Runs the scheduler and the dispatcher on intervals (registered with @nestjs/schedule's registry)
 * when the app's scheduler is enabled. Each loop never overlaps itself; shutdown waits for the
 * batch in flight. Tests leave this off and call runScheduler(T) / dispatchDue(T) directly.
 */
@Injectable()
export class NotificationLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationLoop.name);
  private running: Promise<unknown> | null = null;
  private scheduling: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(mailConfig.KEY) private readonly mail: ConfigType<typeof mailConfig>,
    private readonly registry: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly dispatcher: NotificationDispatcher,
    private readonly scheduler: NotificationScheduler,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.app.schedulerEnabled) return;
    this.registry.addInterval(
      'notifications.dispatch',
      setInterval(() => this.dispatchTick(), this.mail.dispatchIntervalMs),
    );
    this.registry.addInterval(
      'notifications.schedule',
      setInterval(() => this.scheduleTick(), this.mail.schedulerIntervalMs),
    );
    this.logger.log(`Outbox dispatcher every ${this.mail.dispatchIntervalMs} ms, scheduler every ${this.mail.schedulerIntervalMs} ms (${this.dispatcher.instanceId})`);
    this.scheduleTick();
  }

  private dispatchTick(): void {
    if (this.running || this.stopped) return;
    this.running = this.dispatcher
      .dispatchDue(this.clock.now())
      .catch((err) => this.logger.error(`Dispatch failed: ${describeError(err)}`))
      .finally(() => (this.running = null));
  }

  private scheduleTick(): void {
    if (this.scheduling || this.stopped) return;
    this.scheduling = this.scheduler
      .runScheduler(this.clock.now())
      .catch((err) => this.logger.error(`Scheduler failed: ${describeError(err)}`))
      .finally(() => (this.scheduling = null));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const name of ['notifications.dispatch', 'notifications.schedule']) {
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    }
    await Promise.all([this.running, this.scheduling]);
  }
}
