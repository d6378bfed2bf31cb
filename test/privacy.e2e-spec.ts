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

  it('documents the rule in the API docs', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const desc = doc.components.schemas.CreateIncidentDto.properties.description.description as string;
    expect(desc).toMatch(/Privacy guard/);
    expect(doc.paths['/incidents'].post.description).toMatch(/PERSONAL_DATA/);
  });
});
