import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12);

describe('two first debriefs of one appearance at once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  it('one is created (201), the other becomes an edit (200) or a clear 409 — never a 500, never two rows', async () => {
    const office = await t.factories.office();
    const a = await t.factories.user('recruiter', { officeId: office.id });
    const b = await t.factories.user('recruiter', { officeId: office.id });
    // Several appearances, each debriefed by two recruiters at the same moment: at least one pair races.
    const appearances = await Promise.all(Array.from({ length: 8 }, () => t.factories.appearance({ officeId: office.id, recruiterIds: [a.id, b.id], startsAt: NOW - 2 * DAY, status: 'completed' })));
    const body = (who: string) => ({ result: 'as_planned', attendance: 50, mitigationsUsed: [], notes: `Filed by ${who}.` });
    const results = await Promise.all(
      appearances.flatMap((ap) => [t.http().put(`/appearances/${ap.id}/outcome`).set(t.auth(a)).send(body('a')), t.http().put(`/appearances/${ap.id}/outcome`).set(t.auth(b)).send(body('b'))]),
    );
    for (let i = 0; i < appearances.length; i++) {
      const pair = [results[2 * i], results[2 * i + 1]];
      const statuses = pair.map((r) => r.status).sort();
      if (statuses[0] !== 200 && statuses[0] !== 201) throw new Error(`unexpected ${JSON.stringify(pair.map((r) => [r.status, r.body]))}`);
      expect([
        [200, 201],
        [201, 409],
      ]).toContainEqual(statuses);
      const conflict = pair.find((r) => r.status === 409);
      if (conflict) expect(conflict.body.code).toBe('DEBRIEF_FILED_CONCURRENTLY');
      const created = pair.find((r) => r.status === 201)!;
      expect(created.body.editable).toBe(true);
      // The stored debrief is the last one accepted, and its first submitter is the one that was created.
      const got = await t.http().get(`/appearances/${appearances[i].id}/outcome`).set(t.auth(a)).expect(200);
      expect(got.body.submittedById).toBe(created.body.submittedById);
      const rows = await t.db.query(`SELECT COUNT(*) AS n FROM outcomes WHERE appearance_id = '${appearances[i].id}'`);
      expect(Number(rows[0].n)).toBe(1);
      const audits = await t.db.query(`SELECT action FROM audit_entries WHERE entity_type = 'outcome' AND entity_id = '${appearances[i].id}' ORDER BY action`);
      expect(audits.map((r: { action: string }) => r.action)).toEqual(statuses[0] === 200 ? ['outcome.submitted', 'outcome.updated'] : ['outcome.submitted']);
    }
  });
});
