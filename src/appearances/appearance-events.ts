import type { InTransaction } from '../common/domain-events';
import type { Appearance } from './appearance.entity';

/** Payloads of the appearance events (names in common/domain-events.ts), emitted by AppearancesService. */

export interface AppearanceCreatedEvent extends InTransaction {
  appearance: Appearance;
  recruiterIds: string[];
}

export interface AppearanceUpdatedEvent extends InTransaction {
  before: Appearance;
  after: Appearance;
  recruitersBefore: string[];
  recruitersAfter: string[];
  /** startsAt, endsAt or timeZone changed. */
  rescheduled: boolean;
}

export interface AppearanceCancelledEvent extends InTransaction {
  appearance: Appearance;
  recruiterIds: string[];
  reason: string | null;
}

export interface AppearanceCompletedEvent extends InTransaction {
  appearance: Appearance;
  recruiterIds: string[];
}
