import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseService } from '../database/database.service';
import { HealthContributors } from '../health/health-contributors';
import { byStatus, outboxCounts } from '../notifications/outbox-claims';
import { OfficeChat } from './office-chat.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { NotificationsModule } from '../notifications/notifications.module';
import { DeliverySender } from './delivery-sender';
import { DeliveryTargets } from './delivery-targets';
import { OfficeChatService } from './office-chat.service';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookEventsListener } from './webhook-events.listener';
import { WebhookLoop } from './webhook-loop';
import { OfficeChatController, WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * Outbound webhooks (Standard Webhooks signatures) and office chat (Slack, Teams), delivered through
 * the notifications outbox: domain events write rows in the emitting transaction, the dispatcher
 * claims, signs, sends and records them.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, OfficeChat]), NotificationsModule],
  controllers: [WebhooksController, OfficeChatController],
  providers: [DeliveryTargets, DeliverySender, WebhookEventsListener, WebhookDispatcher, WebhookLoop, WebhooksService, OfficeChatService],
  exports: [WebhookDispatcher],
})
export class WebhooksModule implements OnModuleInit {
  constructor(
    private readonly health: HealthContributors,
    private readonly db: DatabaseService,
  ) {}

  /**
   * GET /health shows the webhook and chat outbox as it shows mail's: counts by status, and any dead
   * delivery (receiver refused for good, or out of attempts) makes the answer "degraded" (still 200),
   * with how many per channel and where to see and retry them.
   */
  onModuleInit(): void {
    this.health.register(async () => {
      const counts = await outboxCounts(this.db, ['webhook', 'slack', 'teams']);
      const outbox = byStatus(counts);
      const dead = outbox.dead ?? 0;
      const deadByChannel = Object.fromEntries(counts.filter((c) => c.status === 'dead').map((c) => [c.channel, c.n]));
      const reason = `${dead} webhook or chat deliver${dead === 1 ? 'y' : 'ies'} dead: GET /webhook-endpoints/{id}/deliveries or /offices/{id}/chat/deliveries, then POST .../retry`;
      return { webhooks: { status: 'up' as const, degraded: dead > 0, ...(dead > 0 ? { reason } : {}), outbox, deadByChannel } };
    });
  }
}
