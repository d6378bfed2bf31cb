import { RiskService } from '../src/risk/risk.service';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;

/**
 * The daily refresh reads each chunk's appearances (and their latest snapshots) 250 per statement.
 * With more upcoming appearances than that in one chunk, every one of them is assessed once, and a
 * second refresh continues each appearance's sequence from its latest snapshot, whichever statement
 * read it.
 */
describe('risk: a refresh chunk read in several statements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
  });
  afterAll(() => t.close());

  it('assesses all 263 upcoming appearances of one chunk once per refresh, each continuing its own sequence', async () => {
    const office = await t.factories.office();
    const institutions = await Promise.all(Array.from({ length: 7 }, (_, i) => t.factories.institution({ state: i % 2 ? 'OH' : 'PA' })));
    const ids: string[] = [];
    for (let i = 0; i < 263; i++) {
      const a = await t.factories.appearance({ officeId: office.id, institutionId: institutions[i % 7].id, startsAt: t.clock.now() + (3 + (i % 40)) * DAY });
      ids.push(a.id);
    }
    const risk = t.app.get(RiskService);
    const first = await risk.refreshAll('chunk-test');
    expect(first.assessed).toBe(263);
    const counts = async () =>
      (await t.db.query(`SELECT appearance_id AS id, COUNT(*) AS n, MAX(seq) AS top FROM risk_assessments WHERE trigger = 'chunk-test' GROUP BY appearance_id`)) as {
        id: string;
        n: number | string;
        top: number | string;
      }[];
    const once = await counts();
    expect(once.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(once.every((r) => Number(r.n) === 1)).toBe(true);
    const seqBefore = new Map(once.map((r) => [r.id, Number(r.top)]));

    t.clock.advance(60_000);
    const second = await risk.refreshAll('chunk-test');
    expect(second.assessed).toBe(263);
    const twice = await counts();
    expect(twice).toHaveLength(263);
    for (const r of twice) {
      expect(Number(r.n)).toBe(2);
      expect(Number(r.top)).toBe(seqBefore.get(r.id)! + 1);
    }
  });
});
