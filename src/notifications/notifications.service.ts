import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AcknowledgementRecordedEvent, DomainEvents } from '../common/domain-events';
import { EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import type { NotificationKind } from '../common/enums';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../common/errors';
import { Page, page } from '../common/pagination';
import { iso } from '../common/time';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AckView, NotificationQuery, NotificationView, PreferencesView } from './dto/notification.dto';
import { MUTABLE_KINDS, NOTIFICATION_DEFINITIONS, RISK_ALERT_KINDS } from './notification-definitions';
import { Notification } from './notification.entity';
import { LinkSigner } from './signed-link';
import { DatabaseService } from '../database/database.service';

export function toNotificationView(n: Notification): NotificationView {
  return {
    id: n.id,
    kind: n.kind as NotificationKind,
    status: n.status,
    recipientId: n.recipientId,
    recipientEmail: n.recipientEmail,
    appearanceId: n.appearanceId,
    assessmentId: n.assessmentId,
    dueAt: iso(n.dueAt),
    attempts: n.attempts,
    nextAttemptAt: iso(n.nextAttemptAt),
    lastError: n.lastError,
    messageId: n.messageId,
    subject: n.subject ?? null,
    sentAt: iso(n.sentAt),
    ackRequired: !!n.ackRequired,
    acknowledgedAt: iso(n.acknowledgedAt),
    acknowledgedById: n.acknowledgedById,
    createdAt: iso(n.createdAt),
  };
}

/** The outbox as people see it: listing, retrying dead mail, acknowledging, preferences. Never sends. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly links: LinkSigner,
    private readonly events: EventEmitter2,
    private readonly users: UsersService,
  ) {}

  /** Admins see everything; coordinators see mail to people of their office. */
  async list(q: NotificationQuery, user: AuthUser): Promise<Page<NotificationView>> {
    return this.db.read(async (m) => {
      const qb = m.getRepository(Notification).createQueryBuilder('n').where("n.channel = 'email'");
      if (q.status) qb.andWhere('n.status = :status', { status: q.status });
      if (q.kind) qb.andWhere('n.kind = :kind', { kind: q.kind });
      if (q.appearanceId) qb.andWhere('n.appearance_id = :aid', { aid: q.appearanceId });
      if (q.ackRequired) qb.andWhere('n.ack_required = :ack', { ack: q.ackRequired === 'true' });
      if (q.acknowledged) qb.andWhere(q.acknowledged === 'true' ? 'n.acknowledged_at IS NOT NULL' : 'n.acknowledged_at IS NULL');
      if (user.role !== 'admin') {
        qb.andWhere('n.recipient_id IN (SELECT u.id FROM users u WHERE u.office_id = :office)', { office: user.officeId ?? '' });
      }
      const [rows, total] = await qb
        .orderBy('n.due_at', 'DESC')
        .addOrderBy('n.id', 'ASC')
        .skip((q.page - 1) * q.pageSize)
        .take(q.pageSize)
        .getManyAndCount();
      const about = await this.appearanceWords(rows.map((r) => r.appearanceId).filter((id): id is string => !!id));
      const carried = await this.assessmentLevels(rows.map((r) => r.assessmentId).filter((id): id is string => !!id));
      return page(
        rows.map((r) => ({
          ...toNotificationView(r),
          appearanceTitle: r.appearanceId ? (about.get(r.appearanceId)?.title ?? null) : null,
          riskLevel: r.appearanceId ? (about.get(r.appearanceId)?.level ?? null) : null,
          mailLevel: r.assessmentId ? (carried.get(r.assessmentId) ?? null) : null,
        })),
        total,
        q,
      );
    });
  }

  /** The level of each assessment a page of the list carried (one query). */
  private async assessmentLevels(ids: string[]): Promise<Map<string, string>> {
    return this.db.read(async (m) => {
      if (!ids.length) return new Map();
      const rows: { id: string; level: string }[] = await m
        .createQueryBuilder()
        .select(['ra.id AS id', 'ra.level AS level'])
        .from('risk_assessments', 'ra')
        .where('ra.id IN (:...ids)', { ids: [...new Set(ids)] })
        .getRawMany();
      return new Map(rows.map((r) => [r.id, r.level]));
    });
  }

  /** Title and latest risk level of the appearances a page of the list names (one query). */
  private async appearanceWords(ids: string[]): Promise<Map<string, { title: string; level: string | null }>> {
    return this.db.read(async (m) => {
      if (!ids.length) return new Map();
      const rows: { id: string; title: string; level: string | null }[] = await m
        .createQueryBuilder()
        .select(['a.id AS id', 'a.title AS title'])
        .addSelect('(SELECT ra.level FROM risk_assessments ra WHERE ra.appearance_id = a.id ORDER BY ra.seq DESC LIMIT 1)', 'level')
        .from('appearances', 'a')
        .where('a.id IN (:...ids)', { ids: [...new Set(ids)] })
        .getRawMany();
      return new Map(rows.map((r) => [r.id, { title: r.title, level: r.level ?? null }]));
    });
  }

  /** A dead notification goes back to pending, due now, with a fresh attempt budget. */
  async retry(id: string, user: AuthUser): Promise<NotificationView> {
    return this.db.write(async (m) => {
      const n = await this.visible(m, id, user);
      if (n.status !== 'dead') {
        throw new ConflictError('NOT_DEAD', `Notification ${id} is ${n.status}; only a dead notification can be retried`, { status: n.status });
      }
      const now = this.clock.now();
      const before = { status: n.status, attempts: n.attempts, lastError: n.lastError };
      Object.assign(n, { status: 'pending', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, updatedAt: now });
      await m.getRepository(Notification).save(n);
      await this.audit.record(m, { actorId: user.id, action: 'notification_retried', entityType: 'notification', entityId: id, before, after: { status: 'pending' } });
      return toNotificationView(n);
    });
  }

  /** Signed-in acknowledgement: the recipient, a coordinator of their office, or an admin. */
  async acknowledge(id: string, user: AuthUser): Promise<AckView> {
    return this.db.write(async (m) => {
      const n = await m.getRepository(Notification).findOneBy({ id });
      if (!n) throw new NotFoundError('Notification', id);
      if (n.recipientId !== user.id && user.role !== 'admin') {
        const recipient = await m.getRepository(User).findOneBy({ id: n.recipientId });
        if (user.role !== 'coordinator' || !recipient || recipient.officeId !== user.officeId) {
          throw new ForbiddenError('Only the recipient, a coordinator of their office or an admin can acknowledge this');
        }
      }
      return this.markAcknowledged(m, n, user.id);
    });
  }

  /** This person's sent High/Critical warnings about an appearance that still wait for their acknowledgement, newest first. */
  async awaitingAck(appearanceId: string, recipientId: string): Promise<Notification[]> {
    return this.db.read(async (m) => {
      return m.getRepository(Notification).find({
        where: { appearanceId, recipientId, status: 'sent', ackRequired: true, acknowledgedAt: IsNull() },
        order: { sentAt: 'DESC', id: 'ASC' },
      });
    });
  }

  /** The warning an acknowledge link names (the link is checked; nothing changes). */
  async ackTarget(token: string): Promise<Notification> {
    return this.db.read(async (m) => {
      const claims = this.links.verify('ack', token, this.clock.now());
      const n = await m.getRepository(Notification).findOneBy({ id: claims.sub });
      if (!n) throw new NotFoundError('Notification', claims.sub);
      return n;
    });
  }

  /** The kind of mail an unsubscribe link switches off (the link is checked; nothing changes). */
  unsubscribeTarget(token: string): { userId: string; kind: NotificationKind; label: string } {
    const claims = this.links.verify('unsubscribe', token, this.clock.now());
    const kind = claims.kind as NotificationKind;
    if (!MUTABLE_KINDS.includes(kind)) throw new UnprocessableError('RISK_ALERTS_CANNOT_BE_MUTED', 'Risk alerts cannot be switched off');
    return { userId: claims.sub, kind, label: NOTIFICATION_DEFINITIONS[kind].label };
  }

  /** Acknowledgement from the signed link in the email (no sign-in). */
  async acknowledgeByToken(token: string): Promise<AckView> {
    const claims = this.links.verify('ack', token, this.clock.now());
    return this.db.write(async (m) => {
      const n = await m.getRepository(Notification).findOneBy({ id: claims.sub });
      if (!n) throw new NotFoundError('Notification', claims.sub);
      const recipient = await m.getRepository(User).findOne({ where: { id: n.recipientId }, select: { id: true, active: true } });
      if (!recipient?.active) throw new ForbiddenError('This link belongs to an account that is disabled', 'ACCOUNT_DISABLED');
      return this.markAcknowledged(m, n, n.recipientId);
    });
  }

  private async markAcknowledged(m: EntityManager, n: Notification, by: string): Promise<AckView> {
    if (n.status !== 'sent') {
      throw new UnprocessableError('NOT_SENT', `Notification ${n.id} is ${n.status}; only a sent notification can be acknowledged`, { status: `is ${n.status}` });
    }
    const first = n.acknowledgedAt === null;
    if (first) {
      const now = this.clock.now();
      await m.getRepository(Notification).update({ id: n.id }, { acknowledgedAt: now, acknowledgedById: by, updatedAt: now });
      if (n.appearanceId) {
        // Reading the latest warning covers the recipient's earlier ones for the same appearance.
        await m
          .createQueryBuilder()
          .update(Notification)
          .set({ acknowledgedAt: now, acknowledgedById: by, updatedAt: now })
          .where('appearance_id = :a AND recipient_id = :r AND status = :s', { a: n.appearanceId, r: n.recipientId, s: 'sent' })
          .andWhere('ack_required = :t AND acknowledged_at IS NULL AND sent_at <= :now', { t: true, now })
          .execute();
      }
      n.acknowledgedAt = now;
      n.acknowledgedById = by;
      await this.audit.record(m, { actorId: by, action: 'notification_acknowledged', entityType: 'notification', entityId: n.id, meta: { appearanceId: n.appearanceId, kind: n.kind } });
      const event: AcknowledgementRecordedEvent = { manager: m, actorId: by, at: now, notificationId: n.id, appearanceId: n.appearanceId, kind: n.kind, acknowledgedById: by };
      await this.events.emitAsync(DomainEvents.AcknowledgementRecorded, event);
    }
    return { notificationId: n.id, appearanceId: n.appearanceId, acknowledgedAt: iso(n.acknowledgedAt as number), acknowledgedById: n.acknowledgedById as string, firstAcknowledgement: first };
  }

  async preferences(userId: string): Promise<PreferencesView> {
    return this.db.read(async (m) => {
      const u = await m.getRepository(User).findOneBy({ id: userId });
      if (!u) throw new NotFoundError('User', userId);
      return preferencesView(u.mutedKinds ?? []);
    });
  }

  async setPreferences(userId: string, mutedKinds: NotificationKind[]): Promise<PreferencesView> {
    const refused = mutedKinds.filter((k) => RISK_ALERT_KINDS.includes(k));
    if (refused.length) {
      throw new UnprocessableError('RISK_ALERTS_CANNOT_BE_MUTED', `Risk alerts cannot be switched off (${refused.join(', ')}); only ${MUTABLE_KINDS.join(' and ')} can`, {
        mutedKinds: `${refused.join(', ')} ${refused.length > 1 ? 'are risk alerts' : 'is a risk alert'} and cannot be switched off`,
      });
    }
    return this.mute(userId, [...new Set(mutedKinds)], 'replace');
  }

  /** RFC 8058 one-click unsubscribe from a signed link. */
  async unsubscribeByToken(token: string): Promise<PreferencesView> {
    const claims = this.links.verify('unsubscribe', token, this.clock.now());
    const kind = claims.kind as NotificationKind;
    if (!MUTABLE_KINDS.includes(kind)) throw new UnprocessableError('RISK_ALERTS_CANNOT_BE_MUTED', 'Risk alerts cannot be switched off');
    return this.mute(claims.sub, [kind], 'add', claims.iat ?? 0);
  }

  /**
   * 'replace' is the user's own choice in the app (remembered with its time); 'add' comes from an
   * unsubscribe link issued at linkIssuedAt, and does nothing if the user has chosen since then.
   */
  private async mute(userId: string, kinds: NotificationKind[], mode: 'replace' | 'add', linkIssuedAt = 0): Promise<PreferencesView> {
    return this.db.write(async (m) => {
      const u = await m.getRepository(User).findOneBy({ id: userId });
      if (!u) throw new NotFoundError('User', userId);
      const before = u.mutedKinds ?? [];
      if (mode === 'add' && u.preferencesChangedAt !== null && u.preferencesChangedAt > linkIssuedAt) {
        throw new UnprocessableError('LINK_SUPERSEDED', 'You changed your notification preferences after this e-mail was sent; change them again in Forewarn if you wish', {
          token: 'older than your last change of preferences',
        });
      }
      const after = mode === 'add' ? [...new Set([...before, ...kinds])] : kinds;
      await this.users.setMutedKinds(m, userId, after, mode === 'replace');
      await this.audit.record(m, { actorId: userId, action: 'notification_preferences_changed', entityType: 'user', entityId: userId, before: { mutedKinds: before }, after: { mutedKinds: after } });
      return preferencesView(after);
    });
  }

  private async visible(m: EntityManager, id: string, user: AuthUser): Promise<Notification> {
    const n = await m.getRepository(Notification).findOneBy({ id });
    if (!n) throw new NotFoundError('Notification', id);
    if (user.role !== 'admin') {
      const recipient = await m.getRepository(User).findOneBy({ id: n.recipientId });
      if (!recipient || recipient.officeId !== user.officeId) throw new NotFoundError('Notification', id);
    }
    return n;
  }
}

function preferencesView(muted: string[]): PreferencesView {
  return {
    mutedKinds: muted.filter((k) => MUTABLE_KINDS.includes(k as NotificationKind)) as NotificationKind[],
    kinds: Object.values(NOTIFICATION_DEFINITIONS).map((d) => ({ kind: d.kind, label: d.label, enabled: d.riskAlert || !muted.includes(d.kind), canSwitchOff: !d.riskAlert })),
    note: 'Risk alerts (briefings, escalations, acknowledgement escalations, reschedules and cancellations) cannot be switched off.',
  };
}
