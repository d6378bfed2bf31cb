import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Incident } from '../src/incidents/incident.entity';
import { Institution } from '../src/institutions/institution.entity';
import { createTestApp, TestApp } from './helpers/test-app';

const FIXTURES = join(__dirname, 'fixtures');
const SCORECARD = join(FIXTURES, 'us-institutions.csv');
const PROTESTS = join(FIXTURES, 'campus-protests-fall-2024.csv');

describe('CSV import and export', () => {
  let t: TestApp;
  let h: { Authorization: string };
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
    h = t.auth(await t.factories.user('admin'));
  });
  afterAll(() => t.close());

  const post = (path: string, body: string | Buffer) => t.http().post(path).set(h).set('Content-Type', 'text/csv').send(body);
  const count = async (entity: typeof Institution | typeof Incident) => t.db.getRepository(entity).count();

  it('imports the whole College Scorecard file (streamed), then re-imports it creating nothing; the protest file then matches by row', async () => {
    const dry = await post('/institutions/import?dryRun=true', readFileSync(SCORECARD)).expect(200);
    expect(dry.body).toMatchObject({ format: 'scorecard', dryRun: true, committed: false, rows: 6429, created: 6416, matched: 13, refused: 0 });
    expect(await count(Institution)).toBe(0);

    const res = await post('/institutions/import', readFileSync(SCORECARD)).expect(200);
    expect(res.body).toMatchObject({ format: 'scorecard', committed: true, rows: 6429, created: 6416, matched: 13, refused: 0 });
    expect(res.body.items[0]).toMatchObject({ row: 2, status: 'created' });
    const dup = res.body.items.find((i: any) => i.status === 'matched');
    expect(dup.reason).toMatch(/^same institution as row \d+$/);
    expect(await count(Institution)).toBe(6416);

    const kent = await t.db.getRepository(Institution).findOneByOrFail({ name: 'Kent State University at Kent' });
    expect(kent).toMatchObject({ city: 'Kent', state: 'OH', timeZone: 'America/New_York', ownership: 'public', kind: 'university', country: 'US' });
    const utep = await t.db.getRepository(Institution).findOneByOrFail({ name: 'The University of Texas at El Paso' });
    expect(utep.timeZone).toBe('America/Denver');
    const ut = await t.db.getRepository(Institution).findOneByOrFail({ name: 'The University of Texas at Austin' });
    expect(ut.timeZone).toBe('America/Chicago');

    const again = await post('/institutions/import', readFileSync(SCORECARD)).expect(200);
    expect(again.body).toMatchObject({ rows: 6429, created: 0, matched: 6429, refused: 0 });
    expect(again.body.items.find((i: any) => i.row === 2)).toMatchObject({ status: 'matched', id: res.body.items[0].id, reason: 'same name, city and state' });
    expect(await count(Institution)).toBe(6416);

    // The campus-protest file: all rows but one match an institution; atomic by default, so it is refused whole.
    const atomic = await t.http().post('/incidents/import').set(h).set('Content-Type', 'text/csv').send(readFileSync(PROTESTS)).expect(422);
    expect(atomic.body.code).toBe('IMPORT_REFUSED');
    expect(atomic.body.details.report).toMatchObject({ format: 'campus_protests', committed: false, rows: 1479, created: 1478, refused: 1, institutionsMatched: 1478 });
    const refused = atomic.body.details.report.items.find((i: any) => i.status === 'refused');
    expect(refused.reason).toBe('no institution named "Northeastern University in Arlington" in Arlington, VA');
    expect(atomic.body.fields).toEqual({ [`row ${refused.row}`]: refused.reason });
    expect(await count(Incident)).toBe(0);

    const partial = await post('/incidents/import?atomic=false', readFileSync(PROTESTS)).expect(200);
    expect(partial.body).toMatchObject({ committed: true, rows: 1479, created: 1478, matched: 0, refused: 1, institutionsMatched: 1478 });
    expect(await count(Incident)).toBe(1478);
    const rows = await t.db.getRepository(Incident).find({ where: { target: 'peer_recruiters' } });
    expect(rows).toHaveLength(21);
    expect(rows.every((r) => r.kind === 'protest' && r.severity === 1 && r.description === null && r.source === 'news' && r.importKey?.startsWith('ccc:'))).toBe(true);
    expect(await t.db.getRepository(Incident).count({ where: { target: 'general_activism' } })).toBe(1457);
    // Penn State's protests say "State College"; the Scorecard says "University Park": matched by name + state.
    const psu = await t.db.getRepository(Institution).findOneByOrFail({ name: 'Pennsylvania State University-Main Campus' });
    expect(await t.db.getRepository(Incident).count({ where: { institutionId: psu.id } })).toBeGreaterThanOrEqual(17);

    const reimport = await post('/incidents/import?atomic=false', readFileSync(PROTESTS)).expect(200);
    expect(reimport.body).toMatchObject({ created: 0, matched: 1478, refused: 1 });
    expect(await count(Incident)).toBe(1478);
  });

  it('streams a large body (piped from a file) and reports per-row refusals with reasons; atomic leaves the database unchanged', async () => {
    const before = await count(Institution);
    const csv = [
      'name,kind,city,state,country,time_zone',
      'Forewarn Test College,college,Springfield,IL,US,',
      ',university,Nowhere,OH,US,America/New_York',
      'Bad Zone University,university,Somewhere,ZZ,US,',
      'Wrong Kind Institute,spaceport,Houston,TX,US,',
      'Toronto Metropolitan University,university,Toronto,ON,CA,America/Toronto',
      'Zone Typo University,university,Austin,TX,US,America/Austin',
    ].join('\n');
    const res = await post('/institutions/import', csv).expect(422);
    const items = res.body.details.report.items;
    expect(items.map((i: any) => [i.row, i.status])).toEqual([
      [2, 'created'],
      [3, 'refused'],
      [4, 'refused'],
      [5, 'refused'],
      [6, 'created'],
      [7, 'refused'],
    ]);
    expect(items[1].fields).toHaveProperty('name');
    expect(items[2].fields).toHaveProperty('time_zone');
    expect(items[3].fields.kind).toMatch(/kind must be one of/);
    expect(items[5].fields.time_zone).toMatch(/IANA/);
    expect(await count(Institution)).toBe(before);
    expect(await t.db.getRepository(Institution).countBy({ name: 'Forewarn Test College' })).toBe(0);

    const dry = await post('/institutions/import?dryRun=true&atomic=false', csv).expect(200);
    expect(dry.body).toMatchObject({ committed: false, created: 2, refused: 4 });
    expect(await count(Institution)).toBe(before);

    // A streamed upload (chunked transfer from a file stream) works the same as a buffered one.
    const streamed = await t
      .http()
      .post('/institutions/import?dryRun=true')
      .set(h)
      .set('Content-Type', 'text/csv')
      .send(await streamToBuffer(createReadStream(SCORECARD)))
      .expect(200);
    expect(streamed.body).toMatchObject({ rows: 6429, matched: 6429 });
  });

  it('refuses an upload larger than IMPORT_LIMIT_BYTES with 413, counting bytes as they stream in', async () => {
    const small = await createTestApp({ app: { importLimit: 64 * 1024 } });
    try {
      const h2 = small.auth(await small.factories.user('admin'));
      const res = await small.http().post('/institutions/import').set(h2).set('Content-Type', 'text/csv').send(readFileSync(SCORECARD));
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await small.db.getRepository(Institution).count()).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('refuses a file without the required columns, malformed CSV, a JSON body, and callers who may not import', async () => {
    expect((await post('/institutions/import', 'title,town\nx,y\n').expect(400)).body).toMatchObject({ code: 'CSV_HEADER', fields: { kind: expect.any(String) } });
    expect((await post('/incidents/import', 'date,institution,city,state,kind,size,about_recruiting\n"2024-01-01,x,protest\n').expect(400)).body.code).toBe('MALFORMED_CSV');
    expect((await t.http().post('/incidents/import').set(h).send({ a: 1 }).expect(400)).body.code).toBe('CSV_REQUIRED');
    expect((await post('/institutions/import', 'name,kind\n').expect(400)).body.code).toBe('EMPTY_CSV');
    const rec = await t.factories.user('recruiter');
    await t.http().post('/institutions/import').set(t.auth(rec)).set('Content-Type', 'text/csv').send('name,kind\nX,college\n').expect(403);
  });

  it('imports incidents in the own format by id or by name + city + state, idempotently', async () => {
    const kent = await t.db.getRepository(Institution).findOneByOrFail({ name: 'Kent State University at Kent' });
    const csv = [
      'date,institution_id,institution,city,state,kind,severity,target,source,crowd_size,impact,description',
      `2026-02-20,${kent.id},,,,table_blocked,3,organisation,first_hand,10_49,ended_early,Table blocked and agents heckled`,
      '2026-02-21T10:00:00-05:00,,KENT STATE UNIVERSITY AT KENT,kent,oh,heckling,2,organisation,campus_media,,,',
      '2026-02-22,,No Such College,Kent,OH,protest,1,general_activism,news,,,',
      '2026-02-23,,Kent State University at Kent,Kent,OH,protest,9,general_activism,news,,,',
      '2099-01-01,,Kent State University at Kent,Kent,OH,protest,1,general_activism,news,,,',
    ].join('\n');
    const res = await post('/incidents/import?atomic=false', csv).expect(200);
    expect(res.body.items.map((i: any) => i.status)).toEqual(['created', 'created', 'refused', 'refused', 'refused']);
    expect(res.body.items[2].reason).toBe('no institution named "No Such College" in Kent, OH');
    expect(res.body.items[3].fields).toHaveProperty('severity');
    expect(res.body.items[4].reason).toMatch(/future/);
    expect(res.body.institutionsMatched).toBe(3);
    const first = await t.db.getRepository(Incident).findOneByOrFail({ id: res.body.items[0].id });
    expect(first).toMatchObject({ institutionId: kent.id, state: 'OH', severity: 3, description: 'Table blocked and agents heckled', occurredAt: Date.parse('2026-02-20T17:00:00Z') });
    const second = await t.db.getRepository(Incident).findOneByOrFail({ id: res.body.items[1].id });
    expect(second.occurredAt).toBe(Date.parse('2026-02-21T15:00:00Z'));
    const again = await post('/incidents/import?atomic=false', csv).expect(200);
    expect(again.body.items.map((i: any) => i.status)).toEqual(['matched', 'matched', 'refused', 'refused', 'refused']);
  });

  it('an imported row whose description is older than the retention period is refused as the API refuses it; a newer one keeps its description', async () => {
    const inst = await t.factories.institution({ state: 'VT', timeZone: 'America/New_York' }); // not OH: the round-trip below exports OH
    // now 2026-03-01, RETENTION_MONTHS 24: the cutoff is 2024-03-01T12:00Z
    const csv = [
      'date,institution_id,institution,city,state,kind,severity,target,source,crowd_size,impact,description',
      `2024-02-20,${inst.id},,,,protest,2,organisation,news,,,Old banner protest at the fair`,
      `2024-03-05,${inst.id},,,,protest,2,organisation,news,,,Recent banner protest at the fair`,
    ].join('\n');
    const res = await post('/incidents/import?atomic=false', csv).expect(200);
    expect(res.body.items.map((i: any) => i.status)).toEqual(['refused', 'created']);
    expect(res.body.items[0]).toMatchObject({ code: 'RETENTION_EXPIRED', fields: { description: expect.any(String) } });
    expect(await t.db.getRepository(Incident).countBy({ institutionId: inst.id, description: 'Old banner protest at the fair' })).toBe(0);
    const recent = await t.db.getRepository(Incident).findOneByOrFail({ id: res.body.items[1].id });
    expect(recent.description).toBe('Recent banner protest at the fair');
  });

  it('round-trips: export institutions and incidents as CSV, import the export elsewhere, export again: same content', async () => {
    const ours = await t.factories.institution({
      name: '=SUM(A1) Community College',
      kind: 'college',
      city: '-Minus',
      state: 'OH',
      limitsImmigrationCooperation: true,
      requiresAdvanceNotice: true,
      advanceNoticeDays: 14,
    });
    await t.factories.incident({ institutionId: ours.id, description: '+1 signs at the booth', occurredAt: Date.parse('2026-01-05T17:00:00Z') });
    // Leading characters some spreadsheets still run: ; | full-width ＝ and a zero-width space before =.
    const sneaky = [';Semicolon College', '|Pipe Institute', '\uff1dFullwidth College', '\u200b=Hidden College'];
    for (const name of sneaky) await t.factories.institution({ name, kind: 'college', city: '\u2060+Kent', state: 'OH' });
    await t.factories.incident({
      institutionId: ours.id,
      kind: 'access_denied',
      verification: 'disputed',
      disputeStatement: 'The college disputes this account.',
      occurredAt: Date.parse('2026-01-06T17:00:00Z'),
    });
    const inst = await t.http().get('/institutions/export?state=OH').set(h).expect(200);
    expect(inst.headers['content-type']).toMatch(/^text\/csv/);
    expect(inst.text).toContain("'=SUM(A1) Community College");
    expect(inst.text).toContain("'-Minus");
    for (const name of sneaky) expect(inst.text).toContain(`'${name}`);
    expect(inst.text).toContain("'\u2060+Kent");
    const inc = await t.http().get(`/incidents?institutionId=${ours.id}`).set(h).set('Accept', 'text/csv').expect(200);
    expect(inc.text).toContain("'+1 signs at the booth");

    const t2 = await createTestApp({ now: '2026-03-01T12:00:00Z' });
    try {
      const h2 = t2.auth(await t2.factories.user('admin'));
      const r1 = await t2.http().post('/institutions/import').set(h2).set('Content-Type', 'text/csv').send(inst.text).expect(200);
      expect(r1.body).toMatchObject({ format: 'forewarn', refused: 0 });
      const again = await t2.http().get('/institutions/export?state=OH').set(h2).expect(200);
      expect(stripIds(again.text)).toEqual(stripIds(inst.text));
      const r2 = await t2.http().post('/incidents/import').set(h2).set('Content-Type', 'text/csv').send(inc.text).expect(200);
      expect(r2.body).toMatchObject({ format: 'forewarn', created: 2, refused: 0 });
      const ours2 = await t2.db.getRepository(Institution).findOneByOrFail({ name: '=SUM(A1) Community College' });
      expect(ours2).toMatchObject({ city: '-Minus', limitsImmigrationCooperation: true, advanceNoticeDays: 14 });
      for (const name of sneaky) expect(await t2.db.getRepository(Institution).findOneByOrFail({ name })).toMatchObject({ city: '\u2060+Kent' });
      const inc2 = await t2.http().get(`/incidents?institutionId=${ours2.id}`).set(h2).set('Accept', 'text/csv').expect(200);
      const cols = (text: string) =>
        text
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',').slice(7, 16).join(','));
      expect(cols(inc2.text)).toEqual(cols(inc.text));
      expect(inc2.text).toContain("'+1 signs at the booth");
    } finally {
      await t2.close();
    }
  });
});

function stripIds(csv: string): string {
  return csv.replace(/^[0-9a-f-]{36},/gm, '');
}

async function streamToBuffer(s: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
