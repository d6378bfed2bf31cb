import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { Page, page } from '../common/pagination';
import { iso } from '../common/time';
import { webhooksConfig } from '../config';
import { Notification } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { DeliveryTargets, newSigningSecret } from './delivery-targets';
import { CreateWebhookEndpointDto, DeliveryQuery, DeliveryView, UpdateWebhookEndpointDto, WebhookEndpointView, WebhookSecretView } from './dto/webhook.dto';
import { UrlPolicy, UrlRefusedError } from './url-guard';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import type { WebhookEventType } from './webhook-events';
import { DatabaseService } from '../database/database.service';

export function toEndpointView(e: WebhookEndpoint, now: number): WebhookEndpointView {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes as WebhookEventType[],
    active: !!e.active,
    previousSecretValidUntil: e.previousSecretUntil !== null && e.previousSecretUntil > now ? iso(e.previousSecretUntil) : null,
    createdAt: iso(e.createdAt) as string,
    updatedAt: iso(e.updatedAt) as string,
  };
}

export function toDeliveryView(n: Notification): DeliveryView {
  return {
    id: n.id,
    channel: n.channel,
    eventType: n.eventType ?? '',
    status: n.status,
    attempts: n.attempts,
    lastResponseCode: n.responseCode,
    latencyMs: n.latencyMs,
    responseExcerpt: n.responseExcerpt,
    lastError: n.lastError,
    createdAt: iso(n.createdAt) as string,
    nextAttemptAt: iso(n.nextAttemptAt) as string,
    sentAt: iso(n.sentAt),
  };
}

/** The audit's view of an endpoint: never a secret. */
const audited = (e: WebhookEndpoint) => ({ url: e.url, eventTypes: e.eventTypes, active: !!e.active, description: e.description });

/**
 * Webhook endpoints as admins manage them: registration (the URL checked by the policy, a secret
 * generated and shown once), changes, rotation with an overlap window, removal, and each endpoint's
 * delivery log with retry. Every change is audited, without secrets.
 */
@Injectable()
export class WebhooksService {
  private readonly policy: UrlPolicy;

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly targets: DeliveryTargets,
    private readonly notifications: NotificationsService,
    @Inject(webhooksConfig.KEY) private readonly cfg: ConfigType<typeof webhooksConfig>,
  ) {
    this.policy = new UrlPolicy(cfg);
  }

  /** The policy's verdict on a URL, as a 400 naming the field. */
  async checkUrl(url: string, field: string): Promise<string> {
    try {
      return (await this.policy.check(url)).toString();
    } catch (err) {
      if (err instanceof UrlRefusedError) throw new ValidationFailedError(`${field} ${err.message}`, { [field]: err.message }, 'URL_REFUSED');
      throw err;
    }
  }

  async create(dto: CreateWebhookEndpointDto, actor: AuthUser): Promise<WebhookSecretView> {
    const url = await this.checkUrl(dto.url, 'url');
    const now = this.clock.now();
    const secret = newSigningSecret();
    const id = randomUUID();
    const e = await this.write(async (m) => {
      const row = m.create(WebhookEndpoint, {
        id,
        url,
        description: dto.description ?? null,
        eventTypes: [...new Set(dto.eventTypes)],
        active: dto.active ?? true,
        secretCipher: this.targets.sealSecret(id, secret),
        previousSecretCipher: null,
        previousSecretUntil: null,
        createdById: actor.id,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(WebhookEndpoint, row as object);
      await this.audit.record(m, { actorId: actor.id, action: 'webhook_endpoint_created', entityType: 'webhook_endpoint', entityId: id, after: audited(row) });
      return row;
    });
    return { ...toEndpointView(e, now), secret };
  }

  async list(): Promise<WebhookEndpointView[]> {
    return this.db.read(async (m) => {
      const now = this.clock.now();
      const rows = await m.getRepository(WebhookEndpoint).find({ order: { createdAt: 'ASC', id: 'ASC' } });
      return rows.map((e) => toEndpointView(e, now));
    });
  }

  async get(id: string): Promise<WebhookEndpointView> {
    return this.db.read(async (m) => {
      return toEndpointView(await this.endpoint(m, id), this.clock.now());
    });
  }

  async update(id: string, dto: UpdateWebhookEndpointDto, actor: AuthUser): Promise<WebhookEndpointView> {
    const url = dto.url === undefined ? undefined : await this.checkUrl(dto.url, 'url');
    const now = this.clock.now();
    return this.write(async (m) => {
      const e = await this.endpoint(m, id);
      const before = audited(e);
      if (url !== undefined) e.url = url;
      if (dto.eventTypes) e.eventTypes = [...new Set(dto.eventTypes)];
      if (dto.active !== undefined) e.active = dto.active;
      if (dto.description !== undefined) e.description = dto.description;
      e.updatedAt = now;
      await m.update(WebhookEndpoint, { id }, { url: e.url, eventTypes: e.eventTypes, active: e.active, description: e.description, updatedAt: now });
      await this.audit.record(m, { actorId: actor.id, action: 'webhook_endpoint_updated', entityType: 'webhook_endpoint', entityId: id, before, after: audited(e) });
      return toEndpointView(e, now);
    });
  }

  /** Removes the endpoint; its deliveries not yet made are withdrawn by the dispatcher (their target is gone). */
  async remove(id: string, actor: AuthUser): Promise<WebhookEndpointView> {
    const now = this.clock.now();
    return this.write(async (m) => {
      const e = await this.endpoint(m, id);
      await m.delete(WebhookEndpoint, { id });
      await this.audit.record(m, { actorId: actor.id, action: 'webhook_endpoint_deleted', entityType: 'webhook_endpoint', entityId: id, before: audited(e) });
      return toEndpointView(e, now);
    });
  }

  /**
   * A new secret, shown once. The current one becomes the previous one and keeps signing (a second
   * webhook-signature) for WEBHOOK_ROTATION_OVERLAP, so receivers can switch without losing events.
   */
  async rotateSecret(id: string, actor: AuthUser): Promise<WebhookSecretView> {
    const now = this.clock.now();
    const secret = newSigningSecret();
    return this.write(async (m) => {
      const e = await this.endpoint(m, id);
      e.previousSecretCipher = e.secretCipher;
      e.previousSecretUntil = now + this.cfg.rotationOverlapMs;
      e.secretCipher = this.targets.sealSecret(id, secret);
      e.updatedAt = now;
      await m.update(WebhookEndpoint, { id }, { secretCipher: e.secretCipher, previousSecretCipher: e.previousSecretCipher, previousSecretUntil: e.previousSecretUntil, updatedAt: now });
      await this.audit.record(m, { actorId: actor.id, action: 'webhook_secret_rotated', entityType: 'webhook_endpoint', entityId: id, meta: { previousSecretValidUntil: iso(e.previousSecretUntil) } });
      return { ...toEndpointView(e, now), secret };
    });
  }

  /** The delivery log of one endpoint (or one office's chat), newest first. */
  async deliveries(channels: string[], targetId: string, q: DeliveryQuery): Promise<Page<DeliveryView>> {
    return this.db.read(async (m) => {
      const qb = m.getRepository(Notification).createQueryBuilder('n').where('n.channel IN (:...channels)', { channels }).andWhere('n.recipient_id = :t', { t: targetId });
      if (q.status) qb.andWhere('n.status = :s', { s: q.status });
      const [rows, total] = await qb
        .orderBy('n.created_at', 'DESC')
        .addOrderBy('n.id', 'ASC')
        .skip((q.page - 1) * q.pageSize)
        .take(q.pageSize)
        .getManyAndCount();
      return page(rows.map(toDeliveryView), total, q);
    });
  }

  async endpointDeliveries(id: string, q: DeliveryQuery): Promise<Page<DeliveryView>> {
    return this.db.read(async (m) => {
      await this.endpoint(m, id);
      return this.deliveries(['webhook'], id, q);
    });
  }

  /** A dead delivery of this target goes back to pending (the outbox's own retry: fresh attempts, same webhook-id). */
  async retryDelivery(channels: string[], targetId: string, deliveryId: string, actor: AuthUser): Promise<DeliveryView> {
    // a write: the retry joins it, and the view read after it sees it
    return this.db.write(async (m) => {
      const n = await m.getRepository(Notification).findOneBy({ id: deliveryId });
      if (!n || n.recipientId !== targetId || !channels.includes(n.channel)) throw new NotFoundError('Delivery', deliveryId);
      await this.notifications.retry(deliveryId, actor);
      return toDeliveryView((await m.getRepository(Notification).findOneBy({ id: deliveryId })) as Notification);
    });
  }

  private async endpoint(m: EntityManager, id: string): Promise<WebhookEndpoint> {
    const e = await m.getRepository(WebhookEndpoint).findOneBy({ id });
    if (!e) throw new NotFoundError('Webhook endpoint', id);
    return e;
  }

  /** The one place this service opens a write transaction. */
  private write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.write(fn);
  }
}
