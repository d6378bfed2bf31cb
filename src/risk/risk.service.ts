import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { ConfigType } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainEvents, RiskLevelRoseEvent } from '../common/domain-events';
import { NotFoundError } from '../common/errors';
import { riskConfig } from '../config/risk.config';
import { DatabaseService } from '../database/database.service';
import { query, Sql, sql } from '../database/sql';
import { addTotals, decayTotals, emptyTotals, Gathered, GatherContext, gatherEvidence, GatherOptions, StateTotals } from './evidence';
import { AssessMemo, DAY, levelRank, RiskEvidence } from './model';
import { ParameterSetView, RiskParametersService } from './risk-parameters.service';
import { RiskAssessment } from './risk-assessment.entity';
import { REFRESH_LOCK_KEY } from './risk-locks';
import { PendingState, PendingStateDrain, requestState } from './risk-pending-states';
import { readStateTotals, totalsKey, writeStateTotals } from './risk-state-totals';
import { listScope, loadScope, Previous, Target, uniqueInstitutions } from './risk-targets';
import { INSERT_CHUNK, insertSnapshots, snapshotRow } from './risk-snapshot-rows';
import { RiskAssessmentView, toView } from './risk.view';

export interface BatchResult {
  assessed: number;
  levelRises: number;
  /**
   * true when the state's wave term moved: the state's other upcoming appearances are then
   * re-assessed right after the commit (statePending names the state; RiskService.drainPendingStates).
   */
  waveMoved?: boolean;
  statePending?: string;
}

type Row = Record<string, unknown>;
/** Stored snapshots (views are built only where one is returned: a batch needs counts). */
type Stored = { rows: RiskAssessment[]; rises: number };
const UPCOMING = sql`a.status IN ('planned', 'confirmed')`;
/**
 * Longest stretch of computing in a batch before it yields to the event loop. A read waits for a
 * turn of the loop at each round trip to its connection, so this bounds how long it waits behind the
 * batch (at 8 ms, reads during a 10,000-snapshot refresh had a p99 of ~120 ms; bench/reads-during-write).
 */
const SLICE_MS = 3;
/**
 * Appearances read per statement in a refresh chunk: converting a result into rows is one stretch of
 * the event loop, ~2,000 rows a 20–50 ms one; 250 keeps it to a few ms. Read in id order, so on
 * PostgreSQL the rows are locked in one global order across the statements (as lockScope orders them).
 */
const LOAD_CHUNK = 250;
/** Appearances per transaction of the daily refresh (other writers get the database between chunks; 2,000 keeps each hold to a few hundred ms — at 500 the commits cost 0.6 s of a 10,000-appearance refresh, bench/risk.bench.ts). */
const REFRESH_CHUNK = 2000;

/**
 * Assesses appearances: gathers evidence set-based (one evidence pass per batch), runs the pure
 * model, stores immutable snapshots with one multi-row INSERT per INSERT_CHUNK (125), and emits RiskLevelRose in
 * the caller's transaction when an upcoming appearance's level rises.
 */
@Injectable()
export class RiskService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RiskService.name);
  private readonly pending: PendingStateDrain;
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
    private readonly parameters: RiskParametersService,
    @Inject(riskConfig.KEY) private readonly config: ConfigType<typeof riskConfig>,
  ) {
    this.pending = new PendingStateDrain(db, this.logger, (m, p) => this.reassessPendingState(m, p));
  }

  /** Assess one appearance now (as-of = clock), store the snapshot, return its view. */
  async assessAppearance(manager: EntityManager, appearanceId: string, trigger: string, actorId: string | null = null): Promise<RiskAssessmentView> {
    const { rows } = await this.assessWhere(manager, sql`a.id = ${appearanceId}`, trigger, actorId);
    if (!rows.length) throw new NotFoundError('Appearance', appearanceId, 'appearanceId');
    return toView(rows[0]);
  }

  /**
   * Re-assess every upcoming appearance at the institution. When the regional wave W_s of its state
   * moved (by ≥ params.waveEpsilon vs the state's last snapshots), the state is recorded in
   * risk_pending_states in this transaction and its other upcoming appearances are re-assessed
   * after the commit (drainPendingStates). Call it inside DatabaseService.write.
   */
  async reassessInstitution(manager: EntityManager, institutionId: string, trigger: string, actorId: string | null = null): Promise<BatchResult> {
    const now = this.clock.now();
    const inst = await query<Row>(manager, sql`SELECT id, state FROM institutions WHERE id = ${institutionId}`);
    if (!inst.length) throw new NotFoundError('Institution', institutionId, 'institutionId');
    const state = String(inst[0].state ?? '');
    // The institution is in its state: one index-driven scope covers both (appearances by institution).
    const scope = sql`${UPCOMING} AND a.starts_at > ${now} AND a.institution_id IN (SELECT s.id FROM institutions s WHERE s.state = ${state})`;
    const { targets, previous } = await loadScope(manager, scope);
    const cx = await this.parameters.context(manager);
    // the institution's evidence and its state's sums (its wave among them)
    const gathered = await this.gather(manager, cx, now, [{ id: institutionId, state }], state);
    const evidence = gathered.byInstitution;
    const wave = evidence.get(institutionId)?.stateWave ?? 0;
    const waveMoved = targets.some((t) => {
      const prev = previous.get(t.id);
      // the wave enters the model as log(1 + W): compare on that scale (natural decay alone moves it by Δt/14 d at most)
      return t.institutionId !== institutionId && (!prev || Math.abs(Math.log1p(prev.wave) - Math.log1p(wave)) >= cx.params.waveEpsilon);
    });
    // The state's other appearances follow right after the commit, in a write of their own (a
    // state-wide pass is ~200 snapshots, too many to hold the request and the write lock for); the
    // request is recorded here, in this transaction, so it survives a crash and a rollback undoes it.
    if (waveMoved) {
      await requestState(manager, state, now);
      this.db.afterCommit(() => this.pending.soon());
    }
    const own = targets.filter((t) => t.institutionId === institutionId);
    const { rows, rises } = await this.store(manager, cx, own, previous, evidence, now, trigger, actorId);
    return { assessed: rows.length, levelRises: rises, waveMoved, ...(waveMoved ? { statePending: state } : {}) };
  }

  /**
   * Re-assesses the states waiting in risk_pending_states (PendingStateDrain: oldest first, one write
   * per state, a failing state left for the next drain). Called after the commit of the write that
   * asked, and by RiskScheduler every few seconds. Returns the appearances assessed.
   */
  drainPendingStates(): Promise<number> {
    return this.pending.drain();
  }

  /** Waits for a drain in flight and starts no other (the app is closing; what waits stays recorded). */
  beforeApplicationShutdown(): Promise<void> {
    return this.pending.close();
  }

  /**
   * The state's upcoming appearances whose last snapshot holds another wave than the state's now (by
   * ≥ waveEpsilon, the test that asked for the state), or none: those a request's own institution and
   * an earlier drain already re-assessed with this wave are left as they are. Chosen by the wave, not
   * by when snapshots were made: a snapshot made after the request may still have been computed
   * without its incident (a writer that held the rows first, a clock ahead).
   */
  private async reassessPendingState(m: EntityManager, pending: PendingState): Promise<number> {
    const now = this.clock.now();
    const scope = sql`${UPCOMING} AND a.starts_at > ${now} AND a.institution_id IN (SELECT s.id FROM institutions s WHERE s.state = ${pending.state})`;
    const { targets, previous } = await loadScope(m, scope);
    if (!targets.length) return 0;
    const cx = await this.parameters.context(m);
    const evidence = (await this.gather(m, cx, now, uniqueInstitutions(targets), pending.state)).byInstitution;
    const moved = targets.filter((t) => {
      const prev = previous.get(t.id);
      const wave = evidence.get(t.institutionId)?.stateWave ?? 0;
      return !prev || Math.abs(Math.log1p(prev.wave) - Math.log1p(wave)) >= cx.params.waveEpsilon;
    });
    if (!moved.length) return 0;
    const { rows } = await this.store(m, cx, moved, previous, evidence, now, 'state_wave', null);
    return rows.length;
  }

  /**
   * Bulk form for imports: every upcoming appearance in the states of these institutions, with one
   * evidence pass over everything (cheaper than one state-scoped pass per institution).
   */
  async reassessInstitutions(manager: EntityManager, institutionIds: string[], trigger: string, actorId: string | null = null): Promise<BatchResult> {
    const ids = [...new Set(institutionIds)];
    if (ids.length === 0) return { assessed: 0, levelRises: 0 };
    if (ids.length === 1) return this.reassessInstitution(manager, ids[0], trigger, actorId);
    const now = this.clock.now();
    const states: string[] = [];
    for (let i = 0; i < ids.length; i += 5000) {
      const chunk = ids.slice(i, i + 5000);
      const rows = await query<Row>(manager, sql`SELECT DISTINCT state FROM institutions WHERE ${sql.in(sql`id`, chunk)}`);
      for (const r of rows) states.push(String(r.state ?? ''));
    }
    const uniq = [...new Set(states)];
    const scope = sql`${UPCOMING} AND a.starts_at > ${now} AND a.institution_id IN (SELECT s.id FROM institutions s WHERE ${sql.in(sql`s.state`, uniq)})`;
    const { targets, previous } = await loadScope(manager, scope);
    if (!targets.length) return { assessed: 0, levelRises: 0 };
    const cx = await this.parameters.context(manager);
    const evidence = (await this.gather(manager, cx, now, uniqueInstitutions(targets))).byInstitution;
    const { rows, rises } = await this.store(manager, cx, targets, previous, evidence, now, trigger, actorId);
    return { assessed: rows.length, levelRises: rises, waveMoved: true };
  }

  /**
   * Daily full refresh: every upcoming appearance within the horizon. One evidence pass, in the
   * write of the first chunk (its aggregates side by side: on SQLite on the read-only connections, on
   * PostgreSQL on other connections of the pool), then the snapshots are stored REFRESH_CHUNK
   * appearances per write, so other writers (SQLite has one) get the database between chunks. On
   * PostgreSQL a session advisory lock makes sure only one instance runs it: another one finds it
   * taken and skips, and with `unlessRanSince` one that comes later finds the run's snapshots and
   * skips too.
   */
  async refreshAll(trigger = 'daily_refresh', opts: { unlessRanSince?: number; chunkSize?: number } = {}): Promise<BatchResult & { skipped?: boolean }> {
    // called inside another write (which may have written), its evidence pass must read in that write
    const nested = this.db.inside();
    const ran = await this.db.withJobLock(REFRESH_LOCK_KEY, async (): Promise<BatchResult & { skipped?: boolean }> => {
      // checked under the lock: an instance that starts after another one finished this run stops here
      if (opts.unlessRanSince !== undefined && (await this.ranSince(trigger, opts.unlessRanSince))) return { assessed: 0, levelRises: 0, skipped: true };
      const now = this.clock.now();
      const until = now + this.config.refreshHorizonDays * DAY;
      const scope = sql`${UPCOMING} AND a.starts_at > ${now} AND a.starts_at <= ${until}`;
      const cx = await this.parameters.context();
      let all: { id: string; institutionId: string; state: string }[] = [];
      let evidence = new Map<string, RiskEvidence>();
      let assessed = 0;
      let levelRises = 0;
      const chunk = Math.max(1, Math.min(opts.chunkSize ?? REFRESH_CHUNK, REFRESH_CHUNK));
      const memo = new AssessMemo();
      const assessChunk = async (m: EntityManager, ids: string[]) => {
        // each chunk reads its appearances (and their latest snapshots) in its own transaction: one
        // may have been cancelled, moved or re-assessed by another writer since the evidence pass
        const sorted = [...ids].sort(); // ids are ASCII: code-unit order is byte order, as COLLATE "C"
        const targets: Target[] = [];
        const previous = new Map<string, Previous>();
        for (let j = 0; j < sorted.length; j += LOAD_CHUNK) {
          const part = await loadScope(m, sql`${scope} AND ${sql.in(sql`a.id`, sorted.slice(j, j + LOAD_CHUNK))}`);
          for (const t of part.targets) if (evidence.has(t.institutionId)) targets.push(t);
          for (const [id, p] of part.previous) previous.set(id, p);
        }
        if (!targets.length) return;
        const { rows, rises } = await this.store(m, cx, targets, previous, evidence, now, trigger, null, memo);
        assessed += rows.length;
        levelRises += rises;
      };
      // the evidence pass (its statements as of one instant) in the transaction of the first chunk,
      // which also writes every state's totals: a rollback takes both back
      await this.db.write(async (m) => {
        all = await listScope(m, scope);
        if (!all.length) return;
        // nothing written or locked yet: the long aggregates run side by side (DatabaseService.besideWrite)
        evidence = (await this.gather(m, cx, now, uniqueInstitutions(all), undefined, nested ? undefined : (this.db.besideWrite() ?? undefined))).byInstitution;
        await assessChunk(
          m,
          all.slice(0, chunk).map((t) => t.id),
        );
      });
      for (let i = chunk; i < all.length; i += chunk) {
        const ids = all.slice(i, i + chunk).map((t) => t.id);
        await this.db.write((m) => assessChunk(m, ids));
      }
      // SQLite: the refresh wrote ~2 KB per appearance to the WAL; copy it into the database now, so
      // the next request's COMMIT does not pay the auto-checkpoint (no-op outside WAL mode)
      await this.db.checkpoint();
      this.logger.log(`risk refresh (${trigger}): ${assessed} appearances, ${levelRises} level rises`);
      return { assessed, levelRises };
    });
    if (ran) return ran;
    this.logger.log('risk refresh is running on another instance; skipped');
    return { assessed: 0, levelRises: 0, skipped: true };
  }

  /** Whether a snapshot with this trigger was stored at or after `since` (the scheduler's "already ran"). */
  async ranSince(trigger: string, since: number): Promise<boolean> {
    return this.db.read(async (m) => {
      // ix_risk_created bounds the read to the snapshots written since then
      const rows = await query(m, sql`SELECT 1 AS x FROM risk_assessments r WHERE r.created_at >= ${Math.trunc(since)} AND r.trigger = ${trigger} LIMIT 1`);
      return rows.length > 0;
    });
  }

  /** The latest snapshot, or null. */
  async latestView(appearanceId: string, manager?: EntityManager): Promise<RiskAssessmentView | null> {
    if (!manager) return this.db.read((m) => this.latestView(appearanceId, m));
    const row = await manager.getRepository(RiskAssessment).findOne({ where: { appearanceId }, order: { seq: 'DESC', createdAt: 'DESC' } });
    return row ? toView(row) : null;
  }

  /** The latest snapshot, computing one (trigger on_demand) if there is none yet. */
  async latestOrAssess(appearanceId: string, actorId: string | null): Promise<RiskAssessmentView> {
    const latest = await this.latestView(appearanceId);
    if (latest) return latest;
    return this.db.write((m) => this.assessAppearance(m, appearanceId, 'on_demand', actorId));
  }

  /** Every snapshot, newest first. */
  async history(appearanceId: string, limit: number, offset: number): Promise<{ items: RiskAssessmentView[]; total: number }> {
    return this.db.read(async (m) => {
      const exists = await query(m, sql`SELECT id FROM appearances WHERE id = ${appearanceId}`);
      if (!exists.length) throw new NotFoundError('Appearance', appearanceId, 'id');
      const [rows, total] = await m.getRepository(RiskAssessment).findAndCount({ where: { appearanceId }, order: { seq: 'DESC', createdAt: 'DESC' }, take: limit, skip: offset });
      return { items: rows.map(toView), total };
    });
  }

  parameterSets(): Promise<ParameterSetView[]> {
    return this.parameters.list();
  }

  /** Activate a parameter set, then re-assess every upcoming appearance with it. */
  async activateParameters(version: string, actorId: string, force = false): Promise<{ from: string; to: string; reassessed: number }> {
    const changed = await this.db.write((m) => this.parameters.activate(m, version, actorId, force));
    const { assessed } = await this.refreshAll('parameters_activated');
    return { ...changed, reassessed: assessed };
  }

  topicRelations(): Promise<Record<string, string>> {
    return this.parameters.topicRelations();
  }

  /** Change topic relations, then re-assess every upcoming appearance. */
  async setTopicRelations(changes: Record<string, unknown>, actorId: string): Promise<{ relations: Record<string, string>; reassessed: number }> {
    const relations = await this.db.write((m) => this.parameters.setTopicRelations(m, changes, actorId));
    const { assessed } = await this.refreshAll('topic_relations_changed');
    return { relations, reassessed: assessed };
  }

  // ---------------------------------------------------------------------------------------------

  private async assessWhere(m: EntityManager, where: Sql, trigger: string, actorId: string | null): Promise<Stored> {
    const now = this.clock.now();
    const { targets, previous } = await loadScope(m, where);
    if (!targets.length) return { rows: [], rises: 0 };
    const insts = uniqueInstitutions(targets);
    const oneState = insts.every((i) => i.state === insts[0].state);
    const cx = await this.parameters.context(m);
    const evidence = (await this.gather(m, cx, now, insts, oneState && insts.length <= 500 ? insts[0].state : undefined)).byInstitution;
    return this.store(m, cx, targets, previous, evidence, now, trigger, actorId);
  }

  /**
   * Evidence at `now`. With `state`: only that state is read (exact institution and state sums) and
   * the organisation-wide sums are that state's exact sums plus every other state's stored totals
   * (risk_state_totals), decayed exactly to `now`. Each state's row is as fresh as the last pass
   * that read the state: every write re-assesses its own state, so the row of the state written to
   * is always exact. The pass writes its state's row in `m`, the caller's transaction, so a rollback
   * undoes it and every instance reads the same rows. Other states' rows are renewed in the
   * background (renewStaleState, one state per tick of RiskScheduler on any instance once older
   * than RISK_ORG_CACHE_SECONDS), never on a request's path; a full pass (daily refresh, imports)
   * renews them all. Without `state` (or with RISK_ORG_CACHE_SECONDS = 0, no rows yet, rows of
   * another parameter set or topic relations, or a clock behind a row): one pass over everything,
   * which also rewrites every row.
   */
  private async gather(m: EntityManager, cx: GatherContext, now: number, insts: { id: string; state: string }[], state?: string, beside?: GatherOptions['beside']): Promise<Gathered> {
    const key = totalsKey(cx);
    if (state !== undefined && this.config.orgCacheSeconds > 0) {
      const stored = await readStateTotals(m);
      const usable = stored.size > 0 && [...stored.values()].every((t) => t.key === key && t.asOf <= now);
      if (usable) {
        let otherStates = emptyTotals();
        for (const [st, t] of stored) if (st !== state) otherStates = addTotals(otherStates, decayTotals(t, now, cx.params));
        const g = await gatherEvidence(m, now, insts, cx, { scopeState: { state, otherStates } });
        await writeStateTotals(m, key, now, new Map([[state, g.states.get(state) as StateTotals]]));
        return g;
      }
    }
    const g = await gatherEvidence(m, now, insts, cx, { beside });
    await writeStateTotals(m, key, now, g.states, true);
    return g;
  }

  /**
   * Re-reads the state whose stored totals are oldest, if older than RISK_ORG_CACHE_SECONDS (one
   * state: a few ms), and writes them in the same transaction. Called by RiskScheduler every few
   * seconds, so no request pays for keeping other states fresh. Returns the state renewed, or null.
   */
  async renewStaleState(): Promise<string | null> {
    const now = this.clock.now();
    const cx = await this.parameters.context();
    const key = totalsKey(cx);
    return this.db.write(async (m) => {
      let oldest: [string, number] | null = null;
      for (const [st, t] of await readStateTotals(m)) {
        if (t.key === key && t.asOf <= now && now - t.asOf > this.config.orgCacheSeconds * 1000 && (!oldest || t.asOf < oldest[1])) oldest = [st, t.asOf];
      }
      if (!oldest) return null;
      const state = oldest[0];
      const g = await gatherEvidence(m, now, [], cx, { scopeState: { state, otherStates: emptyTotals() } });
      // a request's own-state pass may have renewed it meanwhile, with a later as-of: that row stays
      await writeStateTotals(m, key, now, new Map([[state, g.states.get(state) as StateTotals]]));
      return state;
    });
  }

  private async store(
    m: EntityManager,
    cx: GatherContext,
    targets: Target[],
    previous: Map<string, Previous>,
    evidence: Map<string, RiskEvidence>,
    now: number,
    trigger: string,
    actorId: string | null,
    memo = new AssessMemo(),
  ): Promise<Stored> {
    const rows: RiskAssessment[] = [];
    const evJsonByInstitution = new Map<string, string>();
    // Each INSERT of INSERT_CHUNK rows runs (SQLite: on a thread of the driver's pool) while the next
    // rows are computed; the computing yields to the event loop every SLICE_MS, so requests are
    // served during a large batch. An insert's failure is held until it is awaited (never unhandled).
    let pending: Promise<Error | null> | null = null;
    const settle = async () => {
      const failed = pending ? await pending : null;
      pending = null;
      if (failed) throw failed;
    };
    let sliceStart = performance.now();
    try {
      for (let i = 0; i < targets.length; i += INSERT_CHUNK) {
        const chunk: RiskAssessment[] = [];
        for (const t of targets.slice(i, i + INSERT_CHUNK)) {
          chunk.push(snapshotRow(t, evidence, evJsonByInstitution, cx, now, trigger, memo, (previous.get(t.id)?.seq ?? 0) + 1));
          if (performance.now() - sliceStart >= SLICE_MS) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            sliceStart = performance.now();
          }
        }
        rows.push(...chunk);
        await settle();
        sliceStart = performance.now();
        pending = insertSnapshots(m, chunk).then(
          () => null,
          (e: unknown) => (e instanceof Error ? e : new Error(`risk snapshot insert failed: ${String(e)}`)),
        );
      }
      await settle();
    } finally {
      // never leave a statement running under a transaction that is about to roll back
      if (pending) await pending;
    }

    let rises = 0;
    const byId = new Map(targets.map((t) => [t.id, t]));
    for (const row of rows) {
      const t = byId.get(row.appearanceId) as Target;
      const prev = previous.get(row.appearanceId);
      const upcoming = (t.status === 'planned' || t.status === 'confirmed') && t.startsAt > now;
      // a first snapshot that is already High or Critical alerts at once (from: null), not at the 14-day briefing
      const rose = prev ? levelRank(row.level) > levelRank(prev.level) : row.level === 'high' || row.level === 'critical';
      if (upcoming && rose) {
        rises++;
        const payload: RiskLevelRoseEvent = {
          manager: m,
          actorId,
          at: now,
          appearanceId: row.appearanceId,
          assessmentId: row.id,
          from: prev?.level ?? null,
          to: row.level,
          previousSeq: prev?.seq ?? 0,
        };
        await this.events.emitAsync(DomainEvents.RiskLevelRose, payload);
      }
    }
    return { rows, rises };
  }
}
