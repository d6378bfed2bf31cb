import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { Appearance } from '../appearances/appearance.entity';
import { AppearanceCancelledEvent, AppearanceCreatedEvent, AppearanceUpdatedEvent } from '../appearances/appearance-events';
import {
  AcknowledgementRecordedEvent,
  AcknowledgementsOverdueEvent,
  CriticalBriefingsSentEvent,
  DomainEvents,
  EscalationsSentEvent,
  IncidentRecordedEvent,
  IncidentsImportedEvent,
  RiskLevelRoseEvent,
} from '../common/domain-events';
import { iso } from '../common/time';
import { query, sql } from '../database/sql';
import { Institution } from '../institutions/institution.entity';
import { summariseAssessment } from '../notifications/assessment-summary';
import { NewDelivery, OutboxWriter } from '../notifications/outbox-writer';
import { RiskAssessment } from '../risk/risk-assessment.entity';
import { OfficeChat } from './office-chat.entity';
import { appearanceData, ChatPayload, WebhookBody, WebhookEventType } from './webhook-events';
import { WebhookEndpoint } from './webhook-endpoint.entity';

const IN_TX = { promisify: true, suppressErrors: false } as const;

/**
 * Turns domain events into webhook and chat deliveries in the emitting transaction (payload.manager),
 * one outbox row per (event, endpoint) or (event, office channel), keyed so that a replayed event or
 * a second instance writes none twice. Nothing is sent here.
 */
@Injectable()
export class WebhookEventsListener {
  constructor(private readonly outbox: OutboxWriter) {}

  @OnEvent(DomainEvents.AppearanceCreated, IN_TX)
  async onCreated(e: AppearanceCreatedEvent): Promise<void> {
    await this.toEndpoints(e.manager, 'appearance.created', e.appearance.id, e.at, appearanceData(e.appearance));
  }

  @OnEvent(DomainEvents.AppearanceUpdated, IN_TX)
  async onUpdated(e: AppearanceUpdatedEvent): Promise<void> {
    if (!e.rescheduled || e.after.status === 'cancelled') return;
    await this.toEndpoints(e.manager, 'appearance.rescheduled', `${e.after.id}:s${e.after.sequence}`, e.at, {
      ...appearanceData(e.after),
      previousStartsAt: iso(e.before.startsAt),
      previousEndsAt: iso(e.before.endsAt),
      previousTimeZone: e.before.timeZone,
    });
  }

  @OnEvent(DomainEvents.AppearanceCancelled, IN_TX)
  async onCancelled(e: AppearanceCancelledEvent): Promise<void> {
    await this.toEndpoints(e.manager, 'appearance.cancelled', `${e.appearance.id}:s${e.appearance.sequence}`, e.at, { ...appearanceData(e.appearance), reason: e.reason });
  }

  @OnEvent(DomainEvents.RiskLevelRose, IN_TX)
  async onRiskRose(e: RiskLevelRoseEvent): Promise<void> {
    // As for mail: the first assessment of a new appearance is a "rise" only when it is already High or worse.
    if (e.from === null && e.to !== 'high' && e.to !== 'critical') return;
    const a = await e.manager.getRepository(Appearance).findOneBy({ id: e.appearanceId });
    if (!a || a.startsAt <= e.at || a.status === 'cancelled' || a.status === 'completed') return;
    const rise = typeof e.previousSeq === 'number' ? `s${e.previousSeq}->${e.to}` : e.assessmentId;
    await this.toEndpoints(e.manager, 'risk.level_rose', `${a.id}:${rise}`, e.at, { ...appearanceData(a), assessmentId: e.assessmentId, from: e.from, to: e.to });
    await this.toChat(e.manager, a, `risk.level_rose:${a.id}:${rise}`, e.at, { type: 'risk.level_rose', level: e.to, from: e.from });
  }

  @OnEvent(DomainEvents.EscalationsSent, IN_TX)
  async onEscalationsSent(e: EscalationsSentEvent): Promise<void> {
    for (const n of e.notifications) {
      await this.toEndpoints(e.manager, 'escalation.sent', n.id, e.at, { notificationId: n.id, kind: n.kind, appearanceId: n.appearanceId, recipientId: n.recipientId, assessmentId: n.assessmentId });
    }
  }

  @OnEvent(DomainEvents.AcknowledgementRecorded, IN_TX)
  async onAcknowledged(e: AcknowledgementRecordedEvent): Promise<void> {
    await this.toEndpoints(e.manager, 'acknowledgement.recorded', e.notificationId, e.at, {
      notificationId: e.notificationId,
      kind: e.kind,
      appearanceId: e.appearanceId,
      acknowledgedById: e.acknowledgedById,
      acknowledgedAt: iso(e.at),
    });
  }

  @OnEvent(DomainEvents.AcknowledgementsOverdue, IN_TX)
  async onOverdue(e: AcknowledgementsOverdueEvent): Promise<void> {
    for (const o of e.overdue) {
      const key = `${o.appearanceId}:${o.warningKind}-${o.warningDueAt}`;
      await this.toEndpoints(e.manager, 'escalation.unacknowledged', key, e.at, {
        appearanceId: o.appearanceId,
        officeId: o.officeId,
        warningKind: o.warningKind,
        warnedAt: iso(o.firstSentAt),
        recipients: o.recipients,
        escalatedTo: o.escalatedTo,
      });
      const a = await e.manager.getRepository(Appearance).findOneBy({ id: o.appearanceId });
      if (!a) continue;
      const [latest] = await query<{ level: string }>(e.manager, sql`SELECT level FROM risk_assessments WHERE appearance_id = ${a.id} ORDER BY seq DESC LIMIT 1`);
      await this.toChat(e.manager, a, `escalation.unacknowledged:${key}`, e.at, { type: 'escalation.unacknowledged', level: latest?.level ?? null, recipients: o.recipients, warnedAt: o.firstSentAt });
    }
  }

  /**
   * A briefing went out at Critical: one chat post per appearance and run of Critical assessments
   * (keyed on the last assessment before the run that was not Critical), however many recipients,
   * offsets, batches or instances sent it; a drop below Critical and a new rise posts again.
   */
  @OnEvent(DomainEvents.CriticalBriefingsSent, IN_TX)
  async onCriticalBriefings(e: CriticalBriefingsSentEvent): Promise<void> {
    const first = new Map<string, CriticalBriefingsSentEvent['briefings'][number]>();
    for (const b of e.briefings) if (!first.has(b.appearanceId)) first.set(b.appearanceId, b);
    for (const b of first.values()) {
      // one after the other: both run on the transaction's one connection
      const a = await e.manager.getRepository(Appearance).findOneBy({ id: b.appearanceId });
      const asm = await e.manager.getRepository(RiskAssessment).findOne({ where: { id: b.assessmentId }, select: { id: true, seq: true, level: true, p: true, modelVersion: true, detail: true } });
      if (!a || !asm || asm.level !== 'critical' || a.startsAt <= e.at || a.status === 'cancelled' || a.status === 'completed') continue;
      const [before] = await query<{ s: number | string | null }>(
        e.manager,
        sql`SELECT MAX(seq) AS s FROM risk_assessments WHERE appearance_id = ${a.id} AND seq < ${asm.seq} AND level <> 'critical'`,
      );
      const run = `after-s${Number(before?.s ?? 0)}`;
      await this.toChat(e.manager, a, `briefing.critical:${a.id}:${run}`, e.at, {
        type: 'briefing.critical',
        level: 'critical',
        reasons: summariseAssessment(asm).reasons,
      });
    }
  }

  @OnEvent(DomainEvents.IncidentRecorded, IN_TX)
  async onIncident(e: IncidentRecordedEvent): Promise<void> {
    await this.incidents(e.manager, [e.incident], e.at);
  }

  /** A CSV import: the same event, once per created incident, written with the import's rows. */
  @OnEvent(DomainEvents.IncidentsImported, IN_TX)
  async onImported(e: IncidentsImportedEvent): Promise<void> {
    await this.incidents(e.manager, e.incidents, e.at);
  }

  private async incidents(m: EntityManager, list: IncidentRecordedEvent['incident'][], at: number): Promise<void> {
    const endpoints = await this.subscribed(m, 'incident.recorded');
    if (!endpoints.length || !list.length) return;
    const rows = list.flatMap((i) => {
      const body: WebhookBody = {
        type: 'incident.recorded',
        timestamp: iso(at) as string,
        data: {
          incidentId: i.id,
          institutionId: i.institutionId,
          appearanceId: i.appearanceId,
          kind: i.kind,
          severity: i.severity,
          occurredAt: iso(i.occurredAt),
          target: i.target,
          impact: i.impact,
          source: i.source,
        },
      };
      return endpoints.map((id) => this.delivery(id, 'incident.recorded', i.id, body));
    });
    await this.outbox.enqueueDeliveries(m, rows, at);
  }

  /** One delivery per active endpoint subscribed to the type. */
  private async toEndpoints(m: EntityManager, type: WebhookEventType, eventKey: string, at: number, data: Record<string, unknown>): Promise<void> {
    const body: WebhookBody = { type, timestamp: iso(at) as string, data };
    const rows = (await this.subscribed(m, type)).map((id) => this.delivery(id, type, eventKey, body));
    if (rows.length) await this.outbox.enqueueDeliveries(m, rows, at);
  }

  /** The active endpoints subscribed to a type. */
  private async subscribed(m: EntityManager, type: WebhookEventType): Promise<string[]> {
    const endpoints = await m.getRepository(WebhookEndpoint).find({ where: { active: true }, select: { id: true, eventTypes: true } });
    return endpoints.filter((ep) => ep.eventTypes.includes(type)).map((ep) => ep.id);
  }

  /** One endpoint's delivery of one event: the key makes a replay, or a second instance, write none twice. */
  private delivery(endpointId: string, type: WebhookEventType, eventKey: string, body: WebhookBody): NewDelivery {
    return { key: `webhook:${endpointId}:${type}:${eventKey}`, channel: 'webhook', targetId: endpointId, eventType: type, payload: body as unknown as Record<string, unknown> };
  }

  /** One post per chat channel the appearance's office has (Slack and/or Teams). */
  private async toChat(m: EntityManager, a: Appearance, eventKey: string, at: number, what: Pick<ChatPayload, 'type' | 'level' | 'from' | 'recipients' | 'warnedAt' | 'reasons'>): Promise<void> {
    const chat = await m.getRepository(OfficeChat).findOneBy({ officeId: a.officeId });
    if (!chat || (!chat.slackUrlCipher && !chat.teamsUrlCipher)) return;
    const institution = await m.getRepository(Institution).findOne({ where: { id: a.institutionId }, select: { id: true, name: true } });
    const payload: ChatPayload = { ...what, appearanceId: a.id, title: a.title, startsAt: a.startsAt, timeZone: a.timeZone, institutionName: institution?.name ?? '' };
    const rows: NewDelivery[] = [];
    if (chat.slackUrlCipher)
      rows.push({ key: `chat:${a.officeId}:slack:${eventKey}`, channel: 'slack', targetId: a.officeId, eventType: what.type, payload: payload as unknown as Record<string, unknown> });
    if (chat.teamsUrlCipher)
      rows.push({ key: `chat:${a.officeId}:teams:${eventKey}`, channel: 'teams', targetId: a.officeId, eventType: what.type, payload: payload as unknown as Record<string, unknown> });
    await this.outbox.enqueueDeliveries(m, rows, at);
  }
}
