import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../common/base.entity';
import type { InstitutionKind } from '../common/enums';

/**
 * A university, college, police department, local government or community organisation.
 * Its reception is derived from the ledger (reception module), never typed here.
 */
@Entity('institutions')
@Index('uq_institutions_dedupe', ['dedupeKey'], { unique: true })
@Index('ix_institutions_search', ['searchName'])
@Index('ix_institutions_state_kind', ['state', 'kind'])
export class Institution extends BaseEntity {
  @Column({ type: 'varchar', length: 300 })
  name: string;

  /** Lower-case, punctuation-free, single-spaced name: what search and de-duplication compare. */
  @Column({ type: 'varchar', length: 300, name: 'search_name' })
  searchName: string;

  /** searchName|normalised city|STATE — unique. */
  @Column({ type: 'varchar', length: 500, name: 'dedupe_key' })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 32 })
  kind: InstitutionKind;

  @Column({ type: 'varchar', length: 120, default: '' })
  city: string;

  /** State or region code, upper-case (e.g. OH). */
  @Column({ type: 'varchar', length: 64, default: '' })
  state: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'varchar', length: 2, default: 'US' })
  country: string;

  @Column({ type: 'varchar', length: 64, name: 'time_zone' })
  timeZone: string;

  /** e.g. the College Scorecard / IPEDS unit id. */
  @Index('ix_institutions_external_id')
  @Column({ type: 'varchar', length: 64, name: 'external_id', nullable: true })
  externalId: string | null;

  /** Public / private nonprofit / private for-profit, where known (College Scorecard). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  ownership: string | null;

  /** Highest degree awarded (none, certificate, associate, bachelor, graduate), where known (College Scorecard). */
  @Column({ type: 'varchar', length: 20, name: 'highest_degree', nullable: true })
  highestDegree: string | null;

  @Column({ type: 'boolean', name: 'limits_immigration_cooperation', default: false })
  limitsImmigrationCooperation: boolean;

  @Column({ type: 'boolean', name: 'requires_advance_notice', default: false })
  requiresAdvanceNotice: boolean;

  @Column({ type: 'integer', name: 'advance_notice_days', nullable: true })
  advanceNoticeDays: number | null;

  @Column({ type: 'integer', default: 1 })
  version: number;
}
