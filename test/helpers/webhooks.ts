import type { TestingModuleBuilder } from '@nestjs/testing';
import { readWebhooksConfig, webhooksConfig, WebhooksConfig } from '../../src/config';
import { Notification } from '../../src/notifications/notification.entity';
import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.service';
import type { TestApp } from './test-app';

/** Overrides the webhooks config (development defaults + the given values). */
export function withWebhooks(cfg: Partial<WebhooksConfig>): (b: TestingModuleBuilder) => TestingModuleBuilder {
  return (b) => b.overrideProvider(webhooksConfig.KEY).useValue({ ...readWebhooksConfig({ NODE_ENV: 'development' }), ...cfg });
}

export const hooks = (t: TestApp) => t.app.get(WebhookDispatcher);

/** The outbox rows of one endpoint (or one office's chat channel). */
export async function deliveries(t: TestApp, targetId: string, channel = 'webhook'): Promise<Notification[]> {
  return t.db.getRepository(Notification).find({ where: { channel: channel as Notification['channel'], recipientId: targetId }, order: { createdAt: 'ASC', id: 'ASC' } });
}

/** Registers an endpoint through the API as an admin; returns its id and the secret shown once. */
export async function register(t: TestApp, admin: { Authorization: string }, url: string, eventTypes: string[]): Promise<{ id: string; secret: string }> {
  const res = await t.http().post('/webhook-endpoints').set(admin).send({ url, eventTypes });
  if (res.status !== 201) throw new Error(`register ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, secret: res.body.secret };
}
