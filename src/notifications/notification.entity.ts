import { Column, Entity, Index } from 'typeorm';
import { BaseEntity, MsColumn } from '../common/base.entity';
import type { NotificationStatus, OutboxChannel, OutboxKind } from '../common/enums';

/**
 * The outbox: one message for one reason — an email to one person (channel "email"), a signed POST
 * to one webhook endpoint ("webhook", recipient = the endpoint) or a post to one office's chat
 * ("slack" / "teams", recipient = the office) — stored before it is sent, in the same
 * transaction as the change that caused it. `idempotencyKey` is unique, so replaying a trigger or
 * re-running the scheduler cannot create a second row.
 */
@Entity('notifications')
@Index('ix_notifications_due', ['status', 'nextAttemptAt'])
@Index('ix_notifications_appearance', ['appearanceId', 'status'])
@Index('ix_notifications_recipient', ['recipientId', 'createdAt'])
@Index('ix_notifications_channel_due', ['channel', 'status', 'nextAttemptAt'])
export class Notification extends BaseEntity {
  @Index('uq_notifications_idempotency', { unique: true })
  @Column({ type: 'varchar', length: 300, name: 'idempotency_key' })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 32 })
  kind: OutboxKind;

  /** Which dispatcher delivers it: the mailer, or the webhook and chat dispatcher. */
  @Column({ type: 'varchar', length: 16, default: 'email' })
  channel: OutboxChannel;

  /** Webhooks and chat: the event type (e.g. risk.level_rose). */
  @Column({ type: 'varchar', length: 64, name: 'event_type', nullable: true })
  eventType: string | null;

  /** Webhooks and chat: the receiver's last HTTP status and how long the last attempt took. */
  @Column({ type: 'integer', name: 'response_code', nullable: true })
  responseCode: number | null;

  @Column({ type: 'integer', name: 'latency_ms', nullable: true })
  latencyMs: number | null;

  /** The first bytes of the receiver's last answer (never more is kept). */
  @Column({ type: 'varchar', length: 300, name: 'response_excerpt', nullable: true })
  responseExcerpt: string | null;

  @Column({ type: 'varchar', length: 36, name: 'recipient_id' })
  recipientId: string;

  @Column({ type: 'varchar', length: 254, name: 'recipient_email' })
  recipientEmail: string;

  @Column({ type: 'varchar', length: 36, name: 'appearance_id', nullable: true })
  appearanceId: string | null;

  @Column({ type: 'varchar', length: 36, name: 'assessment_id', nullable: true })
  assessmentId: string | null;

  /** When it should go out (briefing time, or now). */
  @MsColumn({ name: 'due_at' })
  dueAt: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: NotificationStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Earliest time the dispatcher may (re)try. */
  @MsColumn({ name: 'next_attempt_at' })
  nextAttemptAt: number;

  /** A claim: the row belongs to leaseOwner until leaseUntil. */
  @MsColumn({ name: 'lease_until', nullable: true })
  leaseUntil: number | null;

  @Column({ type: 'varchar', length: 100, name: 'lease_owner', nullable: true })
  leaseOwner: string | null;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError: string | null;

  /** Deterministic: <notification id>@<mail domain>. */
  @Column({ type: 'varchar', length: 300, name: 'message_id', nullable: true })
  messageId: string | null;

  /** The subject line it was sent with (null until sent). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  subject: string | null;

  @MsColumn({ name: 'sent_at', nullable: true })
  sentAt: number | null;

  /** Kind-specific data (offset, levels, reason) rendered at send time. */
  @Column({ type: 'simple-json', default: '{}' })
  payload: Record<string, unknown>;

  @Column({ type: 'boolean', name: 'ack_required', default: false })
  ackRequired: boolean;

  @MsColumn({ name: 'acknowledged_at', nullable: true })
  acknowledgedAt: number | null;

  @Column({ type: 'varchar', length: 36, name: 'acknowledged_by_id', nullable: true })
  acknowledgedById: string | null;
}
