import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Stance, STANCES } from '../common/enums';
import { iso } from '../common/time';
import { InstitutionReception } from '../institutions/institution-reception';
import { ReceptionEntry } from './reception-entry.entity';
import { DatabaseService } from '../database/database.service';
import { plainText } from '../database/sql';
import { entryInForce } from './reception-sql';

export type Trend = 'better' | 'same' | 'worse';

export interface ReceptionSummary {
  institutionId: string;
  currentStance: Stance | null;
  stanceSince: string | null;
  trend: Trend | null;
  entries: number;
  lastEntryAt: string | null;
}

export type SummaryInput = Pick<ReceptionEntry, 'id' | 'stance' | 'effectiveAt' | 'recordedAt'>;

const TREND_WINDOW_MS = 365 * 86_400_000;

const byTime = (a: SummaryInput, b: SummaryInput) => a.effectiveAt - b.effectiveAt || a.recordedAt - b.recordedAt || (a.id < b.id ? -1 : 1);

/**
 * Pure: the stance derived from the entries in force (superseded entries already removed).
 * Current stance = the latest entry by effective date; `stanceSince` = when the stance last
 * changed to that value; trend = current vs the stance in force 12 months before `now`
 * (or the earliest entry in the window when nothing was in force then). Stances are ordered
 * welcoming (best) … hostile (worst).
 */
export function summarise(institutionId: string, inForce: SummaryInput[], now: number): ReceptionSummary {
  const entries = [...inForce].filter((e) => e.effectiveAt <= now).sort(byTime);
  if (!entries.length) return { institutionId, currentStance: null, stanceSince: null, trend: null, entries: inForce.length, lastEntryAt: null };
  const current = entries[entries.length - 1];
  let since = current.effectiveAt;
  for (let i = entries.length - 2; i >= 0 && entries[i].stance === current.stance; i--) since = entries[i].effectiveAt;
  const cutoff = now - TREND_WINDOW_MS;
  const before = entries.filter((e) => e.effectiveAt <= cutoff);
  const baseline = before.length ? before[before.length - 1] : entries[0];
  const delta = STANCES.indexOf(current.stance) - STANCES.indexOf(baseline.stance);
  return {
    institutionId,
    currentStance: current.stance,
    stanceSince: iso(since),
    trend: delta < 0 ? 'better' : delta > 0 ? 'worse' : 'same',
    entries: inForce.length,
    lastEntryAt: iso(current.effectiveAt),
  };
}

/**
 * Set-based: the reception summary of many institutions with one query per 500 ids.
 * Institutions with no entries get a summary with currentStance null. Usable inside a transaction.
 */
export async function receptionSummaries(manager: EntityManager, institutionIds: string[], now: number): Promise<Map<string, ReceptionSummary>> {
  const ids = [...new Set(institutionIds)];
  const grouped = new Map<string, SummaryInput[]>(ids.map((id) => [id, []]));
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows: Array<{ id: string; institution_id: string; stance: Stance; effective_at: string | number; recorded_at: string | number }> = await manager
      .createQueryBuilder()
      .select(['e.id AS id', 'e.institution_id AS institution_id', 'e.stance AS stance', 'e.effective_at AS effective_at', 'e.recorded_at AS recorded_at'])
      .from(ReceptionEntry, 'e')
      .where('e.institution_id IN (:...chunk)', { chunk })
      .andWhere(plainText(entryInForce('e')))
      .getRawMany();
    for (const r of rows) {
      grouped.get(r.institution_id)?.push({ id: r.id, stance: r.stance, effectiveAt: Number(r.effective_at), recordedAt: Number(r.recorded_at) });
    }
  }
  const out = new Map<string, ReceptionSummary>();
  for (const [id, entries] of grouped) out.set(id, summarise(id, entries, now));
  return out;
}

/** The institutions module's view of the ledger (InstitutionReception), answered from reception_entries. */
@Injectable()
export class LedgerReception extends InstitutionReception {
  constructor(private readonly db: DatabaseService) {
    super();
  }

  summaries(institutionIds: string[], now: number): Promise<Map<string, ReceptionSummary>> {
    return this.db.read(async (m) => {
      return receptionSummaries(m, institutionIds, now);
    });
  }
}
