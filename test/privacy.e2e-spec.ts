import { PRIVACY_ALLOWED, PRIVACY_REFUSED } from '../src/common/privacy/privacy-cases';
import { createTestApp, TestApp } from './helpers/test-app';

/** The privacy guard's table, through the API: every free-text field refuses personal data with 422. */
describe('privacy guard through the API', () => {
  let t: TestApp;
  let h: { Authorization: string };
  let institutionId: string;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
    h = t.auth(await t.factories.user('coordinator'));
    institutionId = (await t.factories.institution()).id;
  });
  afterAll(() => t.close());

  const incident = (description: string) => ({ institutionId, kind: 'protest', occurredAt: '2026-02-01T12:00:00Z', severity: 1, target: 'general_activism', source: 'campus_media', description });

  it.each(PRIVACY_REFUSED)('refuses %j in an incident description (%s)', async (text, _kind, span) => {
    const res = await t.http().post('/incidents').set(h).send(incident(text)).expect(422);
    expect(res.body.code).toBe('PERSONAL_DATA');
    expect(res.body.fields.description).toContain(`offending span "${span}"`);
    expect(res.body.details.hits).toContainEqual(expect.objectContaining({ field: 'description', span }));
  });

  it.each(PRIVACY_ALLOWED.filter(Boolean).map((s) => [s]))('stores %j', async (text) => {
    const res = await t.http().post('/incidents').set(h).send(incident(text)).expect(201);
    expect(res.body.description).toBe(text);
  });

  it('guards every free-text field: reception reason and source, dispute statement, incident correction, CSV import', async () => {
    const r = await t.http().post(`/institutions/${institutionId}/reception`).set(h).send({ kind: 'welcomed', effectiveAt: '2026-01-01T00:00:00Z', source: 'Tip from @campus_watch' }).expect(422);
    expect(Object.keys(r.body.fields)).toEqual(['source']);
    const inc = await t.factories.incident({ institutionId });
    const d = await t.http().post(`/incidents/${inc.id}/verification`).set(h).send({ verification: 'disputed', statement: 'Contact press@university.edu for comment' }).expect(422);
    expect(d.body.fields.statement).toContain('"press@university.edu"');
    const u = await t.http().patch(`/incidents/${inc.id}`).set(h).send({ description: 'Led by Maria Garcia' }).expect(422);
    expect(u.body.fields.description).toContain('"Maria Garcia"');
    const csv = `date,institution_id,kind,severity,target,source,description\n2026-02-01,${institutionId},protest,1,general_activism,news,Organiser phone (330) 555-0142\n`;
    const imp = await t.http().post('/incidents/import').set(h).set('Content-Type', 'text/csv').send(csv).expect(422);
    expect(imp.body.code).toBe('IMPORT_REFUSED');
    expect(imp.body.details.report.items[0]).toMatchObject({ row: 2, status: 'refused', fields: { description: expect.stringContaining('"(330) 555-0142"') } });
  });

  it('guards appearance title and venue, institution name, city and external id, office name and region: 422 naming each field, nothing stored', async () => {
    const admin = t.auth(await t.factories.user('admin'));
    const coord = await t.factories.user('coordinator');
    const before = async () =>
      Object.fromEntries(await Promise.all(['appearances', 'institutions', 'offices', 'audit_entries'].map(async (x) => [x, Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${x}`))[0].n)])));
    const counts = await before();
    const fair = { institutionId, kind: 'career_fair', title: 'Spring fair', startsAt: '2026-04-02T10:00:00-04:00', endsAt: '2026-04-02T14:00:00-04:00', format: 'in_person', audience: 'public' };
    let res = await t
      .http()
      .post('/appearances')
      .set(t.auth(coord))
      .send({ ...fair, title: 'Fair (ask jane.doe@example.edu)', venue: 'Booth next to Maria Garcia' })
      .expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['title', 'venue']);
    expect(res.body.fields.venue).toContain('"Maria Garcia"');
    const ok = await t
      .http()
      .post('/appearances')
      .set(t.auth(coord))
      .send({ ...fair, title: 'Lockheed Martin info session', venue: 'Martin Luther King Jr. Student Union, 1 University Plaza' })
      .expect(201);
    res = await t.http().patch(`/appearances/${ok.body.id}`).set(t.auth(coord)).send({ title: 'Fair — contact name[at]gmail[dot]com' }).expect(422);
    expect(res.body.fields.title).toContain('"name[at]gmail[dot]com"');
    res = await t
      .http()
      .post('/institutions')
      .set(admin)
      .send({ name: 'John Smith', kind: 'college', city: 'jane.doe@example.edu', externalId: 'call 330-555-0142', timeZone: 'America/New_York' })
      .expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['city', 'externalId', 'name']);
    const inst = await t
      .http()
      .post('/institutions')
      .set(admin)
      .send({ name: 'George Washington University', kind: 'university', city: 'Washington', state: 'DC', externalId: '131469', timeZone: 'America/New_York' })
      .expect(201);
    res = await t.http().patch(`/institutions/${inst.body.id}`).set(admin).send({ city: '@gwu_protest', ownership: 'ask jane@example.org' }).expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['city', 'ownership']);
    res = await t.http().post('/offices').set(admin).send({ name: 'Office of Dana Whitfield', region: 'ksu.resist on Instagram', timeZone: 'America/New_York' }).expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['name', 'region']);
    const office = await t.http().post('/offices').set(admin).send({ name: 'Ann Arbor Field Office', region: 'Great Lakes', timeZone: 'America/Detroit' }).expect(201);
    res = await t.http().patch(`/offices/${office.body.id}`).set(admin).send({ region: 'Lives at 123 Main Street' }).expect(422);
    expect(res.body.fields.region).toContain('"123 Main Street"');
    const after = await before();
    expect(after).toEqual({ ...counts, appearances: counts.appearances + 1, institutions: counts.institutions + 1, offices: counts.offices + 1, audit_entries: expect.any(Number) });
  });

  it('guards CSV imports: institution name, city and external id, incident import keys', async () => {
    const admin = t.auth(await t.factories.user('admin'));
    const inst =
      'name,kind,city,state,external_id\nPrivacy Test College,college,Kent,OH,PT-1\nJohn Smith,college,Kent,OH,PT-2\nAnother Test College,college,jane@example.edu,OH,PT-3\nThird Test College,college,Kent,OH,name[at]gmail[dot]com\n';
    const r = await t.http().post('/institutions/import').set(admin).set('Content-Type', 'text/csv').send(inst).expect(422);
    expect(r.body.details.report.items.map((i: any) => [i.row, i.status, Object.keys(i.fields ?? {})])).toEqual([
      [2, 'created', []],
      [3, 'refused', ['name']],
      [4, 'refused', ['city']],
      [5, 'refused', ['external_id']],
    ]);
    const inc = `date,institution_id,kind,severity,target,source,import_key\n2026-02-01,${institutionId},protest,1,general_activism,news,CCC-2026-0001\n2026-02-02,${institutionId},protest,1,general_activism,news,@ksu_resist\n`;
    const i = await t.http().post('/incidents/import').set(admin).set('Content-Type', 'text/csv').send(inc).expect(422);
    expect(i.body.details.report.items.map((x: any) => [x.row, x.status, Object.keys(x.fields ?? {})])).toEqual([
      [2, 'created', []],
      [3, 'refused', ['import_key']],
    ]);
  });

  it('documents the rule in the API docs', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const desc = doc.components.schemas.CreateIncidentDto.properties.description.description as string;
    expect(desc).toMatch(/Privacy guard/);
    expect(doc.paths['/incidents'].post.description).toMatch(/PERSONAL_DATA/);
  });
});
