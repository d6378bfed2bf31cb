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
