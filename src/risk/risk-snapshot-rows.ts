/**
 * The stored snapshot row of one assessed appearance, and the multi-row INSERT that stores a chunk of
 * them (RiskService.store computes and inserts chunk by chunk, the insert of one overlapping the
 * computing of the next).
 */
import { EntityManager } from 'typeorm';
import { timeOrderedId } from '../common/ids';
import { AssessMemo, assessRisk, RiskEvidence } from './model';
import { query, sql } from '../database/sql';
import { GatherContext } from './evidence';
import { RiskAssessment } from './risk-assessment.entity';
import { Target } from './risk-targets';
import { detailJson, evidenceJson, resultColumns } from './risk.view';

/**
 * Snapshots per INSERT statement. Binding its parameters (14 a row) is one synchronous stretch of the
 * event loop: 500 rows took 5–16 ms, 125 a few ms (reads during a refresh wait for such stretches).
 */
export const INSERT_CHUNK = 125;
const COLUMNS = sql.raw('id, appearance_id, as_of, seq, trigger, model_version, p, p_severe, level, interval_low, interval_high, regional_wave, detail, created_at');

/** The snapshot of one appearance (not yet stored). */
export function snapshotRow(
  t: Target,
  evidence: Map<string, RiskEvidence>,
  evJsonByInstitution: Map<string, string>,
  cx: GatherContext,
  now: number,
  trigger: string,
  memo: AssessMemo,
  seq: number,
): RiskAssessment {
  const ev = evidence.get(t.institutionId) as RiskEvidence;
  let evJson = evJsonByInstitution.get(t.institutionId);
  if (evJson === undefined) evJsonByInstitution.set(t.institutionId, (evJson = evidenceJson(ev)));
  const lead = Math.max(0, t.startsAt - now);
  const r = assessRisk(ev, t.attrs, cx.params, lead, memo);
  const row = new RiskAssessment();
  Object.assign(row, {
    id: timeOrderedId(),
    appearanceId: t.id,
    asOf: now,
    seq,
    trigger,
    ...resultColumns(r),
    regionalWave: ev.stateWave,
    // serialised once here; toView parses it back for the one view a single assessment returns
    detail: detailJson(r, evJson, lead) as unknown as Record<string, unknown>,
    createdAt: now,
  });
  return row;
}

/** One multi-row INSERT of stored snapshots. */
export async function insertSnapshots(m: EntityManager, chunk: RiskAssessment[]): Promise<void> {
  const rows = chunk.map(
    (r) =>
      sql`(${r.id}, ${r.appearanceId}, ${r.asOf}, ${r.seq}, ${r.trigger}, ${r.modelVersion}, ${r.p}, ${r.pSevere}, ${r.level}, ${r.intervalLow}, ${r.intervalHigh}, ${r.regionalWave}, ${r.detail as unknown as string}, ${r.createdAt})`,
  );
  await query(m, sql`INSERT INTO risk_assessments (${COLUMNS}) VALUES ${sql.join(rows)}`);
}
