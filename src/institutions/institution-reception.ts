import type { ReceptionSummaryView } from './dto/institution.dto';

/**
 * What an institution's answers need from the reception ledger: its derived reception (current
 * stance, since when, 12-month trend). The reception module owns the ledger and the derivation and
 * provides this (reception/reception.module.ts); institutions only ask, so the dependency runs one
 * way (reception → institutions).
 */
export abstract class InstitutionReception {
  /** Set-based: one read for all of `institutionIds`, as of `now` (epoch ms); every id is in the answer. */
  abstract summaries(institutionIds: string[], now: number): Promise<Map<string, ReceptionSummaryView>>;
}
