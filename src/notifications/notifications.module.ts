import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { HealthContributors } from '../health/health-contributors';
import { UsersModule } from '../users/users.module';
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
import { TypeOrmModule } from '@nestjs/typeorm';
import { Notification } from './notification.entity';
import { byStatus, outboxCounts } from './outbox-claims';

/**
 * Alerts by email through an outbox: domain events write rows in the emitting transaction, the
 * scheduler enqueues what time makes due, the dispatcher claims, renders, sends and records.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Notification]), UsersModule],
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
  exports: [NotificationDispatcher, NotificationScheduler, OutboxWriter, Mailer, NotificationsService, LinkSigner],
})
export class NotificationsModule implements OnModuleInit {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly health: HealthContributors,
    private readonly mailer: Mailer,
    private readonly db: DatabaseService,
  ) {}

  /**
   * GET /health (public) shows the mail transport. A failing relay is reported (state "failing", how
   * long, how much mail waits) but stays "up": mail is queued safely and the API keeps working, so an
   * orchestrator must not restart the service for it. The relay's host and its last error text (which
   * can name addresses) are not shown to anyone who asks: the error goes to the server log, once per
   * new error. Any dead mail makes the answer "degraded" (still 200): someone must look at it.
   */
  onModuleInit(): void {
    let logged: string | null = null;
    this.health.register(async () => {
      const outbox = byStatus(await outboxCounts(this.db, ['email']));
      const { target: _target, lastError, ...state } = this.mailer.state();
      if (lastError && lastError !== logged && state.state === 'failing') this.logger.warn(`Mail transport failing: ${lastError}`);
      logged = lastError;
      // Dead mail (refused for good, or ordinary mail out of attempts) needs a person: degraded, not down.
      const dead = outbox.dead ?? 0;
      return { mail: { status: 'up' as const, ...state, degraded: dead > 0, ...(dead > 0 ? { reason: `${dead} e-mail(s) dead: GET /notifications?status=dead` } : {}), outbox } };
    });
  }
}
