import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/**
 * A state whose upcoming appearances wait to be re-assessed: a write moved its regional wave and
 * re-assessed only its own institution (risk-pending-states.ts; RiskService.drainPendingStates).
 */
@Entity('risk_pending_states')
export class RiskPendingState {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  state: string;

  /** When it was last asked for: the oldest state is re-assessed first. */
  @MsColumn({ name: 'requested_at' })
  requestedAt: number;

  /** Requests so far: the re-assessment clears the row only if no request came in the meantime. */
  @Column({ type: 'integer' })
  generation: number;
}
