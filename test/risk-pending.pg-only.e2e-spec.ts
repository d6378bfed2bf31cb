import { PENDING_LOCK_KEY } from '../src/risk/risk-locks';
import { RiskService } from '../src/risk/risk.service';
import { rawClient } from './helpers/pg-locks';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;

/**
 * On PostgreSQL one instance drains the states waiting for their re-assessment at a time (an
 * advisory lock). An instance whose commit asked for a state while another held the drain (which
 * may have looked at the table before that commit) looks again a second later, so the state is
 * re-assessed even when no scheduler runs anywhere.
 */
describe('states waiting for their re-assessment (PostgreSQL)', () => {
  let t: TestApp;
  let risk: RiskService;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
    risk = t.app.get(RiskService);
  });
  afterAll(() => t.close());

  it('a commit that asks while another instance holds the drain is drained once that one lets go', async () => {
    const inst1 = await t.factories.institution({ state: 'WY' });
    const inst2 = await t.factories.institution({ state: 'WY' });
    await t.factories.appearance({ institutionId: inst1.id });
    const a2 = await t.factories.appearance({ institutionId: inst2.id });
    await risk.refreshAll('daily_refresh');
    t.clock.advance(60_000);
    const other = await rawClient(t.db);
    try {
      // "another instance" holds the drain
      await other.query('SELECT pg_advisory_lock($1)', [PENDING_LOCK_KEY]);
      await t.factories.incident({ institutionId: inst1.id, target: 'peer_recruiters', occurredAt: t.clock.now() - DAY, recordedAt: t.clock.now() });
      expect(await t.write((m) => risk.reassessInstitution(m, inst1.id, 'incident'))).toMatchObject({ waveMoved: true, statePending: 'WY' });
      await new Promise((r) => setTimeout(r, 300));
      expect(await t.db.query('SELECT state FROM risk_pending_states')).toEqual([{ state: 'WY' }]);
      await other.query('SELECT pg_advisory_unlock($1)', [PENDING_LOCK_KEY]);
      // no scheduler in the test app: only this instance's second look drains it
      for (let i = 0; i < 50 && (await t.db.query('SELECT state FROM risk_pending_states')).length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await t.db.query('SELECT state FROM risk_pending_states')).toEqual([]);
      expect((await risk.latestView(a2.id))?.trigger).toBe('state_wave');
    } finally {
      await other.end();
    }
  });
});
