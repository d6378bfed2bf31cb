import { Incident } from '../src/incidents/incident.entity';
import { createTestApp, TestApp } from './helpers/test-app';

/** The same incident, sent through POST /incidents and through POST /incidents/import, meets the same rules. */
describe('incident rules: one refusal whichever way an incident arrives', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  const csv = (inst: string, cols: Record<string, string>) => {
    const row = { date: '', institution_id: inst, kind: 'protest', severity: '3', target: 'organisation', source: 'news', ...cols };
    return `${Object.keys(row).join(',')}\n${Object.values(row)
      .map((v) => `"${v.replace(/"/g, '""')}"`)
      .join(',')}\n`;
  };

  it.each([
    ['a description older than the retention period', '2020-02-27T15:00:00Z', 'Table blocked for an hour', 'RETENTION_EXPIRED'],
    ['personal data in the description', '2026-02-20T15:00:00Z', 'Organised by a student called Maria Lopez', 'PERSONAL_DATA'],
  ])('%s: the API and the import both refuse it with the same code and field, and store nothing', async (_what, occurredAt, description, code) => {
    const coordinator = await t.factories.user('coordinator');
    const inst = await t.factories.institution();
    const api = await t
      .http()
      .post('/incidents')
      .set(t.auth(coordinator))
      .send({ institutionId: inst.id, kind: 'protest', occurredAt, severity: 3, target: 'organisation', source: 'news', description })
      .expect(422);
    expect(api.body).toMatchObject({ code, fields: { description: expect.any(String) } });

    const imp = await t
      .http()
      .post('/incidents/import')
      .set(t.auth(coordinator))
      .set('Content-Type', 'text/csv')
      .send(csv(inst.id, { date: occurredAt, description }))
      .expect(422);
    expect(imp.body.code).toBe('IMPORT_REFUSED');
    const [row] = imp.body.details.report.items;
    expect(row).toMatchObject({ row: 2, status: 'refused', code, fields: { description: api.body.fields.description } });
    expect(await t.db.getRepository(Incident).countBy({ institutionId: inst.id })).toBe(0);

    // without the description both take the structured facts
    await t.http().post('/incidents').set(t.auth(coordinator)).send({ institutionId: inst.id, kind: 'protest', occurredAt, severity: 3, target: 'organisation', source: 'news' }).expect(201);
    const ok = await t
      .http()
      .post('/incidents/import')
      .set(t.auth(coordinator))
      .set('Content-Type', 'text/csv')
      .send(csv(inst.id, { date: occurredAt, description: '' }))
      .expect(200);
    expect(ok.body).toMatchObject({ created: 1, refused: 0 });
  });

  it("a dispute needs the institution's statement on both paths; with it, the import records who recorded the dispute", async () => {
    const coordinator = await t.factories.user('coordinator');
    const inst = await t.factories.institution();
    const created = await t
      .http()
      .post('/incidents')
      .set(t.auth(coordinator))
      .send({ institutionId: inst.id, kind: 'access_denied', occurredAt: '2026-02-01T15:00:00Z', severity: 2, target: 'organisation', source: 'partner' })
      .expect(201);
    expect(created.body.verification).toBe('reported');
    const api = await t.http().post(`/incidents/${created.body.id}/verification`).set(t.auth(coordinator)).send({ verification: 'disputed' }).expect(400);
    expect(api.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: { statement: "required when disputed: the institution's statement" } });

    const imp = await t
      .http()
      .post('/incidents/import?atomic=false')
      .set(t.auth(coordinator))
      .set('Content-Type', 'text/csv')
      .send(csv(inst.id, { date: '2026-02-02', verification: 'disputed' }))
      .expect(200);
    expect(imp.body.items[0]).toMatchObject({ status: 'refused', code: 'VALIDATION_FAILED', fields: { dispute_statement: api.body.fields.statement } });

    const withStatement = await t
      .http()
      .post('/incidents/import')
      .set(t.auth(coordinator))
      .set('Content-Type', 'text/csv')
      .send(csv(inst.id, { date: '2026-02-02', verification: 'disputed', dispute_statement: 'The department disputes this account.' }))
      .expect(200);
    const row = await t.db.getRepository(Incident).findOneByOrFail({ id: withStatement.body.items[0].id });
    expect(row).toMatchObject({ verification: 'disputed', disputeStatement: 'The department disputes this account.', disputeRecordedById: coordinator.id, disputeRecordedAt: t.clock.now() });
  });
});
