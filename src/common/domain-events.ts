import type { EntityManager } from 'typeorm';
import type { RiskLevel } from './enums';

/**
 * Domain events. They are emitted INSIDE the transaction that made the change, with
 * `await events.emitAsync(NAME, payload)`, and carry that transaction's EntityManager, so a listener
 * (e.g. the notification outbox) writes its rows in the same transaction: both commit or neither.
 * Listeners use `@OnEvent(NAME, { promisify: true, suppressErrors: false })`, must use
 * `payload.manager` for every query, and must not send anything (sending happens after commit, in
 * the dispatcher). A listener error rolls the whole change back. Each payload type lives with the
 * module that emits it (appearances/appearance-events.ts, institutions/institution-events.ts; the
 * risk one below).
 */
export const DomainEvents = {
  AppearanceCreated: 'appearance.created',
  AppearanceUpdated: 'appearance.updated',
  AppearanceCancelled: 'appearance.cancelled',
  AppearanceCompleted: 'appearance.completed',
  RiskLevelRose: 'risk.level-rose',
  IncidentRecorded: 'incident.recorded',
  /** Incidents created by a CSV import (in chunks), in the import's commit transaction. */
  IncidentsImported: 'incident.imported',
  /** An escalation or acknowledgement escalation e-mail was accepted by the relay (recorded as sent). */
  EscalationsSent: 'notification.escalations-sent',
  /** Briefing e-mails rendered at Critical were accepted by the relay (recorded as sent). */
  CriticalBriefingsSent: 'notification.critical-briefings-sent',
  AcknowledgementRecorded: 'notification.acknowledged',
  /** High/Critical warnings nobody acknowledged in time were escalated to the coordinators. */
  AcknowledgementsOverdue: 'notification.acknowledgements-overdue',
  InstitutionStateChanged: 'institution.state-changed',
} as const;

export interface InTransaction {
  manager: EntityManager;
  actorId: string | null;
  /** Clock time of the change (epoch ms). */
  at: number;
}

export interface RiskLevelRoseEvent extends InTransaction {
  appearanceId: string;
  assessmentId: string;
  from: RiskLevel | null;
  to: RiskLevel;
  /**
   * seq of the snapshot the level rose from (0 when there was none). With `to` it identifies the
   * rise itself, whichever instance or concurrent re-assessment stored the new snapshot, so
   * listeners key on it (not on assessmentId) to alert once. Optional for older emitters.
   */
  previousSeq?: number | null;
}

export interface IncidentRecordedEvent extends InTransaction {
  /** Structured facts only: never the description (free text). */
  incident: {
    id: string;
    institutionId: string;
    appearanceId: string | null;
    kind: string;
    severity: number;
    occurredAt: number;
    target: string;
    impact: string;
    source: string;
  };
}

export interface IncidentsImportedEvent extends InTransaction {
  /** As IncidentRecordedEvent's, one per created incident (rows that matched an earlier import are not here). */
  incidents: IncidentRecordedEvent['incident'][];
}

export interface EscalationsSentEvent extends InTransaction {
  notifications: { id: string; kind: 'escalation' | 'ack_escalation'; appearanceId: string | null; recipientId: string; assessmentId: string | null }[];
}

export interface CriticalBriefingsSentEvent extends InTransaction {
  /** One per mail (several recipients of one appearance share its assessment). */
  briefings: { id: string; appearanceId: string; assessmentId: string }[];
}

export interface AcknowledgementRecordedEvent extends InTransaction {
  notificationId: string;
  appearanceId: string | null;
  kind: string;
  acknowledgedById: string;
}

export interface AcknowledgementsOverdueEvent extends InTransaction {
  overdue: { appearanceId: string; officeId: string; warningKind: string; warningDueAt: number; firstSentAt: number; recipients: number; escalatedTo: number }[];
}
