import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DateTime } from 'luxon';
import { EntityManager, In } from 'typeorm';
import type { Appearance } from '../appearances/appearance.entity';
import type { NotificationKind, OutboxChannel } from '../common/enums';
import { mailConfig } from '../config';
import { User } from '../users/user.entity';
import { definitionOf } from './notification-definitions';
import { Notification } from './notification.entity';

export interface Recipient {
  id: string;
  email: string;
  mutedKinds: string[];
}

export interface NewNotification {
  key: string;
  kind: NotificationKind;
  recipient: Recipient;
  appearanceId: string | null;
  assessmentId?: string | null;
  dueAt: number;
  payload?: Record<string, unknown>;
}

export interface NewDelivery {
  key: string;
  channel: Exclude<OutboxChannel, 'email'>;
  /** The webhook endpoint (channel webhook) or the office (slack, teams). */
  targetId: string;
  eventType: string;
  payload: Record<string, unknown>;
}

const CHUNK = 400;

/**
 * The local start minus the offset, in the venue's zone: whole days are calendar days (a 09:00
 * appearance gets its 14-day briefing at 09:00 local even across a DST change), the rest minutes.
 */
export function briefingDueAt(startsAt: number, zone: string, offsetMinutes: number): number {
  const days = Math.floor(offsetMinutes / 1440);
  const rest = offsetMinutes % 1440;
  return DateTime.fromMillis(startsAt, { zone }).minus({ days }).minus({ minutes: rest }).toMillis();
}

/**
 * Which briefings an appearance should have at `now`: every offset still ahead, plus, if some
 * offsets are already past (created or moved late), one catch-up briefing due now for the nearest
 * of them — so a late appearance is briefed once, not three times.
 */
export function briefingPlan(a: Pick<Appearance, 'startsAt' | 'timeZone' | 'briefingOffsets'>, defaults: number[], now: number): { offset: number; dueAt: number }[] {
  if (a.startsAt <= now) return [];
  const offsets = [...new Set(a.briefingOffsets?.length ? a.briefingOffsets : defaults)].sort((x, y) => y - x);
  const plan = offsets.map((offset) => ({ offset, dueAt: briefingDueAt(a.startsAt, a.timeZone, offset) }));
  const ahead = plan.filter((p) => p.dueAt > now);
  const past = plan.filter((p) => p.dueAt <= now);
  if (past.length) ahead.push({ offset: past[past.length - 1].offset, dueAt: now });
  return ahead;
}

export const briefingKey = (appearanceId: string, offset: number, recipientId: string) => `briefing:${appearanceId}:o${offset}:${recipientId}`;

/**
 * Writes outbox rows with the caller's EntityManager (the transaction that caused them), with a
 * unique idempotency key per (appearance, kind, offset or assessment, recipient): INSERT ... ON
 * CONFLICT DO NOTHING, so replays and repeated scheduler ticks never create a second row.
 */
@Injectable()
export class OutboxWriter {
  constructor(@Inject(mailConfig.KEY) private readonly cfg: ConfigType<typeof mailConfig>) {}

  get defaultOffsets(): number[] {
    return this.cfg.briefingOffsetsMinutes;
  }

  /** Inserts what is new; returns how many rows were offered (existing keys are skipped silently). */
  async enqueue(m: EntityManager, rows: NewNotification[], now: number): Promise<number> {
    const wanted = rows.filter((r) => definitionOf(r.kind).riskAlert || !r.recipient.mutedKinds.includes(r.kind));
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const values = wanted.slice(i, i + CHUNK).map((r) => ({
        id: randomUUID(),
        createdAt: now,
        updatedAt: now,
        idempotencyKey: r.key,
        kind: r.kind,
        recipientId: r.recipient.id,
        recipientEmail: r.recipient.email,
        appearanceId: r.appearanceId,
        assessmentId: r.assessmentId ?? null,
        dueAt: r.dueAt,
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: r.dueAt,
        leaseUntil: null,
        leaseOwner: null,
        lastError: null,
        messageId: null,
        sentAt: null,
        payload: r.payload ?? {},
        ackRequired: false,
        acknowledgedAt: null,
        acknowledgedById: null,
      }));
      await m
        .createQueryBuilder()
        .insert()
        .into(Notification)
        .values(values as never)
        .orIgnore()
        .updateEntity(false)
        .execute();
    }
    return wanted.length;
  }

  /**
   * Webhook and chat deliveries, in the caller's transaction, due now; existing keys are skipped.
   * They carry no appearance id of their own (it is in the payload), so withdrawing an
   * appearance's mail never withdraws the event that reports it.
   */
  async enqueueDeliveries(m: EntityManager, rows: NewDelivery[], now: number): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const values = rows.slice(i, i + CHUNK).map((r) => ({
        id: randomUUID(),
        createdAt: now,
        updatedAt: now,
        idempotencyKey: r.key,
        kind: r.channel === 'webhook' ? ('webhook' as const) : ('chat' as const),
        channel: r.channel,
        eventType: r.eventType,
        recipientId: r.targetId,
        recipientEmail: '',
        appearanceId: null,
        assessmentId: null,
        dueAt: now,
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: now,
        payload: r.payload,
        ackRequired: false,
      }));
      await m
        .createQueryBuilder()
        .insert()
        .into(Notification)
        .values(values as never)
        .orIgnore()
        .updateEntity(false)
        .execute();
    }
  }

  /** Active users by id. */
  async users(m: EntityManager, ids: string[]): Promise<Recipient[]> {
    if (!ids.length) return [];
    const rows = await m.getRepository(User).find({ where: { id: In([...new Set(ids)]), active: true }, select: { id: true, email: true, mutedKinds: true } });
    return rows.map((u) => ({ id: u.id, email: u.email, mutedKinds: u.mutedKinds ?? [] }));
  }

  /** The office's active coordinators. */
  async coordinators(m: EntityManager, officeId: string): Promise<Recipient[]> {
    const rows = await m.getRepository(User).find({ where: { officeId, role: 'coordinator', active: true }, select: { id: true, email: true, mutedKinds: true }, order: { email: 'ASC' } });
    return rows.map((u) => ({ id: u.id, email: u.email, mutedKinds: u.mutedKinds ?? [] }));
  }

  /** Recruiters (given ids) plus the office's coordinators, each once. */
  async team(m: EntityManager, officeId: string, recruiterIds: string[]): Promise<Recipient[]> {
    const recruiters = await this.users(m, recruiterIds); // one after the other: the transaction has one connection
    const coordinators = await this.coordinators(m, officeId);
    const seen = new Map<string, Recipient>();
    for (const r of [...recruiters, ...coordinators]) seen.set(r.id, r);
    return [...seen.values()];
  }

  /**
   * Makes the appearance's pending briefings match its current start, zone, offsets and team: new
   * (offset, recipient) pairs are added, pending ones move (same key, new due time), ones no longer
   * wanted are withdrawn.
   */
  async reconcileBriefings(m: EntityManager, a: Appearance, team: Recipient[], now: number): Promise<void> {
    const plan = a.status === 'cancelled' || a.status === 'completed' ? [] : briefingPlan(a, this.defaultOffsets, now);
    const rows: NewNotification[] = plan.flatMap((p) =>
      team.map((r) => ({ key: briefingKey(a.id, p.offset, r.id), kind: 'briefing' as const, recipient: r, appearanceId: a.id, dueAt: p.dueAt, payload: { offsetMinutes: p.offset } })),
    );
    await this.enqueue(m, rows, now);
    for (const p of plan) {
      const keys = team.map((r) => briefingKey(a.id, p.offset, r.id));
      for (let i = 0; i < keys.length; i += CHUNK) {
        await m
          .createQueryBuilder()
          .update(Notification)
          .set({ dueAt: p.dueAt, nextAttemptAt: p.dueAt, status: 'pending', updatedAt: now })
          .where('idempotency_key IN (:...keys)', { keys: keys.slice(i, i + CHUNK) })
          .andWhere('status IN (:...st)', { st: ['pending', 'retrying', 'withdrawn'] })
          .andWhere('(due_at <> :due OR status <> :pending)', { due: p.dueAt, pending: 'pending' })
          .execute();
      }
    }
    const keep = rows.map((r) => r.key);
    const q = m
      .createQueryBuilder()
      .update(Notification)
      .set({ status: 'withdrawn', updatedAt: now, leaseOwner: null, leaseUntil: null })
      .where('appearance_id = :id', { id: a.id })
      .andWhere('kind = :kind', { kind: 'briefing' })
      .andWhere('status IN (:...st)', { st: ['pending', 'retrying'] });
    if (keep.length) q.andWhere('idempotency_key NOT IN (:...keep)', { keep });
    await q.execute();
  }

  /** Withdraws every pending row of an appearance (optionally only some kinds / recipients). */
  async withdraw(m: EntityManager, appearanceId: string, now: number, opts: { kinds?: NotificationKind[]; recipientIds?: string[] } = {}): Promise<void> {
    const q = m
      .createQueryBuilder()
      .update(Notification)
      .set({ status: 'withdrawn', updatedAt: now })
      .where('appearance_id = :id', { id: appearanceId })
      .andWhere('status IN (:...st)', { st: ['pending', 'retrying'] });
    if (opts.kinds?.length) q.andWhere('kind IN (:...kinds)', { kinds: opts.kinds });
    if (opts.recipientIds?.length) q.andWhere('recipient_id IN (:...rids)', { rids: opts.recipientIds });
    await q.execute();
  }
}
