import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/**
 * One state's share of the organisation-wide risk sums (own record, wave, 30-day count), exact as of
 * `asOf`, summed under the parameter set and topic relations named by `totalsKey`. Written in the
 * transaction that re-reads the state, read by every instance: a state-scoped re-assessment adds the
 * other states' rows (decayed to its as-of) to its own state's exact sums.
 */
@Entity('risk_state_totals')
export class RiskStateTotals {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  state: string;

  /** `version|affiliation mask|activity mask`: rows under another key were summed differently. */
  @Column({ type: 'varchar', length: 120, name: 'totals_key' })
  totalsKey: string;

  @MsColumn({ name: 'as_of' })
  asOf: number;

  @Column({ type: 'double precision' })
  n: number;

  @Column({ type: 'double precision' })
  k: number;

  @Column({ type: 'double precision' })
  s1: number;

  @Column({ type: 'double precision' })
  s2: number;

  @Column({ type: 'double precision' })
  s3: number;

  @Column({ type: 'double precision' })
  s4: number;

  @Column({ type: 'double precision' })
  wave: number;

  @Column({ type: 'integer', name: 'recent30' })
  recent30: number;
}
