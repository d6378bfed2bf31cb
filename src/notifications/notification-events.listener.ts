import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EntityManager, LessThanOrEqual } from 'typeorm';
import { Appearance } from '../appearances/appearance.entity';
import { AppearanceRecruiter } from '../appearances/appearance-recruiter.entity';
import { AppearanceCancelledEvent, AppearanceCompletedEvent, AppearanceCreatedEvent, AppearanceUpdatedEvent } from '../appearances/appearance-events';
import { DomainEvents, RiskLevelRoseEvent } from '../common/domain-events';
import { Notification } from './notification.entity';
import { OutboxWriter } from './outbox-writer';

const IN_TX = { promisify: true, suppressErrors: false } as const;

/**
 * Turns domain events into outbox rows, inside the emitting transaction (payload.manager): the rows
 * commit with the change or not at all. Nothing is sent here.
 */
@Injectable()
export class NotificationEventsListener {
  constructor(private readonly outbox: OutboxWriter) {}

  @OnEvent(DomainEvents.AppearanceCreated, IN_TX)
  async onCreated(e: AppearanceCreatedEvent): Promise<void> {
    const team = await this.outbox.team(e.manager, e.appearance.officeId, e.recruiterIds);
    await this.outbox.reconcileBriefings(e.manager, e.appearance, team, e.at);
    // Already High or Critical when planned, with a briefing due at once (an offset is past): that
    // briefing carries the level and the one acknowledge link, so the "level rose" escalation written
    // by the first assessment would be a second, near-identical mail — it is withdrawn.
    const briefedNow = await e.manager.getRepository(Notification).exists({ where: { appearanceId: e.appearance.id, kind: 'briefing', status: 'pending', dueAt: LessThanOrEqual(e.at) } });
    if (briefedNow) await this.outbox.withdraw(e.manager, e.appearance.id, e.at, { kinds: ['escalation'] });
  }

  @OnEvent(DomainEvents.AppearanceUpdated, IN_TX)
  async onUpdated(e: AppearanceUpdatedEvent): Promise<void> {
    const a = e.after;
    if (a.status === 'cancelled') return; // the cancellation event handles it
    const team = await this.outbox.team(e.manager, a.officeId, e.recruitersAfter);
    await this.outbox.reconcileBriefings(e.manager, a, team, e.at);
    const removed = e.recruitersBefore.filter((id) => !e.recruitersAfter.includes(id));
    if (removed.length) {
      await this.outbox.withdraw(e.manager, a.id, e.at, { recipientIds: removed });
      const gone = await this.outbox.users(e.manager, removed);
      await this.outbox.enqueue(
        e.manager,
        gone.map((r) => ({ key: `cancellation:${a.id}:unassigned-s${a.sequence}:${r.id}`, kind: 'cancellation', recipient: r, appearanceId: a.id, dueAt: e.at, payload: { unassigned: true } })),
        e.at,
      );
    }
    if (e.rescheduled && a.startsAt > e.at && a.status !== 'completed') {
      // An older, still-unsent "moved" mail would carry a stale time: only the latest goes out.
      await this.outbox.withdraw(e.manager, a.id, e.at, { kinds: ['reschedule'] });
      await this.outbox.enqueue(
        e.manager,
        team.map((r) => ({
          key: `reschedule:${a.id}:s${a.sequence}:${r.id}`,
          kind: 'reschedule',
          recipient: r,
          appearanceId: a.id,
          dueAt: e.at,
          payload: { previousStartsAt: e.before.startsAt, previousTimeZone: e.before.timeZone, sequence: a.sequence },
        })),
        e.at,
      );
    }
  }

  @OnEvent(DomainEvents.AppearanceCancelled, IN_TX)
  async onCancelled(e: AppearanceCancelledEvent): Promise<void> {
    const a = e.appearance;
    await this.outbox.withdraw(e.manager, a.id, e.at, { kinds: ['briefing', 'escalation', 'ack_escalation', 'reschedule', 'debrief_request'] });
    const team = await this.outbox.team(e.manager, a.officeId, e.recruiterIds);
    await this.outbox.enqueue(
      e.manager,
      team.map((r) => ({ key: `cancellation:${a.id}:s${a.sequence}:${r.id}`, kind: 'cancellation', recipient: r, appearanceId: a.id, dueAt: e.at, payload: { reason: e.reason } })),
      e.at,
    );
  }

  @OnEvent(DomainEvents.AppearanceCompleted, IN_TX)
  async onCompleted(e: AppearanceCompletedEvent): Promise<void> {
    const a = e.appearance;
    await this.outbox.withdraw(e.manager, a.id, e.at, { kinds: ['briefing', 'reschedule', 'escalation'] });
    const recruiters = await this.outbox.users(e.manager, e.recruiterIds);
    await this.outbox.enqueue(
      e.manager,
      recruiters.map((r) => debriefRow(a, r, Math.max(e.at, a.endsAt))),
      e.at,
    );
  }

  @OnEvent(DomainEvents.RiskLevelRose, IN_TX)
  async onRiskRose(e: RiskLevelRoseEvent): Promise<void> {
    // The first assessment of a new appearance is not a "rise" unless it is already High or worse.
    if (e.from === null && e.to !== 'high' && e.to !== 'critical') return;
    const a = await e.manager.getRepository(Appearance).findOneBy({ id: e.appearanceId });
    if (!a || a.startsAt <= e.at || a.status === 'cancelled' || a.status === 'completed') return;
    const team = await this.outbox.team(e.manager, a.officeId, await recruiterIds(e.manager, a.id));
    // One alert per rise (previous snapshot → level) and recipient: two instances or concurrent
    // re-assessments that store different snapshots for the same rise share the key.
    const rise = typeof e.previousSeq === 'number' ? `s${e.previousSeq}->${e.to}` : e.assessmentId;
    await this.outbox.enqueue(
      e.manager,
      team.map((r) => ({
        key: `escalation:${a.id}:${rise}:${r.id}`,
        kind: 'escalation',
        recipient: r,
        appearanceId: a.id,
        assessmentId: e.assessmentId,
        dueAt: e.at,
        payload: { from: e.from, to: e.to },
      })),
      e.at,
    );
  }
}

export async function recruiterIds(m: EntityManager, appearanceId: string): Promise<string[]> {
  const rows = await m.getRepository(AppearanceRecruiter).find({ where: { appearanceId }, select: { userId: true } });
  return rows.map((r) => r.userId);
}

export function debriefRow(a: Pick<Appearance, 'id'>, r: { id: string; email: string; mutedKinds: string[] }, dueAt: number) {
  return { key: `debrief_request:${a.id}:end:${r.id}`, kind: 'debrief_request' as const, recipient: r, appearanceId: a.id, dueAt, payload: {} };
}
