import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;

describe('reception ledger', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  it('appends entries, derives the stance, when it changed and the 12-month trend', async () => {
    const coord = await t.factories.user('coordinator');
    const inst = await t.factories.institution({ name: 'Metro Nashville Police Department', kind: 'police_department', city: 'Nashville', state: 'TN', timeZone: 'America/Chicago' });
    const h = t.auth(coord);
    const none = await t.http().get(`/institutions/${inst.id}/reception/summary`).set(h).expect(200);
    expect(none.body).toMatchObject({ currentStance: null, trend: null, entries: 0 });

    const first = await t.http().post(`/institutions/${inst.id}/reception`).set(h).send({ kind: 'welcomed', effectiveAt: '2024-06-01T00:00:00Z', source: 'Joint training day' }).expect(201);
    expect(first.body).toMatchObject({ kind: 'welcomed', stance: 'welcoming', recordedById: coord.id, supersedesId: null, supersededById: null });
    expect(first.body.recordedAt).toBe('2026-03-01T12:00:00.000Z');
    await t
      .http()
      .post(`/institutions/${inst.id}/reception`)
      .set(h)
      .send({ kind: 'partnership_declined', effectiveAt: '2025-09-15T00:00:00Z', reason: 'Declined shared task-force office space "because of the affiliation".' })
      .expect(201);

    const s = await t.http().get(`/institutions/${inst.id}/reception/summary`).set(h).expect(200);
    expect(s.body).toEqual({ institutionId: inst.id, currentStance: 'restricted', stanceSince: '2025-09-15T00:00:00.000Z', trend: 'worse', entries: 2, lastEntryAt: '2025-09-15T00:00:00.000Z' });
    // The institution itself shows the derived stance (one set-based query for a whole page).
    const one = await t.http().get(`/institutions/${inst.id}`).set(h).expect(200);
    expect(one.body.reception).toEqual(s.body);
    const list = await t.http().get('/institutions?q=metro%20nashville').set(h).expect(200);
    expect(list.body.items[0].reception).toMatchObject({ currentStance: 'restricted', trend: 'worse' });
  });

  it('corrects by superseding: the old entry stays, marked, and stops counting; nothing is edited in place', async () => {
    const rec = await t.factories.user('recruiter');
    const h = t.auth(rec);
    const inst = await t.factories.institution();
    const wrong = await t
      .http()
      .post(`/institutions/${inst.id}/reception`)
      .set(h)
      .send({ kind: 'access_restricted', effectiveAt: '2026-02-01T00:00:00Z', reason: 'Records office refused access' })
      .expect(201);
    expect((await t.http().get(`/institutions/${inst.id}/reception/summary`).set(h).expect(200)).body.currentStance).toBe('restricted');

    const fix = await t
      .http()
      .post(`/institutions/${inst.id}/reception`)
      .set(h)
      .send({ kind: 'welcomed', effectiveAt: '2026-02-01T00:00:00Z', reason: 'Correction: the records office granted access', supersedesId: wrong.body.id })
      .expect(201);
    expect(fix.body.supersedesId).toBe(wrong.body.id);

    const list = await t.http().get(`/institutions/${inst.id}/reception`).set(h).expect(200);
    expect(list.body.total).toBe(2);
    const old = list.body.items.find((e: any) => e.id === wrong.body.id);
    expect(old).toMatchObject({ kind: 'access_restricted', stance: 'restricted', reason: 'Records office refused access', supersededById: fix.body.id });
    const inForce = await t.http().get(`/institutions/${inst.id}/reception?includeSuperseded=false`).set(h).expect(200);
    expect(inForce.body.items.map((e: any) => e.id)).toEqual([fix.body.id]);
    const s = await t.http().get(`/institutions/${inst.id}/reception/summary`).set(h).expect(200);
    expect(s.body).toMatchObject({ currentStance: 'welcoming', entries: 1 });

    // A second correction of the same entry is refused: correct the correction instead.
    const again = await t.http().post(`/institutions/${inst.id}/reception`).set(h).send({ kind: 'welcomed', effectiveAt: '2026-02-01T00:00:00Z', supersedesId: wrong.body.id }).expect(409);
    expect(again.body).toMatchObject({ code: 'ALREADY_SUPERSEDED', details: { supersededById: fix.body.id } });
    // Superseding another institution's entry is refused.
    const other = await t.factories.institution();
    const cross = await t.http().post(`/institutions/${other.id}/reception`).set(h).send({ kind: 'welcomed', effectiveAt: '2026-02-01T00:00:00Z', supersedesId: fix.body.id }).expect(422);
    expect(cross.body.code).toBe('SUPERSEDES_OTHER_INSTITUTION');
    // There is no way to edit or delete an entry.
    await t.http().patch(`/institutions/${inst.id}/reception/${wrong.body.id}`).set(h).send({ reason: 'x' }).expect(404);
    await t.http().delete(`/institutions/${inst.id}/reception/${wrong.body.id}`).set(h).expect(404);
    // Audit has both appends.
    const admin = await t.factories.user('admin');
    const audit = await t.http().get(`/audit?entityType=reception_entry&entityId=${fix.body.id}`).set(t.auth(admin)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'create', actorId: rec.id });
  });

  it('trend: better, same and worse over the last 12 months', async () => {
    const u = await t.factories.user('coordinator');
    const now = t.clock.now();
    const mk = async (stances: Array<[string, number]>) => {
      const inst = await t.factories.institution();
      for (const [stance, daysAgo] of stances)
        await t.factories.reception({ institutionId: inst.id, kind: 'other', stance: stance as any, effectiveAt: now - daysAgo * DAY, recordedAt: now - daysAgo * DAY });
      return (await t.http().get(`/institutions/${inst.id}/reception/summary`).set(t.auth(u)).expect(200)).body;
    };
    expect(
      (
        await mk([
          ['hostile', 500],
          ['neutral', 30],
        ])
      ).trend,
    ).toBe('better');
    expect(
      (
        await mk([
          ['neutral', 500],
          ['neutral', 30],
        ])
      ).trend,
    ).toBe('same');
    expect(
      (
        await mk([
          ['welcoming', 500],
          ['cautious', 100],
          ['restricted', 10],
        ])
      ).trend,
    ).toBe('worse');
    const since = await mk([
      ['hostile', 400],
      ['cautious', 200],
      ['cautious', 20],
    ]);
    expect(since.stanceSince).toBe(new Date(now - 200 * DAY).toISOString());
  });

  it('validates: stance required for policy_changed, no future dates, known kinds, 404 for an unknown institution, hr may not write', async () => {
    const u = await t.factories.user('coordinator');
    const inst = await t.factories.institution();
    const h = t.auth(u);
    expect((await t.http().post(`/institutions/${inst.id}/reception`).set(h).send({ kind: 'policy_changed', effectiveAt: '2026-01-01T00:00:00Z' }).expect(400)).body.fields).toHaveProperty('stance');
    expect((await t.http().post(`/institutions/${inst.id}/reception`).set(h).send({ kind: 'welcomed', effectiveAt: '2027-01-01T00:00:00Z' }).expect(400)).body.fields).toHaveProperty('effectiveAt');
    expect((await t.http().post(`/institutions/${inst.id}/reception`).set(h).send({ kind: 'adored', effectiveAt: '2026-01-01T00:00:00Z', extra: 1 }).expect(400)).body.fields).toHaveProperty('kind');
    await t.http().post(`/institutions/00000000-0000-4000-8000-000000000000/reception`).set(h).send({ kind: 'welcomed', effectiveAt: '2026-01-01T00:00:00Z' }).expect(404);
    const hr = await t.factories.user('hr');
    await t.http().post(`/institutions/${inst.id}/reception`).set(t.auth(hr)).send({ kind: 'welcomed', effectiveAt: '2026-01-01T00:00:00Z' }).expect(403);
  });

  it('refuses personal data in the reason with 422 naming the field and the span', async () => {
    const u = await t.factories.user('coordinator');
    const inst = await t.factories.institution();
    const res = await t
      .http()
      .post(`/institutions/${inst.id}/reception`)
      .set(t.auth(u))
      .send({ kind: 'invitation_declined', effectiveAt: '2026-01-01T00:00:00Z', reason: 'Declined by John Smith, call 330-555-0142' })
      .expect(422);
    expect(res.body.code).toBe('PERSONAL_DATA');
    expect(res.body.fields.reason).toContain('"John Smith"');
    expect(res.body.fields.reason).toContain('"330-555-0142"');
    expect((await t.http().get(`/institutions/${inst.id}/reception`).set(t.auth(u)).expect(200)).body.total).toBe(0);
  });

  it('timeline merges reception, incidents and appearances in time order and paginates across them', async () => {
    const u = await t.factories.user('hr');
    const inst = await t.factories.institution();
    const now = t.clock.now();
    const expected: Array<[string, number]> = [];
    for (let k = 0; k < 4; k++) {
      const r = await t.factories.reception({ institutionId: inst.id, effectiveAt: now - (10 + 3 * k) * DAY });
      expected.push([r.id, r.effectiveAt]);
      const i = await t.factories.incident({ institutionId: inst.id, occurredAt: now - (11 + 3 * k) * DAY });
      expected.push([i.id, i.occurredAt]);
      const a = await t.factories.appearance({ institutionId: inst.id, startsAt: now - (12 + 3 * k) * DAY + (k === 0 ? 40 * DAY : 0) });
      expected.push([a.id, a.startsAt]);
    }
    expected.sort((x, y) => y[1] - x[1]);
    const seen: string[] = [];
    for (let p = 1; p <= 3; p++) {
      const res = await t.http().get(`/institutions/${inst.id}/timeline?page=${p}&pageSize=5`).set(t.auth(u)).expect(200);
      expect(res.body.total).toBe(12);
      for (const item of res.body.items) {
        seen.push(item.id);
        expect(item[item.type]).toBeDefined();
      }
    }
    expect(seen).toEqual(expected.map((e) => e[0]));
    const asc = await t.http().get(`/institutions/${inst.id}/timeline?order=asc&pageSize=2`).set(t.auth(u)).expect(200);
    expect(asc.body.items.map((i: any) => i.id)).toEqual([expected[11][0], expected[10][0]]);
    const admin = await t.factories.user('admin');
    const audit = await t.http().get(`/audit?entityType=incident&action=read&actorId=${u.id}`).set(t.auth(admin)).expect(200);
    expect(audit.body.items[0].meta).toMatchObject({ kind: 'timeline', filter: { institutionId: inst.id } });
  });

  it('exports the ledger as CSV with formula-injection protection', async () => {
    const u = await t.factories.user('coordinator');
    const inst = await t.factories.institution({ name: '=HYPERLINK("http://evil")' });
    await t.factories.reception({ institutionId: inst.id, reason: '+cmd|calc', source: '@source' });
    const res = await t.http().get(`/institutions/${inst.id}/reception`).set(t.auth(u)).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('id,institution_id,institution_name,state,kind,stance,reason,source,effective_at,recorded_at,recorded_by_id,supersedes_id,superseded_by_id');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[1]).toContain("'+cmd|calc");
    expect(lines[1]).toContain("'@source");
  });
});
