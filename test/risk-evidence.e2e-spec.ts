import { randomUUID } from 'node:crypto';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvents, RiskLevelRoseEvent } from '../src/common/domain-events';
import { RiskService } from '../src/risk/risk.service';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;

/**
 * The set-based evidence SQL against numbers worked out by hand (same on SQLite and PostgreSQL),
 * as-of by recorded_at, the reception ledger, the state wave, and the product flows end to end
 * (appearance create → risk in the response; incident → re-assessment with its trigger).
 */
describe('risk evidence and flows', () => {
  let t: TestApp;
  let risk: RiskService;
  let headers: { Authorization: string };
  const rises: RiskLevelRoseEvent[] = [];

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
    risk = t.app.get(RiskService);
    headers = t.auth(await t.factories.user('admin'));
    t.app.get(EventEmitter2).on(DomainEvents.RiskLevelRose, async (e: RiskLevelRoseEvent) => {
      rises.push(e);
    });
  });
  afterAll(() => t.close());

  const preview = async (institutionId: string, extra: Record<string, unknown> = {}) =>
    (
      await t
        .http()
        .post('/risk/preview')
        .set(headers)
        .send({ institutionId, startsAt: new Date(t.clock.now() + 7 * DAY).toISOString(), kind: 'info_session', format: 'in_person', audience: 'public', visibleBranding: false, ...extra })
        .expect(200)
    ).body;

  it('sums decayed, trust-weighted records exactly as the model says, and only those recorded by as-of', async () => {
    const now = t.clock.now();
    const inst = await t.factories.institution({ state: 'WY' });
    const office = await t.factories.office();
    // two past appearances: 365 days ago (weight 0.5) and 0 days ago (weight 1)
    const old = await t.factories.appearance({ institutionId: inst.id, officeId: office.id, startsAt: now - 365 * DAY, status: 'completed', createdAt: now - 400 * DAY });
    await t.factories.appearance({ institutionId: inst.id, officeId: office.id, startsAt: now - 1000, status: 'completed', createdAt: now - 30 * DAY });
    // a cancelled appearance without an incident does not count
    await t.factories.appearance({ institutionId: inst.id, officeId: office.id, startsAt: now - 10 * DAY, status: 'cancelled', createdAt: now - 30 * DAY });
    // the old one was disrupted (corroborated, trust 1): k += 0.5
    await t.factories.incident({
      institutionId: inst.id,
      appearanceId: old.id,
      kind: 'table_blocked',
      severity: 3,
      verification: 'corroborated',
      occurredAt: now - 365 * DAY,
      recordedAt: now - 364 * DAY,
    });
    // an unattached disputed protest 365 days ago: n += 0.4·0.5, k += 0.4·0.5, severity class 2
    await t.factories.incident({ institutionId: inst.id, kind: 'protest', severity: 2, verification: 'disputed', occurredAt: now - 365 * DAY, recordedAt: now - 360 * DAY });
    // context: peer recruiters 180 days ago, reported (0.8·0.5 = 0.4); general activism now, corroborated (1)
    await t.factories.incident({ institutionId: inst.id, target: 'peer_recruiters', verification: 'reported', occurredAt: now - 180 * DAY, recordedAt: now - 179 * DAY });
    await t.factories.incident({ institutionId: inst.id, target: 'general_activism', verification: 'corroborated', occurredAt: now - 1000, recordedAt: now - 500 });
    // recorded in the future relative to as-of: invisible
    await t.factories.incident({ institutionId: inst.id, kind: 'protest', verification: 'corroborated', occurredAt: now - 2 * DAY, recordedAt: now + DAY });

    const ev = (await preview(inst.id)).evidence;
    expect(ev.institution.n).toBeCloseTo(0.5 + 1 + 0.2, 5);
    expect(ev.institution.k).toBeCloseTo(0.5 + 0.2, 5);
    expect(ev.institution.severity[1]).toBeCloseTo(0.2, 5);
    expect(ev.institution.severity[2]).toBeCloseTo(0.5, 5);
    expect(ev.activityActivity).toBeCloseTo(0.4, 5);
    expect(ev.generalActivity).toBeCloseTo(1, 4);
    // the state (only this institution in WY) has the same own record
    expect(ev.state.n).toBeCloseTo(ev.institution.n, 5);
    // wave: peer, organisation and our-topic incidents, e^(−Δt/14 d): the newest is 180 days old, so ≈ 0
    expect(ev.stateWave).toBeCloseTo(0, 4);
    expect(ev.criticalRecently).toBe(false);

    // as-of 200 days ago: only records written by then, decayed to then
    const asOf = now - 200 * DAY;
    const then = (await preview(inst.id, { asOf: new Date(asOf).toISOString() })).evidence;
    const d = (age: number, h: number) => Math.pow(2, -age / h);
    expect(then.institution.n).toBeCloseTo(d(165, 365) + 0.4 * d(165, 365), 5);
    expect(then.institution.k).toBeCloseTo(d(165, 365) + 0.4 * d(165, 365), 5);
    expect(then.activityActivity).toBe(0);
    expect(then.generalActivity).toBe(0);
  });

  it('a disputed severity-4 incident is not a recent critical one; the same incident corroborated or reported is', async () => {
    const now = t.clock.now();
    const at = async (verification: 'disputed' | 'corroborated' | 'reported', o: Record<string, unknown> = {}) => {
      const inst = await t.factories.institution({ state: 'WY' });
      await t.factories.incident({ institutionId: inst.id, kind: 'protest', severity: 4, verification, occurredAt: now - 5 * DAY, recordedAt: now - 4 * DAY, ...o });
      const res = await preview(inst.id);
      return { critical: res.evidence.criticalRecently as boolean, overrides: res.overrides as string[] };
    };
    expect(await at('disputed')).toEqual({ critical: false, overrides: [] });
    expect((await at('corroborated')).critical).toBe(true);
    expect(await at('reported')).toEqual({ critical: true, overrides: ['critical_incident_recent'] });
    // severity 3, or aimed at someone else, is not critical either
    expect((await at('corroborated', { severity: 3 })).critical).toBe(false);
    expect((await at('corroborated', { target: 'peer_recruiters' })).critical).toBe(false);
  });

  it('takes the latest unsuperseded stance and a declined partnership within 12 months', async () => {
    const now = t.clock.now();
    const inst = await t.factories.institution({ state: 'MT' });
    await t.factories.reception({ institutionId: inst.id, kind: 'welcomed', stance: 'welcoming', effectiveAt: now - 500 * DAY, recordedAt: now - 500 * DAY });
    const wrong = await t.factories.reception({ institutionId: inst.id, kind: 'access_restricted', stance: 'hostile', effectiveAt: now - 20 * DAY, recordedAt: now - 20 * DAY });
    // a correction replaces the hostile entry
    await t.factories.reception({ institutionId: inst.id, kind: 'partnership_declined', stance: 'restricted', effectiveAt: now - 20 * DAY, recordedAt: now - 10 * DAY, supersedesId: wrong.id });
    const body = await preview(inst.id);
    expect(body.evidence.latestStance).toBe('restricted');
    expect(body.evidence.declinedRecently).toBe(true);
    expect(body.factors.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining(['stanceRestricted', 'declinedRecently']));
    expect(body.mitigations.map((m: { id: string }) => m.id)).toContain('host_written_reconfirmation');
    // before the correction was written, the hostile entry stood
    const before = await preview(inst.id, { asOf: new Date(now - 15 * DAY).toISOString() });
    expect(before.evidence.latestStance).toBe('hostile');
  });

  /** The states waiting for their re-assessment. */
  const pending = () => t.db.query('SELECT state, generation FROM risk_pending_states');
  /** The next drain's result: the one started after a write's commit (by the service's PendingStateDrain). */
  function waitForDrain(): Promise<number> {
    const drainer = (risk as unknown as { pending: { drain: () => Promise<number> } }).pending;
    const original = drainer.drain.bind(drainer);
    return new Promise((resolve, reject) => {
      jest.spyOn(drainer, 'drain').mockImplementationOnce(() => {
        const run = original();
        run.then(resolve, reject);
        return run;
      });
    });
  }

  it('re-assesses the whole state when an incident moves its regional wave: its own institution at once, the rest right after the commit', async () => {
    const inst1 = await t.factories.institution({ state: 'ND' });
    const inst2 = await t.factories.institution({ state: 'ND' });
    const other = await t.factories.institution({ state: 'SD' });
    const a1 = await t.factories.appearance({ institutionId: inst1.id });
    const a2 = await t.factories.appearance({ institutionId: inst2.id });
    const a3 = await t.factories.appearance({ institutionId: other.id });
    // inst2's own look-ups (its reception, our last disruption there): read for it when the state is re-assessed
    const now0 = t.clock.now();
    await t.factories.reception({ institutionId: inst2.id, kind: 'access_restricted', stance: 'hostile', effectiveAt: now0 - 20 * DAY, recordedAt: now0 - 20 * DAY });
    await t.factories.incident({ institutionId: inst2.id, target: 'organisation', kind: 'protest', severity: 2, occurredAt: now0 - 300 * DAY, recordedAt: now0 - 299 * DAY });
    await risk.refreshAll('daily_refresh');
    t.clock.advance(60_000);
    // general activism does not move the wave: only inst1's appearance, nothing waits
    await t.factories.incident({ institutionId: inst1.id, target: 'general_activism', occurredAt: t.clock.now() - DAY, recordedAt: t.clock.now() });
    const r1 = await t.write((m) => risk.reassessInstitution(m, inst1.id, 'incident'));
    expect(r1).toMatchObject({ assessed: 1, waveMoved: false });
    expect(r1.statePending).toBeUndefined();
    expect(await pending()).toEqual([]);
    // a protest against peer recruiters yesterday moves W_s by e^(−1/14)·0.8 ≈ 0.75: the whole state
    t.clock.advance(60_000);
    await t.factories.incident({ institutionId: inst1.id, target: 'peer_recruiters', occurredAt: t.clock.now() - DAY, recordedAt: t.clock.now() });
    const drained = waitForDrain();
    const r2 = await t.write((m) => risk.reassessInstitution(m, inst1.id, 'incident'));
    expect(r2).toMatchObject({ assessed: 1, waveMoved: true, statePending: 'ND' });
    expect((await risk.latestView(a1.id))?.trigger).toBe('incident');
    // right after the commit, in a write of its own: inst2's appearance (inst1's is already as of the request)
    expect(await drained).toBe(1);
    expect(await pending()).toEqual([]);
    const v2 = await risk.latestView(a2.id);
    expect(v2?.trigger).toBe('state_wave');
    expect(v2?.evidence.stateWave).toBeCloseTo(0.8 * Math.exp(-1 / 14), 4);
    expect(v2?.evidence).toMatchObject({ latestStance: 'hostile', lastOwnIncident: { kind: 'protest', severity: 2 } });
    expect((await risk.latestView(a1.id))?.trigger).toBe('incident');
    expect((await risk.latestView(a3.id))?.trigger).toBe('daily_refresh');
    // the state's snapshots now hold the new wave: an incident that does not move it asks for nothing
    t.clock.advance(60_000);
    await t.factories.incident({ institutionId: inst1.id, target: 'general_activism', occurredAt: t.clock.now() - DAY, recordedAt: t.clock.now() });
    expect(await t.write((m) => risk.reassessInstitution(m, inst1.id, 'incident'))).toMatchObject({ assessed: 1, waveMoved: false });
    expect(await pending()).toEqual([]);
  });

  it('keeps a state that waits for its re-assessment through a crash, and forgets it with a write that rolls back', async () => {
    const inst1 = await t.factories.institution({ state: 'NE' });
    const inst2 = await t.factories.institution({ state: 'NE' });
    const a1 = await t.factories.appearance({ institutionId: inst1.id });
    const a2 = await t.factories.appearance({ institutionId: inst2.id });
    const refreshedAt = t.clock.now();
    await risk.refreshAll('daily_refresh');
    t.clock.advance(60_000);
    const peerProtest = () =>
      `INSERT INTO incidents (id, created_at, updated_at, institution_id, state, kind, occurred_at, recorded_at, severity, target, source, verification, version)
       VALUES ('${randomUUID()}', ${t.clock.now()}, ${t.clock.now()}, '${inst1.id}', 'NE', 'protest', ${t.clock.now() - DAY}, ${t.clock.now()}, 2, 'peer_recruiters', 'first_hand', 'reported', 1)`;
    // rolled back: neither the snapshot nor the request is left
    const before = await risk.history(a2.id, 10, 0);
    await expect(
      t.write(async (m) => {
        await m.query(peerProtest());
        expect(await risk.reassessInstitution(m, inst1.id, 'incident')).toMatchObject({ waveMoved: true });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((r) => setImmediate(r));
    expect(await pending()).toEqual([]);
    expect((await risk.history(a2.id, 10, 0)).total).toBe(before.total);
    // committed, but the process died before the state was re-assessed: the request is in the
    // database, and the next drain (here: another instance's) re-assesses the state. Its snapshots
    // are newer than the request (a clock behind, or a writer that held the rows first) but hold
    // the old wave: they are chosen by their wave, not by their time.
    await t.db.query(peerProtest());
    await t.db.query(`INSERT INTO risk_pending_states (state, requested_at, generation) VALUES ('NE', ${refreshedAt - 1000}, 1)`);
    const second = await createTestApp({ database: t.database, now: t.clock.now() });
    try {
      expect(await second.app.get(RiskService).drainPendingStates()).toBe(2);
    } finally {
      await second.close({ keepDatabase: true });
    }
    expect(await pending()).toEqual([]);
    for (const a of [a1, a2]) expect((await risk.latestView(a.id))?.trigger).toBe('state_wave');
    // asked again with nothing new: every snapshot already holds this wave
    await t.db.query(`INSERT INTO risk_pending_states (state, requested_at, generation) VALUES ('NE', ${t.clock.now()}, 1)`);
    expect(await risk.drainPendingStates()).toBe(0);
    expect(await pending()).toEqual([]);
  });

  it('a state whose re-assessment fails stays waiting and does not hold up the others', async () => {
    const failing = await t.factories.institution({ state: 'NM' });
    const fine = await t.factories.institution({ state: 'NV' });
    await t.factories.appearance({ institutionId: failing.id });
    const ok = await t.factories.appearance({ institutionId: fine.id });
    await t.db.query(`INSERT INTO risk_pending_states (state, requested_at, generation) VALUES ('NM', ${t.clock.now() - 2000}, 1), ('NV', ${t.clock.now() - 1000}, 1)`);
    const spy = jest.spyOn(risk as unknown as { reassessPendingState: (...a: unknown[]) => Promise<number> }, 'reassessPendingState');
    spy.mockImplementationOnce(() => Promise.reject(new Error('disk full')));
    try {
      // NM (the oldest) fails and is kept; NV is re-assessed in the same drain
      expect(await risk.drainPendingStates()).toBe(1);
      expect(await pending()).toEqual([{ state: 'NM', generation: 1 }]);
      expect((await risk.latestView(ok.id))?.trigger).toBe('state_wave');
      // the next drain takes it again
      expect(await risk.drainPendingStates()).toBe(1);
      expect(await pending()).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers an appearance create with a fresh assessment, and an incident re-assesses it with its trigger', async () => {
    const coordinator = await t.factories.user('coordinator');
    const inst = await t.factories.institution({ state: 'ID' });
    const h = t.auth(coordinator);
    const starts = new Date(t.clock.now() + 20 * DAY);
    const created = await t
      .http()
      .post('/appearances')
      .set(h)
      .send({
        institutionId: inst.id,
        officeId: coordinator.officeId,
        kind: 'career_fair',
        title: 'Spring career fair',
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 4 * 3_600_000).toISOString(),
        format: 'in_person',
        audience: 'public',
        visibleBranding: true,
      })
      .expect(201);
    expect(created.body.risk).toMatchObject({ appearanceId: created.body.id, trigger: 'appearance_created' });
    expect(created.body.risk.level).toMatch(/^(low|moderate|high|critical)$/);

    t.clock.advance(60_000);
    rises.length = 0;
    await t
      .http()
      .post('/incidents')
      .set(headers)
      .send({ institutionId: inst.id, kind: 'threat', occurredAt: new Date(t.clock.now() - DAY).toISOString(), severity: 4, target: 'organisation', source: 'first_hand' })
      .expect(201);
    const latest = await t.http().get(`/appearances/${created.body.id}/risk`).set(h).expect(200);
    expect(latest.body.trigger).not.toBe('appearance_created');
    expect(latest.body.overrides).toContain('critical_incident_recent');
    expect(latest.body.level).toBe('critical');
    const history = await t.http().get(`/appearances/${created.body.id}/risk/history`).set(h).expect(200);
    expect(history.body.total).toBe(2);
    if (created.body.risk.level !== 'critical') {
      expect(rises).toEqual([expect.objectContaining({ appearanceId: created.body.id, from: created.body.risk.level, to: 'critical' })]);
    }
  });
  it('assesses appearances where an incident is dated centuries back (1026): no exp() underflow on either database', async () => {
    const coordinator = await t.factories.user('coordinator');
    const h = t.auth(coordinator);
    const inst = await t.factories.institution({ state: 'VT' });
    const neighbour = await t.factories.institution({ state: 'VT' });
    // a typo'd year: 1026 instead of 2026 (negative epoch ms); wave, context and severity terms all see it
    const typo = Date.parse('1026-03-05T00:00:00Z');
    await t.factories.incident({ institutionId: inst.id, kind: 'protest', severity: 4, occurredAt: typo, recordedAt: t.clock.now() - DAY });
    await t.factories.incident({ institutionId: inst.id, target: 'peer_recruiters', occurredAt: typo, recordedAt: t.clock.now() - DAY });
    const past = await t.factories.appearance({ institutionId: inst.id, startsAt: typo, endsAt: typo + 3_600_000, status: 'completed', createdAt: typo });
    await t.factories.incident({ institutionId: inst.id, appearanceId: past.id, kind: 'table_blocked', occurredAt: typo, recordedAt: t.clock.now() - DAY });
    const elsewhere = await t.factories.appearance({ institutionId: neighbour.id });
    const starts = new Date(t.clock.now() + 20 * DAY);
    const created = await t
      .http()
      .post('/appearances')
      .set(h)
      .send({
        institutionId: inst.id,
        officeId: coordinator.officeId,
        kind: 'career_fair',
        title: 'Fair after an old typo',
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 4 * 3_600_000).toISOString(),
        format: 'in_person',
        audience: 'public',
        visibleBranding: false,
      })
      .expect(201);
    expect(Number.isFinite(created.body.risk.p)).toBe(true);
    const latest = await t.http().get(`/appearances/${created.body.id}/risk`).set(h).expect(200);
    expect(Number.isFinite(latest.body.p)).toBe(true);
    // the state-wide paths (organisation pass, state wave) as well
    const other = await t.http().get(`/appearances/${elsewhere.id}/risk`).set(h).expect(200);
    expect(Number.isFinite(other.body.p)).toBe(true);
    await t.db.transaction((m) => risk.reassessInstitution(m, inst.id, 'incident'));
    const refreshed = await risk.refreshAll('daily_refresh');
    expect(refreshed.assessed).toBeGreaterThanOrEqual(2);
    expect(Number.isFinite((await risk.latestView(elsewhere.id))?.p)).toBe(true);
    expect(Number.isFinite((await preview(inst.id)).p)).toBe(true);
  });
});
