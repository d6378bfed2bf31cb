import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
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
export class WebhooksModule {}
