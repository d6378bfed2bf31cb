import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Webhook } from 'standardwebhooks';
import { KeyRing } from '../auth/key-ring';
import type { Notification } from '../notifications/notification.entity';
import { OfficeChat } from './office-chat.entity';
import { open, seal } from './secret-box';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { DatabaseService } from '../database/database.service';

export type ChatKind = 'slack' | 'teams';

/** Where a claimed delivery goes, decrypted for this batch only. */
export interface Target {
  url: string;
  /** Webhooks: the signers (the current secret, and the previous one during its overlap). */
  signers: Webhook[];
}

/** A new signing secret in the Standard Webhooks form: "whsec_" + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The secrets of webhooks and chat at rest: sealing and opening them with the key ring's secrets
 * key (each bound to its row and use), and loading the targets of a claimed batch in two queries.
 */
@Injectable()
export class DeliveryTargets {
  constructor(
    private readonly db: DatabaseService,
    private readonly keys: KeyRing,
  ) {}

  sealSecret(endpointId: string, secret: string): string {
    return seal(this.keys.secretsKey, secret, `webhook:${endpointId}:secret`);
  }

  sealChatUrl(officeId: string, kind: ChatKind, url: string): string {
    return seal(this.keys.secretsKey, url, `chat:${officeId}:${kind}`);
  }

  openChatUrl(officeId: string, kind: ChatKind, sealed: string): string {
    return open(this.keys.secretsKey, sealed, `chat:${officeId}:${kind}`);
  }

  signingSecrets(ep: Pick<WebhookEndpoint, 'id' | 'secretCipher' | 'previousSecretCipher' | 'previousSecretUntil'>, now: number): string[] {
    const aad = `webhook:${ep.id}:secret`;
    const list = [open(this.keys.secretsKey, ep.secretCipher, aad)];
    if (ep.previousSecretCipher && ep.previousSecretUntil !== null && ep.previousSecretUntil > now) list.push(open(this.keys.secretsKey, ep.previousSecretCipher, aad));
    return list;
  }

  /** Targets by row id; a row whose endpoint is gone or inactive, or whose office has no such chat URL, has none. */
  async forBatch(rows: Notification[], now: number): Promise<Map<string, Target>> {
    return this.db.read(async (m) => {
      const out = new Map<string, Target>();
      const endpointIds = [...new Set(rows.filter((r) => r.channel === 'webhook').map((r) => r.recipientId))];
      const officeIds = [...new Set(rows.filter((r) => r.channel !== 'webhook').map((r) => r.recipientId))];
      // one after the other: both run on the read's one connection
      const endpoints = endpointIds.length ? await m.getRepository(WebhookEndpoint).findBy({ id: In(endpointIds), active: true }) : [];
      const chats = officeIds.length ? await m.getRepository(OfficeChat).findBy({ officeId: In(officeIds) }) : [];
      const byEndpoint = new Map(endpoints.map((e) => [e.id, { url: e.url, signers: this.signingSecrets(e, now).map((s) => new Webhook(s)) }]));
      const byOffice = new Map(chats.map((c) => [c.officeId, c]));
      for (const r of rows) {
        if (r.channel === 'webhook') {
          const t = byEndpoint.get(r.recipientId);
          if (t) out.set(r.id, t);
          continue;
        }
        const chat = byOffice.get(r.recipientId);
        const sealed = r.channel === 'slack' ? chat?.slackUrlCipher : chat?.teamsUrlCipher;
        if (chat && sealed) out.set(r.id, { url: this.openChatUrl(chat.officeId, r.channel as ChatKind, sealed), signers: [] });
      }
      return out;
    });
  }
}
