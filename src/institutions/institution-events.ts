import type { InTransaction } from '../common/domain-events';

/**
 * DomainEvents.InstitutionStateChanged, emitted by InstitutionsService inside the transaction that
 * moved an institution to another state. Rows that keep a copy of the state (incidents: the
 * regional wave reads it) follow it in their owner's listener, before the risk is re-assessed.
 */
export interface InstitutionStateChangedEvent extends InTransaction {
  institutionId: string;
  from: string;
  to: string;
}
