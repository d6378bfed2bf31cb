import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { IntervalTask } from '../common/interval-task';
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
  private readonly dispatch: IntervalTask;
  private readonly schedule: IntervalTask;

  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(mailConfig.KEY) private readonly mail: ConfigType<typeof mailConfig>,
    registry: SchedulerRegistry,
    clock: Clock,
    private readonly dispatcher: NotificationDispatcher,
    scheduler: NotificationScheduler,
  ) {
    this.dispatch = new IntervalTask(
      registry,
      'notifications.dispatch',
      () => dispatcher.dispatchDue(clock.now()),
      (err) => this.logger.error(`Dispatch failed: ${describeError(err)}`),
    );
    this.schedule = new IntervalTask(
      registry,
      'notifications.schedule',
      () => scheduler.runScheduler(clock.now()),
      (err) => this.logger.error(`Scheduler failed: ${describeError(err)}`),
    );
  }

  onApplicationBootstrap(): void {
    if (!this.app.schedulerEnabled) return;
    this.dispatch.start(this.mail.dispatchIntervalMs);
    this.schedule.start(this.mail.schedulerIntervalMs);
    this.logger.log(`Outbox dispatcher every ${this.mail.dispatchIntervalMs} ms, scheduler every ${this.mail.schedulerIntervalMs} ms (${this.dispatcher.instanceId})`);
    this.schedule.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.dispatch.stop(), this.schedule.stop()]);
  }
}
