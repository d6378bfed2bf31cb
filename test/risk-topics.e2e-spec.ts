import { Incident } from '../src/incidents/incident.entity';
import { Institution } from '../src/institutions/institution.entity';
import { RiskParametersService } from '../src/risk/risk-parameters.service';
import { RiskPreviewService } from '../src/risk/risk-preview.service';
import { SHIPPED_PARAMS } from '../src/risk/shipped-params';
import { withBetas } from '../src/risk/params';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;

/** Risk that forewarns (RISK_MODEL §1–§7): topics through the imports and the API, topic relations, parameter sets, previews. */
describe('risk: topics, affiliation, parameter sets, previews', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let hr: { Authorization: string };
  let recruiter: { Authorization: string };
  let columbia: Institution;
  let quiet: Institution;
  const csv = (path: string, body: string, h = admin) => t.http().post(path).set(h).set('Content-Type', 'text/csv').send(body);

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-11-01T12:00:00Z' });
    admin = t.auth(await t.factories.user('admin'));
    hr = t.auth(await t.factories.user('hr'));
    recruiter = t.auth(await t.factories.user('recruiter'));
    const scorecard = [
      'name,city,state,ownership,highest_degree',
      'Columbia University in the City of New York,New York,NY,private nonprofit,graduate',
      'Kent State University at Kent,Kent,OH,public,graduate',
      'Quiet Beauty Academy,Dayton,OH,private for-profit,certificate',
    ].join('\n');
    const res = await csv('/institutions/import', scorecard).expect(200);
    expect(res.body).toMatchObject({ created: 3, refused: 0 });
    columbia = await t.db.getRepository(Institution).findOneByOrFail({ name: 'Columbia University in the City of New York' });
    quiet = await t.db.getRepository(Institution).findOneByOrFail({ name: 'Quiet Beauty Academy' });
  });
  afterAll(() => t.close());

  // Crowd Counting Consortium format: 12 protests at Columbia in September–October (3 about immigration enforcement), 1 about recruiting at Kent
  const protests = () => {
    const rows = ['date,institution,city,state,kind,size,about_recruiting,about_immigration_enforcement,about_gaza'];
    for (let i = 0; i < 12; i++)
      rows.push(`2026-${i < 6 ? '09' : '10'}-${String(3 + i * 2).padStart(2, '0')},Columbia University in the City of New York,New York,NY,,120,no,${i < 3 ? 'yes' : 'no'},${i < 3 ? 'no' : 'yes'}`);
    rows.push('2026-10-20,Kent State University at Kent,Kent,OH,,40,yes,no,no');
    return rows.join('\n');
  };

  it("keeps the Scorecard ownership and highest degree, and the protests' topics (the dry run shows the mapping)", async () => {
    expect(columbia).toMatchObject({ ownership: 'private nonprofit', highestDegree: 'graduate' });
    const dry = await csv('/incidents/import?dryRun=true', protests()).expect(200);
    expect(dry.body).toMatchObject({ format: 'campus_protests', dryRun: true, committed: false, created: 13 });
    expect(dry.body.topicMapping).toEqual({
      about_recruiting: 'recruiting_employers',
      about_immigration_enforcement: 'immigration_enforcement',
      about_gaza: 'foreign_policy',
      'none of them': 'other',
    });
    expect(dry.body.topics).toEqual({ immigration_enforcement: 3, foreign_policy: 9, recruiting_employers: 1 });
    expect(dry.body.items[0]).toMatchObject({ row: 2, status: 'created', topics: ['immigration_enforcement'] });
    expect(await t.db.getRepository(Incident).count()).toBe(0);
    await csv('/incidents/import', protests()).expect(200);
    const list = await t.http().get('/incidents?topic=immigration_enforcement').set(hr).expect(200);
    expect(list.body.total).toBe(3);
    expect(list.body.items[0].topics).toEqual(['immigration_enforcement']);
    const bad = await t.http().get('/incidents?topic=gaza').set(hr).expect(400);
    expect(Object.keys(bad.body.fields)).toEqual(['topic']);
    // the institution's timeline and the incident reports filter by topic too
    const timeline = await t.http().get(`/institutions/${columbia.id}/timeline?topic=immigration_enforcement&pageSize=50`).set(hr).expect(200);
    expect(timeline.body.items.filter((i: { type: string }) => i.type === 'incident')).toHaveLength(3);
    const all = await t.http().get(`/institutions/${columbia.id}/timeline?pageSize=50`).set(hr).expect(200);
    expect(all.body.items.filter((i: { type: string }) => i.type === 'incident')).toHaveLength(12);
    const trend = await t.http().get('/reports/incident-trend?topic=labour').set(hr).expect(200);
    expect(trend.body.window).toMatchObject({ topic: 'labour' });
    await t.http().get('/reports/incident-trend?topic=gaza').set(hr).expect(400);
  });

  it('a re-import gives rows imported before topics existed their topics, and fills a missing highest degree', async () => {
    await t.db.query(`UPDATE incidents SET topic_mask = 64`);
    await t.db.query(`UPDATE institutions SET highest_degree = NULL WHERE id = '${quiet.id}'`);
    const again = await csv('/incidents/import', protests()).expect(200);
    expect(again.body).toMatchObject({ created: 0, matched: 13 });
    expect(again.body.items[0]).toMatchObject({ status: 'matched', note: 'topics set to immigration_enforcement' });
    expect((await t.http().get('/incidents?topic=immigration_enforcement').set(hr).expect(200)).body.total).toBe(3);
    const sc = await csv('/institutions/import', 'name,city,state,ownership,highest_degree\nQuiet Beauty Academy,Dayton,OH,private for-profit,certificate').expect(200);
    expect(sc.body.items[0]).toMatchObject({ status: 'matched', note: 'filled in highest degree' });
    expect((await t.db.getRepository(Institution).findOneByOrFail({ id: quiet.id })).highestDegree).toBe('certificate');
  });

  it('topics through the API: set on create, filtered, and an unknown one refused naming the field (API and CSV alike)', async () => {
    const kent = await t.db.getRepository(Institution).findOneByOrFail({ name: 'Kent State University at Kent' });
    const body = { institutionId: kent.id, kind: 'protest', occurredAt: '2026-10-30T15:00:00Z', severity: 1, target: 'general_activism', source: 'news', topics: ['labour', 'policing'] };
    const made = await t.http().post('/incidents').set(recruiter).send(body).expect(201);
    expect(made.body.topics).toEqual(['policing', 'labour']);
    const bad = await t
      .http()
      .post('/incidents')
      .set(recruiter)
      .send({ ...body, topics: ['gaza'] })
      .expect(400);
    expect(Object.keys(bad.body.fields)).toEqual(['topics']);
    const row = `date,institution,city,state,kind,severity,target,source,topics\n2026-10-29,Kent State University at Kent,Kent,OH,protest,1,general_activism,news,labour;gaza`;
    const refused = await csv('/incidents/import', row).expect(422);
    expect(refused.body.details.report.items[0].fields).toEqual({ topics: expect.stringMatching(/^unknown topic "gaza"/) });
  });

  it('an appearance where affiliation-topic protests happened says so, with counts, and reads above a quiet campus', async () => {
    const start = t.clock.now() + 30 * DAY;
    const [a, b] = await Promise.all([
      t.factories.appearance({ institutionId: columbia.id, startsAt: start, visibleBranding: true }),
      t.factories.appearance({ institutionId: quiet.id, startsAt: start, visibleBranding: true }),
    ]);
    const busy = (await t.http().get(`/appearances/${a.id}/risk`).set(recruiter).expect(200)).body;
    const calm = (await t.http().get(`/appearances/${b.id}/risk`).set(recruiter).expect(200)).body;
    expect(busy.p).toBeGreaterThan(calm.p * 5);
    expect(busy.reasons.join('\n')).toMatch(/Protests on our affiliation's topics here \(3 about immigration enforcement in the last 12 months\)/);
    expect(busy.reasons.join('\n')).toMatch(/^12 protests or actions recorded here in the last 12 months/m);
    expect(busy.reasons.join('\n')).not.toMatch(/No recorded history/);
    expect(calm.reasons[0]).toMatch(/^No recorded history here/);
    // the stored evidence is what the model used: decayed on to the start, with the lead time
    expect(busy.leadTimeDays).toBeCloseTo(30, 0);
    expect(busy.evidenceUsed.affiliationActivity).toBeLessThan(busy.evidence.affiliationActivity);
    expect(busy.modelVersion).toBe(SHIPPED_PARAMS.version);
  });

  it('mentions the Kent State disruption of 2020 in a new briefing (structured facts survive retention)', async () => {
    const kent = await t.db.getRepository(Institution).findOneByOrFail({ name: 'Kent State University at Kent' });
    await t.factories.incident({
      institutionId: kent.id,
      state: 'OH',
      target: 'organisation',
      kind: 'table_blocked',
      severity: 3,
      verification: 'corroborated',
      occurredAt: Date.UTC(2020, 1, 27, 15),
      recordedAt: Date.UTC(2020, 1, 28),
      description: null,
    });
    const a = await t.factories.appearance({ institutionId: kent.id, startsAt: t.clock.now() + 20 * DAY });
    const view = (await t.http().get(`/appearances/${a.id}/risk`).set(recruiter).expect(200)).body;
    expect(view.reasons).toContain('Our last disruption here: 2020-02-27, the table blocked (severe).');
  });

  it('topic relations: admins change them (audited), upcoming appearances are re-assessed, others may only read', async () => {
    expect((await t.http().get('/risk/topic-relations').set(recruiter).expect(200)).body).toMatchObject({
      immigration_enforcement: 'affiliation',
      recruiting_employers: 'activity',
      foreign_policy: 'context',
    });
    await t
      .http()
      .put('/risk/topic-relations')
      .set(recruiter)
      .send({ relations: { policing: 'context' } })
      .expect(403);
    const bad = await t
      .http()
      .put('/risk/topic-relations')
      .set(admin)
      .send({ relations: { policing: 'enemy', gaza: 'context' } })
      .expect(400);
    expect(bad.body.fields).toEqual({ policing: 'must be one of affiliation, activity, context', gaza: expect.stringMatching(/^unknown topic/) });
    const a = await t.factories.appearance({ institutionId: columbia.id, startsAt: t.clock.now() + 40 * DAY });
    t.clock.advance(60_000);
    const res = await t
      .http()
      .put('/risk/topic-relations')
      .set(admin)
      .send({ relations: { immigration_enforcement: 'context' } })
      .expect(200);
    expect(res.body.relations.immigration_enforcement).toBe('context');
    expect(res.body.reassessed).toBeGreaterThanOrEqual(1);
    const after = (await t.http().get(`/appearances/${a.id}/risk`).set(recruiter).expect(200)).body;
    expect(after.trigger).toBe('topic_relations_changed');
    expect(after.reasons.join('\n')).not.toMatch(/affiliation's topics here/);
    const audit = await t.http().get('/audit?entityType=risk_topic_relations').set(admin).expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'update', after: expect.objectContaining({ immigration_enforcement: 'context' }) });
    await t
      .http()
      .put('/risk/topic-relations')
      .set(admin)
      .send({ relations: { immigration_enforcement: 'affiliation' } })
      .expect(200);
  });

  it('parameter sets: listed with their back-test, one that did not beat the baselines needs force, activation re-assesses and is audited', async () => {
    const listed = (await t.http().get('/risk/parameters').set(hr).expect(200)).body;
    expect(listed).toEqual([
      expect.objectContaining({
        version: SHIPPED_PARAMS.version,
        active: true,
        shipped: true,
        beatsBaselines: true,
        report: expect.objectContaining({ verdict: expect.stringMatching(/^VERDICT: /) }),
      }),
    ]);
    await t.http().get('/risk/parameters').set(recruiter).expect(403);
    const params = t.app.get(RiskParametersService);
    const doubled = withBetas(SHIPPED_PARAMS, { visibleBranding: Math.log(3) }, 'test-branding-x3');
    await t.db.transaction((m) => params.store(m, doubled, { verdict: 'VERDICT: not judged' }, false, null));
    const a = await t.factories.appearance({ institutionId: quiet.id, startsAt: t.clock.now() + 10 * DAY, visibleBranding: true });
    const before = (await t.http().get(`/appearances/${a.id}/risk`).set(recruiter).expect(200)).body;
    const refused = await t.http().post('/risk/parameters/test-branding-x3/activate').set(admin).expect(422);
    expect(refused.body.code).toBe('PARAMETERS_NOT_PROVEN');
    await t.http().post('/risk/parameters/nope/activate').set(admin).expect(404);
    await t.http().post('/risk/parameters/test-branding-x3/activate?force=true').set(hr).expect(403);
    t.clock.advance(60_000);
    const on = await t.http().post('/risk/parameters/test-branding-x3/activate?force=true').set(admin).expect(200);
    expect(on.body).toMatchObject({ from: SHIPPED_PARAMS.version, to: 'test-branding-x3' });
    expect(on.body.reassessed).toBeGreaterThanOrEqual(1);
    const now = (await t.http().get(`/appearances/${a.id}/risk`).set(recruiter).expect(200)).body;
    expect(now).toMatchObject({ modelVersion: 'test-branding-x3', trigger: 'parameters_activated' });
    expect(now.p).toBeGreaterThan(before.p);
    // snapshots keep the version they were made with
    const history = (await t.http().get(`/appearances/${a.id}/risk/history`).set(recruiter).expect(200)).body.items;
    expect(history.map((h: { modelVersion: string }) => h.modelVersion)).toEqual(['test-branding-x3', SHIPPED_PARAMS.version]);
    const audit = await t.http().get('/audit?entityType=risk_parameter_set').set(admin).expect(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'activate',
      entityId: 'test-branding-x3',
      before: { version: SHIPPED_PARAMS.version },
      after: { version: 'test-branding-x3' },
      meta: { force: true },
    });
    // back to the shipped default
    await t.http().post(`/risk/parameters/${SHIPPED_PARAMS.version}/activate`).set(admin).expect(200);
    expect((await t.app.get(RiskPreviewService).preview({ appearanceId: a.id })).modelVersion).toBe(SHIPPED_PARAMS.version);
  });

  it('previews an appearance with overrides, in local time, with the difference from its assessment and whether the date matters', async () => {
    const a = await t.factories.appearance({ institutionId: columbia.id, startsAt: t.clock.now() + 15 * DAY, visibleBranding: true });
    const current = (await t.http().get(`/appearances/${a.id}/risk`).set(recruiter).expect(200)).body;
    const res = await t.http().post('/risk/preview').set(recruiter).send({ appearanceId: a.id, visibleBranding: false }).expect(200);
    expect(res.body.id).toBeNull();
    expect(res.body.comparison).toMatchObject({ assessmentId: current.id, p: current.p, levelChanged: expect.any(Boolean) });
    expect(res.body.comparison.differenceP).toBeLessThan(0);
    expect(res.body.comparison.text).toMatch(/^Lower than the current assessment/);
    expect(res.body.factors.map((f: { id: string }) => f.id)).not.toContain('visibleBranding');
    const later = await t.http().post('/risk/preview').set(recruiter).send({ appearanceId: a.id, startsLocal: '2027-09-15T10:00', timeZone: 'America/New_York' }).expect(200);
    expect(later.body.startsAt).toBe('2027-09-15T14:00:00.000Z');
    expect(later.body.dateMakesNoDifference).toBe(false);
    expect(later.body.p).toBeLessThan(current.p);
    // as known before any protest was recorded there is nothing to fade: any date gives the same chance
    const calm = await t.factories.appearance({ institutionId: quiet.id, startsAt: t.clock.now() + 15 * DAY });
    const same = await t.http().post('/risk/preview').set(recruiter).send({ appearanceId: calm.id, asOf: '2026-06-01T00:00:00Z' }).expect(200);
    expect(same.body.dateMakesNoDifference).toBe(true);
    expect(same.body.dateNote).toMatch(/^The date makes no difference here/);
    expect((await t.http().post('/risk/preview').set(recruiter).send({ appearanceId: a.id, startsLocal: '2027-09-15T10:00' }).expect(400)).body.fields).toEqual({
      timeZone: 'required with startsLocal',
    });
    expect(
      (await t.http().post('/risk/preview').set(recruiter).send({ appearanceId: a.id, startsLocal: '2027-09-15T10:00', timeZone: 'America/New_York', startsAt: '2027-09-15T14:00:00Z' }).expect(400))
        .body.fields,
    ).toEqual({ startsLocal: 'give startsAt or startsLocal with timeZone, not both' });
    await t.http().post('/risk/preview').set(recruiter).send({ appearanceId: '7d7d7d7d-7d7d-4d7d-8d7d-7d7d7d7d7d7d' }).expect(404);
  });
});
