import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { IncomingWebhook } from '@slack/webhook';
import { Webhook } from 'standardwebhooks';
import { appConfig, webhooksConfig } from '../config';
import type { Notification } from '../notifications/notification.entity';
import { pagePath } from '../notifications/page-links';
import { chatText, slackMessage, teamsMessage } from './chat-messages';
import { DeliveryClient, DeliveryFailedError, DeliveryResult } from './delivery-client';
import type { Target } from './delivery-targets';
import { UrlPolicy } from './url-guard';
import type { ChatPayload } from './webhook-events';

/**
 * The Standard Webhooks headers for one attempt: webhook-id is the outbox row's id (the same on
 * every retry, so receivers can deduplicate), webhook-timestamp the attempt's time in seconds, and
 * webhook-signature one "v1,<base64>" per signing secret, space-separated (two during a rotation's
 * overlap, as the specification allows). A signer (standardwebhooks' Webhook, its key decoded) is
 * made once per endpoint and batch.
 */
export function signatureHeaders(id: string, at: number, body: string, signers: Webhook[]): Record<string, string> {
  const when = new Date(Math.floor(at / 1000) * 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at / 1000)),
    'webhook-signature': signers.map((w) => w.sign(id, when, body)).join(' '),
  };
}

/** Sends one claimed delivery: a signed webhook POST, a Slack message (@slack/webhook) or a Teams Adaptive Card. */
@Injectable()
export class DeliverySender implements OnModuleDestroy {
  readonly client: DeliveryClient;

  constructor(
    @Inject(webhooksConfig.KEY) cfg: ConfigType<typeof webhooksConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {
    this.client = new DeliveryClient(new UrlPolicy(cfg), cfg.timeoutMs, cfg.concurrency);
  }

  async send(row: Notification, target: Target, at: number): Promise<DeliveryResult> {
    if (row.channel === 'webhook') {
      const body = JSON.stringify(row.payload);
      return this.client.post(target.url, { 'user-agent': 'Forewarn-Webhooks/1', ...signatureHeaders(row.id, at, body, target.signers) }, body);
    }
    const p = row.payload as unknown as ChatPayload;
    // The page itself, not a signed link: a channel is many people, so whoever opens it signs in as
    // themselves (the page then shows what their role allows, and acknowledges only their own warning).
    const text = chatText(p, `${this.app.publicUrl}${pagePath('appearance', p.appearanceId)}`);
    if (row.channel === 'teams') return this.client.post(target.url, {}, JSON.stringify(teamsMessage(text)));
    let answer: DeliveryResult | null = null;
    const hook = new IncomingWebhook(target.url, { fetch: this.client.fetchFor((r) => (answer = r)) });
    try {
      await hook.send(slackMessage(text));
    } catch (err) {
      if (answer) return answer; // an HTTP answer that was not 2xx: recorded like any other
      const original = (err as { original?: unknown }).original;
      throw original instanceof DeliveryFailedError ? original : err;
    }
    return answer as unknown as DeliveryResult;
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
