import { createTestApp, TestApp } from './helpers/test-app';
import { REPORTS_NOW, seedReportsHistory } from './reports-fixtures';

type Seed = Awaited<ReturnType<typeof seedReportsHistory>>;

describe('HR reports on a hand-made history', () => {
  let t: TestApp;
  let s: Seed;
  beforeAll(async () => {
    t = await createTestApp({ now: REPORTS_NOW });
    s = await seedReportsHistory(t);
  });
  afterAll(() => t.close());

  const get = (path: string, user = s.hr) => t.http().get(path).set(t.auth(user));

  describe('outcomes summary', () => {
    it('groups by office with exact counts and ratios', async () => {
      const res = await get('/reports/outcomes?groupBy=office&from=2026-01-01').expect(200);
      const byKey = Object.fromEntries(res.body.rows.map((r: { key: string }) => [r.key, r]));
      expect(byKey[s.officeA.id]).toMatchObject({
        label: s.officeA.name,
        appearances: 4,
        held: 3,
        completed: 3,
        cancelled: 1,
        debriefed: 2,
        debriefDue: 1,
        disrupted: 1,
        endedEarly: 0,
        cancelledByHost: 0,
        incidents: 2,
        leads: 12,
        applications: 2,
        leadsPerAppearance: 6,
        yieldPerAppearance: 1,
      });
      expect(byKey[s.officeA.id].incidentsPerAppearance).toBeCloseTo(2 / 3, 10);
      expect(byKey[s.officeB.id]).toMatchObject({
        appearances: 3,
        held: 2,
        completed: 1,
        cancelled: 1,
        debriefed: 2,
        debriefDue: 1,
        disrupted: 0,
        endedEarly: 1,
        cancelledByHost: 1,
        incidents: 1,
        incidentsPerAppearance: 0.5,
        leads: 1,
        applications: 1,
        yieldPerAppearance: 0.5,
      });
      expect(res.body.totals).toMatchObject({ appearances: 7, held: 5, debriefDue: 2, incidents: 3, incidentsPerAppearance: 0.6 });
    });

    it('groups by month with empty months filled, and by kind, state and institution', async () => {
      const month = await get('/reports/outcomes?groupBy=month&from=2026-01-01&to=2026-07-01').expect(200);
      expect(month.body.rows.map((r: { key: string; appearances: number }) => [r.key, r.appearances])).toEqual([
        ['2026-01', 1],
        ['2026-02', 1],
        ['2026-03', 1],
        ['2026-04', 1],
        ['2026-05', 1],
        ['2026-06', 2],
      ]);
      const kind = await get('/reports/outcomes?groupBy=kind&from=2026-01-01').expect(200);
      expect(kind.body.rows.map((r: { key: string; appearances: number; incidents: number }) => [r.key, r.appearances, r.incidents])).toEqual([
        ['career_fair', 3, 2],
        ['info_session', 2, 1],
        ['partnership_meeting', 1, 0],
        ['training', 1, 0],
      ]);
      const state = await get('/reports/outcomes?groupBy=state&from=2026-01-01').expect(200);
      expect(state.body.rows.map((r: { key: string; appearances: number }) => [r.key, r.appearances])).toEqual([
        ['OH', 5],
        ['MI', 2],
      ]);
      const inst = await get(`/reports/outcomes?groupBy=institution&from=2026-01-01&state=oh&kind=career_fair`).expect(200);
      expect(inst.body.rows).toHaveLength(1);
      expect(inst.body.rows[0]).toMatchObject({ key: s.u1.id, label: s.u1.name, appearances: 3, disrupted: 1, debriefDue: 1 });
    });

    it('limits coordinators to their own office', async () => {
      const res = await get('/reports/outcomes?groupBy=office&from=2026-01-01', s.coordinatorA).expect(200);
      expect(res.body.rows.map((r: { key: string }) => r.key)).toEqual([s.officeA.id]);
      expect(res.body.window.officeId).toBe(s.officeA.id);
      const other = await get(`/reports/outcomes?officeId=${s.officeB.id}`, s.coordinatorA).expect(403);
      expect(other.body.code).toBe('OTHER_OFFICE');
      await get('/reports/outcomes', s.recruiter).expect(403);
    });

    it('validates filters with per-field reasons', async () => {
      const res = await get('/reports/outcomes?groupBy=planet&from=yesterday&kind=rave').expect(400);
      expect(Object.keys(res.body.fields).sort()).toEqual(['from', 'groupBy', 'kind']);
      const order = await get('/reports/outcomes?from=2026-06-01&to=2026-01-01').expect(400);
      expect(order.body.fields.from).toMatch(/before/);
    });

    it('exports CSV on Accept: text/csv, with formula injection neutralised', async () => {
      const res = await get('/reports/outcomes?groupBy=institution&from=2026-01-01').set('Accept', 'text/csv').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="forewarn-outcomes-summary-rows-2026-01-01-2026-07-01\.csv"/);
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'key,label,appearances,held,completed,cancelled,debriefed,debriefDue,disrupted,endedEarly,cancelledByHost,incidents,attendance,leads,applications,incidentsPerAppearance,leadsPerAppearance,yieldPerAppearance',
      );
      const evil = lines.find((l) => l.includes('SUM(1+1)')) as string;
      expect(evil).toContain(`,'=SUM(1+1) College`);
      expect(lines[lines.length - 1]).toMatch(/^total,All,7,5,/);
    });
  });

  describe('is it getting worse?', () => {
    it('gives monthly rates with Poisson intervals widened for clustered incidents and says honestly that data is thin', async () => {
      const res = await get('/reports/incident-trend?from=2026-01-01&to=2026-07-01').expect(200);
      expect(res.body.months.map((m: { month: string; appearances: number; incidents: number }) => [m.month, m.appearances, m.incidents])).toEqual([
        ['2026-01', 1, 0],
        ['2026-02', 1, 2],
        ['2026-03', 1, 2],
        ['2026-04', 0, 0],
        ['2026-05', 1, 0],
        ['2026-06', 1, 0],
      ]);
      // February's two incidents hit the same appearance (dispersion Σc²/Σc = 2): the interval is the
      // exact one for 1 effective incident over 0.5 effective appearances, not for 2 independent ones.
      const feb = res.body.months[1];
      expect(feb).toMatchObject({ rate: 2, dispersion: 2 });
      expect(feb.low).toBeCloseTo(2 * 0.02532, 4);
      expect(feb.high).toBeCloseTo(2 * 5.57164, 3);
      // March's incident stands alone (one without an appearance): exact Garwood.
      expect(res.body.months[2]).toMatchObject({ incidents: 2, dispersion: 1 });
      expect(res.body.months[2].high).toBeCloseTo(7.2247, 3);
      expect(res.body.months[3]).toMatchObject({ rate: null, low: null, high: null });
      expect(res.body.totals).toMatchObject({ appearances: 5, incidents: 4, rate: 0.8 });
      expect(res.body.direction).toBe('not_enough_data');
      expect(res.body.verdict).toMatch(/^Not enough data to say: 4 incidents aimed at us over 5 months/);
    });

    it('counts incidents at one appearance as one cluster and those without an appearance one by one', async () => {
      // Its own state and a month years before the other tests' windows.
      const f = t.factories;
      const inst = await f.institution({ name: 'Laramie County College', kind: 'college', state: 'WY' });
      const when = Date.UTC(2023, 2, 10, 15);
      const a = await f.appearance({ institutionId: inst.id, startsAt: when, status: 'completed' as never });
      for (let i = 0; i < 3; i++) await f.incident({ institutionId: inst.id, appearanceId: a.id, occurredAt: when + 3_600_000, recordedAt: when + 86_400_000 });
      for (let i = 0; i < 2; i++) await f.incident({ institutionId: inst.id, occurredAt: when + 86_400_000, recordedAt: when + 2 * 86_400_000 });
      const res = await get('/reports/incident-trend?from=2023-03-01&to=2023-04-01&state=WY').expect(200);
      // Σc² = 3² + 1 + 1 = 11 over 5 incidents.
      expect(res.body.months).toEqual([expect.objectContaining({ month: '2023-03', appearances: 1, incidents: 5, dispersion: 11 / 5, rate: 5 })]);
      expect(res.body.totals.high).toBeGreaterThan(res.body.months[0].rate * 2);
    });

    it('exports the verdict with its numbers as CSV', async () => {
      const res = await get('/reports/incident-trend?from=2026-01-01&to=2026-07-01&part=verdict').set('Accept', 'text/csv').expect(200);
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toBe('direction,verdict,monthlyChange,monthlyChangeLow,monthlyChangeHigh,p,dispersion');
      expect(lines[1]).toMatch(/^not_enough_data,/);
    });

    it('applies the office filter through the appearance', async () => {
      const res = await get(`/reports/incident-trend?from=2026-01-01&to=2026-07-01&officeId=${s.officeB.id}`).expect(200);
      expect(res.body.totals).toMatchObject({ appearances: 2, incidents: 1 });
    });
  });

  describe('model accountability', () => {
    it('uses the latest assessment before the start and counts predicted × observed', async () => {
      const res = await get('/reports/model-accountability?from=2026-01-01&to=2026-07-01').expect(200);
      const cell = (level: string, observed: string) => res.body.cells.find((c: { level: string; observed: string }) => c.level === level && c.observed === observed).appearances;
      expect([cell('low', 'disrupted'), cell('low', 'not_disrupted')]).toEqual([0, 2]);
      expect([cell('moderate', 'disrupted'), cell('moderate', 'not_disrupted')]).toEqual([2, 0]);
      expect([cell('high', 'disrupted'), cell('high', 'not_disrupted')]).toEqual([1, 0]);
      expect([cell('critical', 'disrupted'), cell('critical', 'not_disrupted')]).toEqual([0, 0]);
      expect(res.body.notJudged).toBe(1);
      const levels = Object.fromEntries(res.body.levels.map((l: { level: string }) => [l.level, l]));
      expect(levels.low.meanPredicted).toBeCloseTo(0.075, 10);
      expect(levels.moderate).toMatchObject({ appearances: 2, disrupted: 2, observedRate: 1, incidents: 1 });
      expect(levels.high).toMatchObject({ appearances: 1, incidents: 2 });
      const brier = res.body.brierByMonth.map((b: { month: string; brier: number | null }) => [b.month, b.brier === null ? null : Number(b.brier.toFixed(6))]);
      expect(brier).toEqual([
        ['2026-01', 0.01],
        ['2026-02', 0.16],
        ['2026-03', 0.49],
        ['2026-04', 0.5625],
        ['2026-05', 0.0025],
        ['2026-06', null],
      ]);
      expect(res.body.brier.brier).toBeCloseTo(0.245, 10);
      expect(res.body.brier.appearances).toBe(5);
    });
  });

  describe('mitigations', () => {
    it('compares users with non-users at the same level and cautions on small counts', async () => {
      const res = await get('/reports/mitigations?from=2026-01-01&to=2026-07-01').expect(200);
      expect(res.body.debriefedWithLevel).toBe(4);
      const m = Object.fromEntries(res.body.mitigations.map((x: { mitigationId: string }) => [x.mitigationId, x]));
      expect(m.civilian_dress.used).toMatchObject({ appearances: 1, disrupted: 0 });
      expect(m.civilian_dress.caution).toMatch(/No comparable appearances/);
      expect(m.exit_plan.used).toMatchObject({ appearances: 1, disrupted: 1 });
      expect(m.buddy_system.caution).toMatch(/Never recorded/);
      expect(res.body.warning).toMatch(/^Mitigations are chosen for the riskier appearances/);
      expect(m.civilian_dress).toMatchObject({ difference: null, differenceLow: null, differenceHigh: null, p: null, comparableUsed: 0 });
      const moderate = m.exit_plan.byLevel.find((l: { level: string }) => l.level === 'moderate');
      expect(moderate).toMatchObject({ used: { appearances: 0 }, notUsed: { appearances: 2, disrupted: 2 } });
    });
  });

  describe('reception trend', () => {
    it('counts stance changes and declines per quarter, ignoring corrected entries', async () => {
      const res = await get('/reports/reception-trend?to=2026-07-01T12:00:00Z').expect(200);
      const rows = res.body.quarters.map((q: Record<string, unknown>) => [
        q.quarter,
        q.state,
        q.institutionKind,
        q.entries,
        q.stanceChanges,
        q.worsened,
        q.partnershipsDeclined,
        q.invitationsDeclined,
        q.accessRestricted,
        q.cancelledByHost,
      ]);
      expect(rows).toEqual([
        ['2025-Q1', 'OH', 'university', 1, 0, 0, 0, 0, 0, 0],
        ['2025-Q2', 'MI', 'college', 1, 0, 0, 0, 0, 0, 0],
        ['2026-Q1', 'MI', 'college', 1, 1, 1, 0, 0, 1, 0],
        ['2026-Q1', 'OH', 'university', 1, 1, 1, 0, 1, 0, 0],
        ['2026-Q2', 'OH', 'police_department', 1, 0, 0, 0, 0, 0, 1],
        ['2026-Q2', 'OH', 'university', 1, 1, 1, 1, 0, 0, 0],
      ]);
    });

    it('names the institutions whose reception worsened most in the last year, and the current stance by state', async () => {
      const res = await get('/reports/reception-trend').expect(200);
      expect(res.body.worsenedMost.map((w: Record<string, unknown>) => [w.institutionId, w.stanceYearAgo, w.stanceNow, w.steps, w.declinesInYear])).toEqual([
        [s.u1.id, 'welcoming', 'hostile', 4, 2],
        [s.p1.id, null, 'restricted', 2, 1],
        [s.u2.id, 'neutral', 'cautious', 1, 1],
      ]);
      expect(res.body.byState).toEqual([
        { state: 'OH', institutions: 2, welcoming: 0, neutral: 0, cautious: 0, restricted: 1, hostile: 1 },
        { state: 'MI', institutions: 1, welcoming: 0, neutral: 0, cautious: 1, restricted: 0, hostile: 0 },
      ]);
    });
  });

  describe('evidence report', () => {
    it('counts declines, restrictions, cancellations and disruptions by institution kind and state, with examples', async () => {
      const res = await get('/reports/evidence').expect(200);
      expect(res.body.window.from).toBe('2025-08-01T00:00:00.000Z');
      const rows = Object.fromEntries(res.body.rows.map((r: { institutionKind: string; state: string }) => [`${r.institutionKind}|${r.state}`, r]));
      expect(rows['university|OH']).toMatchObject({
        partnershipsDeclined: 1,
        invitationsDeclined: 1,
        accessRestricted: 0,
        appearances: 3,
        appearancesCancelled: 0,
        disrupted: 1,
        incidentsAimedAtUs: 3,
        severeIncidents: 2,
      });
      expect(rows['college|MI']).toMatchObject({ accessRestricted: 1, appearances: 2, disrupted: 1, incidentsAimedAtUs: 1, severeIncidents: 0 });
      expect(rows['police_department|OH']).toMatchObject({ hostCancellationsRecorded: 1, appearances: 2, appearancesCancelled: 2, cancelledByHost: 1 });
      expect(res.body.totals).toEqual({
        partnershipsDeclined: 1,
        invitationsDeclined: 1,
        accessRestricted: 1,
        hostCancellationsRecorded: 1,
        appearances: 7,
        appearancesCancelled: 2,
        cancelledByHost: 1,
        disrupted: 2,
        incidentsAimedAtUs: 4,
        severeIncidents: 2,
      });
      const cats = res.body.examples.map((e: { category: string }) => e.category);
      expect(cats).toEqual([
        'access_restricted',
        'appearance_cancelled',
        'appearance_cancelled',
        'appearance_cancelled_by_host',
        'appearance_disrupted',
        'appearance_disrupted',
        'invitation_declined',
        'partnership_declined',
      ]);
      expect(res.body.examples.find((e: { category: string }) => e.category === 'access_restricted').detail).toBe('stance cautious: Corrected: only the library is closed to us');
    });

    it('exports the counts and the examples as CSV', async () => {
      const counts = await get('/reports/evidence').set('Accept', 'text/csv').expect(200);
      expect(counts.text.split('\r\n')[0]).toMatch(/^institutionKind,state,partnershipsDeclined,/);
      expect(counts.text.trim().split('\r\n')).toHaveLength(4);
      const examples = await get('/reports/evidence?part=examples').set('Accept', 'text/csv').expect(200);
      expect(examples.text.trim().split('\r\n')).toHaveLength(9);
      expect(examples.text).toContain(`'=SUM(1+1) College`);
      const bad = await get('/reports/evidence?part=nope').set('Accept', 'text/csv').expect(400);
      expect(bad.body.fields.part).toBe('one of: counts, examples');
    });
  });
});
