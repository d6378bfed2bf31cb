import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12);

describe('debriefs (outcomes)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(NOW));

  async function setup(o: { startsAt?: number; status?: 'planned' | 'confirmed' | 'completed' | 'cancelled' } = {}) {
    const office = await t.factories.office();
    const recruiter = await t.factories.user('recruiter', { officeId: office.id });
    const appearance = await t.factories.appearance({
      officeId: office.id,
      recruiterIds: [recruiter.id],
      startsAt: o.startsAt ?? NOW - 2 * DAY,
      status: o.status ?? 'completed',
    });
    return { office, recruiter, appearance };
  }

  const body = {
    result: 'as_planned',
    attendance: 120,
    conversations: 40,
    leads: 12,
    applicationsStarted: 3,
    mitigationsUsed: ['exit_plan', 'civilian_dress'],
    notes: 'Busy table near the entrance; the host moved us to a quieter spot.',
  };

  it('lets the assigned recruiter file the debrief once the appearance has ended, and reads it back', async () => {
    const { recruiter, appearance } = await setup();
    const res = await t.http().put(`/appearances/${appearance.id}/outcome`).set(t.auth(recruiter)).send(body).expect(201);
    expect(res.body).toMatchObject({
      appearanceId: appearance.id,
      result: 'as_planned',
      attendance: 120,
      leads: 12,
      applicationsStarted: 3,
      mitigationsUsed: ['civilian_dress', 'exit_plan'],
      submittedById: recruiter.id,
      submittedAt: new Date(NOW).toISOString(),
      editableUntil: new Date(NOW + 14 * DAY).toISOString(),
      editable: true,
    });
    const got = await t.http().get(`/appearances/${appearance.id}/outcome`).set(t.auth(recruiter)).expect(200);
    expect(got.body.notes).toBe(body.notes);
  });

  it('refuses a debrief before the appearance has ended (injected clock)', async () => {
    const { recruiter, appearance } = await setup({ startsAt: NOW - 2 * 3_600_000, status: 'confirmed' }); // ends in 2 h
    const res = await t.http().put(`/appearances/${appearance.id}/outcome`).set(t.auth(recruiter)).send(body).expect(422);
    expect(res.body.code).toBe('APPEARANCE_NOT_ENDED');
    t.clock.advance(2 * 3_600_000);
    await t.http().put(`/appearances/${appearance.id}/outcome`).set(t.auth(recruiter)).send(body).expect(201);
  });

  it('allows the office coordinator and admin, refuses other recruiters, other offices and hr', async () => {
    const { office, appearance } = await setup();
    const coordinator = await t.factories.user('coordinator', { officeId: office.id });
    const otherCoordinator = await t.factories.user('coordinator');
    const stranger = await t.factories.user('recruiter', { officeId: office.id });
    const hr = await t.factories.user('hr');
    const admin = await t.factories.user('admin');
    expect((await t.http().put(`/appearances/${appearance.id}/outcome`).set(t.auth(stranger)).send(body).expect(403)).body.code).toBe('NOT_ASSIGNED');
    await t.http().put(`/appearances/${appearance.id}/outcome`).set(t.auth(otherCoordinator)).send(body).expect(403);
    await t.http().put(`/appearances/${appearance.id}/outcome`).set(t.auth(hr)).send(body).expect(403);
    await t.http().put(`/appearances/${appearance.id}/outcome`).set(t.auth(coordinator)).send(body).expect(201);
    await t
      .http()
      .put(`/appearances/${appearance.id}/outcome`)
      .set(t.auth(admin))
      .send({ ...body, leads: 13 })
      .expect(200);
    const got = await t.http().get(`/appearances/${appearance.id}/outcome`).set(t.auth(hr)).expect(200);
    expect(got.body).toMatchObject({ leads: 13, submittedById: coordinator.id });
  });

  it('is editable inside the window only, and every write is audited with before and after', async () => {
    const { recruiter, appearance } = await setup();
    await t.http().put(`/appearances/${appearance.id}/outcome`).set(t.auth(recruiter)).send(body).expect(201);
    t.clock.advance(14 * DAY);
    await t
      .http()
      .put(`/appearances/${appearance.id}/outcome`)
      .set(t.auth(recruiter))
      .send({ ...body, result: 'disrupted' })
      .expect(200);
    t.clock.advance(1);
    const late = await t
      .http()
      .put(`/appearances/${appearance.id}/outcome`)
      .set(t.auth(recruiter))
      .send({ ...body, leads: 99 })
      .expect(422);
    expect(late.body).toMatchObject({ code: 'DEBRIEF_LOCKED', details: { editableUntil: new Date(NOW + 14 * DAY).toISOString() } });
    const got = await t.http().get(`/appearances/${appearance.id}/outcome`).set(t.auth(recruiter)).expect(200);
    expect(got.body).toMatchObject({ result: 'disrupted', leads: 12, editable: false });

    const admin = await t.factories.user('admin');
    const audit = await t.http().get(`/audit?entityType=outcome&entityId=${appearance.id}`).set(t.auth(admin)).expect(200);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['outcome.updated', 'outcome.submitted']);
    expect(audit.body.items[0].before).toMatchObject({ result: 'as_planned' });
    expect(audit.body.items[0].after).toMatchObject({ result: 'disrupted' });
    expect(audit.body.items[1].before).toBeNull();
  });

  it('refuses personal data in notes (privacy guard) and mitigations outside the catalogue', async () => {
    const { recruiter, appearance } = await setup();
    const priv = await t
      .http()
      .put(`/appearances/${appearance.id}/outcome`)
      .set(t.auth(recruiter))
      .send({ ...body, notes: 'The organiser was jane.doe@example.edu, call 330-555-0199' })
      .expect(422);
    expect(priv.body.code).toBe('PERSONAL_DATA');
    expect(priv.body.fields.notes).toMatch(/e-mail/);
    const bad = await t
      .http()
      .put(`/appearances/${appearance.id}/outcome`)
      .set(t.auth(recruiter))
      .send({ ...body, mitigationsUsed: ['exit_plan', 'bring_a_dog'] })
      .expect(400);
    expect(bad.body.code).toBe('UNKNOWN_MITIGATION');
    expect(Object.keys(bad.body.fields)).toEqual(['mitigationsUsed[1]']);
    const invalid = await t.http().put(`/appearances/${appearance.id}/outcome`).set(t.auth(recruiter)).send({ result: 'great', leads: -1, extra: 1 }).expect(400);
    expect(Object.keys(invalid.body.fields).sort()).toEqual(['extra', 'leads', 'result']);
    await t.http().get(`/appearances/${appearance.id}/outcome`).set(t.auth(recruiter)).expect(404);
  });

  it('lists debriefs due: completed or ended appearances without an outcome, scoped by role', async () => {
    const { office, recruiter, appearance } = await setup();
    const ended = await t.factories.appearance({ officeId: office.id, recruiterIds: [recruiter.id], startsAt: NOW - 3 * DAY, status: 'confirmed' });
    await t.factories.appearance({ officeId: office.id, recruiterIds: [recruiter.id], startsAt: NOW - 3 * DAY, status: 'cancelled' });
    await t.factories.appearance({ officeId: office.id, recruiterIds: [recruiter.id], startsAt: NOW + 3 * DAY, status: 'confirmed' });
    const filed = await t.factories.appearance({ officeId: office.id, recruiterIds: [recruiter.id], startsAt: NOW - 4 * DAY, status: 'completed' });
    await t.http().put(`/appearances/${filed.id}/outcome`).set(t.auth(recruiter)).send(body).expect(201);

    const mine = await t.http().get('/outcomes/due').set(t.auth(recruiter)).expect(200);
    expect(mine.body.map((d: { appearanceId: string }) => d.appearanceId)).toEqual([ended.id, appearance.id]);
    expect(mine.body[0]).toMatchObject({ status: 'confirmed', daysSinceEnd: 2 });

    const coordinator = await t.factories.user('coordinator', { officeId: office.id });
    const office2 = await t.http().get('/outcomes/due').set(t.auth(coordinator)).expect(200);
    expect(office2.body).toHaveLength(2);
    await t
      .http()
      .get(`/outcomes/due?officeId=${(await t.factories.office()).id}`)
      .set(t.auth(coordinator))
      .expect(403);
    const other = await t.factories.user('recruiter');
    expect((await t.http().get('/outcomes/due').set(t.auth(other)).expect(200)).body).toEqual([]);
  });
});
