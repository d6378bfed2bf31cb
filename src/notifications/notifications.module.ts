import { Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthContributors } from '../health/health-contributors';
import { MailDataLoader } from './mail-data.loader';
import { Mailer } from './mailer.service';
import { NotificationComposer } from './notification-composer';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { NotificationEventsListener } from './notification-events.listener';
import { NotificationLoop } from './notification-loop';
import { NotificationScheduler } from './notification-scheduler.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { OutboxWriter } from './outbox-writer';
import { LinkSigner } from './signed-link';

/**
 * Alerts by email through an outbox: domain events write rows in the emitting transaction, the
 * scheduler enqueues what time makes due, the dispatcher claims, renders, sends and records.
 */
@Module({
  controllers: [NotificationsController],
  providers: [
    LinkSigner,
    OutboxWriter,
    NotificationEventsListener,
    MailDataLoader,
    NotificationComposer,
    Mailer,
    NotificationDispatcher,
    NotificationScheduler,
    NotificationLoop,
    NotificationsService,
  ],
  exports: [NotificationDispatcher, NotificationScheduler, OutboxWriter, Mailer],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly health: HealthContributors,
    private readonly mailer: Mailer,
    private readonly db: DataSource,
  ) {}

  /**
   * GET /health shows the mail transport. A failing relay is reported (state "failing", last error,
   * how much mail waits) but stays "up": mail is queued safely and the API keeps working, so an
   * orchestrator must not restart the service for it.
   */
  onModuleInit(): void {
    this.health.register(async () => {
      const rows: { status: string; n: string | number }[] = await this.db.query(
        `SELECT status, COUNT(*) AS n FROM notifications WHERE status IN ('pending', 'sending', 'retrying', 'dead') GROUP BY status`,
      );
      const outbox = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
      return { mail: { status: 'up' as const, ...this.mailer.state(), outbox } };
    });
  }
}
