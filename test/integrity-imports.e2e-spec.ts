import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Incident } from '../src/incidents/incident.entity';
import { InstitutionImportService } from '../src/institutions/institution-import.service';
import { Institution } from '../src/institutions/institution.entity';
import { RiskService } from '../src/risk/risk.service';
import { query, sql } from '../src/database/sql';
import { createTestApp, TestApp } from './helpers/test-app';
import { DatabaseService } from '../src/database/database.service';

/** Uploads are spooled under IMPORT_SPOOL_DIR: a private one for this file, to count what is left. */
const privateTmp = mkdtempSync(join(tmpdir(), 'integrity-imports-'));
const spools = () => readdirSync(privateTmp).filter((f) => f.startsWith('forewarn-import-'));

describe('imports: uploads outside transactions, one risk pass, date range', () => {
  let t: TestApp;
  let h: { Authorization: string };
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z', app: { importSpoolDir: privateTmp } });
    h = t.auth(await t.factories.user('admin'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(privateTmp, { recursive: true, force: true });
  });

  const post = (path: string, body: string) => t.http().post(path).set(h).set('Content-Type', 'text/csv').send(body);

  it('receives a trickling upload before opening the transaction: other writes go on meanwhile (SQLite has one writer)', async () => {
    const service = t.app.get(InstitutionImportService);
    let uploading = false;
    let txDuringUpload = false;
    const database = t.app.get(DatabaseService);
    const realWrite = database.write.bind(database);
    const txSpy = jest.spyOn(database, 'write').mockImplementation((fn) => {
      if (uploading) txDuringUpload = true;
      return realWrite(fn);
    });
    let entered!: () => void;
    const reached = new Promise<void>((r) => (entered = r));
    const realImport = service.import.bind(service);
    const importSpy = jest.spyOn(service, 'import').mockImplementation((...args) => {
      const p = realImport(...args);
      entered();
      return p;
    });
    try {
      const req = t.http().post('/institutions/import').set(h).set('Content-Type', 'text/csv');
      uploading = true;
      req.write('name,kind,city,state\n');
      req.write('Trickle College,college,Burlington,VT\n');
      await reached;
      // The upload is still open. A write from another request must not wait for it to finish.
      if (!txDuringUpload) {
        uploading = false; // this write is the test's own
        const other = await t.factories.institution({ name: 'Written While Uploading', state: 'VT' });
        uploading = true;
        expect(await t.db.getRepository(Institution).countBy({ id: other.id })).toBe(1);
      }
      req.write('Slow Upload University,university,Montpelier,VT\n');
      uploading = false;
      const res = await req;
      expect(txDuringUpload).toBe(false);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ committed: true, rows: 2, created: 2 });
      expect(spools()).toEqual([]);
    } finally {
      uploading = false;
      txSpy.mockRestore();
      importSpy.mockRestore();
    }
  });

  it('deletes the spooled file after a refused or too large upload too', async () => {
    expect((await post('/institutions/import', 'title,town\nx,y\n').expect(400)).body.code).toBe('CSV_HEADER');
    const small = await createTestApp({ app: { importLimit: 1024, importSpoolDir: privateTmp } });
    try {
      const res = await small
        .http()
        .post('/incidents/import')
        .set(small.auth(await small.factories.user('admin')))
        .set('Content-Type', 'text/csv')
        .send(`date,institution,city,state,kind\n${'2025-01-01,X,Y,OH,protest\n'.repeat(100)}`);
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
    expect(spools()).toEqual([]);
  });

  it('re-assesses the institutions an incident import touches with one evidence pass, not one per institution', async () => {
    const insts = [
      await t.factories.institution({ state: 'RI', city: 'Providence' }),
      await t.factories.institution({ state: 'RI', city: 'Kingston' }),
      await t.factories.institution({ state: 'CT', city: 'Storrs' }),
    ];
    const appearances = [];
    for (const i of insts) appearances.push(await t.factories.appearance({ institutionId: i.id }));
    const risk = t.app.get(RiskService);
    const one = jest.spyOn(risk, 'reassessInstitution');
    const many = jest.spyOn(risk, 'reassessInstitutions');
    try {
      const csv = ['date,institution_id,kind,severity,target,source', ...insts.map((i) => `2026-02-20,${i.id},protest,2,organisation,news`)].join('\n');
      const res = await post('/incidents/import', csv).expect(200);
      expect(res.body).toMatchObject({ committed: true, created: 3 });
      expect(many).toHaveBeenCalledTimes(1);
      expect([...(many.mock.calls[0][1] as string[])].sort()).toEqual(insts.map((i) => i.id).sort());
      expect(one).not.toHaveBeenCalled();
    } finally {
      one.mockRestore();
      many.mockRestore();
    }
    for (const a of appearances) {
      const rows = await query<{ trigger: string }>(t.db.manager, sql`SELECT trigger FROM risk_assessments WHERE appearance_id = ${a.id}`);
      expect(rows.map((r) => r.trigger)).toEqual(['incident_import']);
    }
  });

  it('refuses incident rows dated before 1990 or after 2200 (typos that break the decay arithmetic), in both formats', async () => {
    const inst = await t.factories.institution({ name: 'Range College', city: 'Burlington', state: 'VT' });
    const own = [
      'date,institution_id,kind,severity,target,source',
      `1024-02-20,${inst.id},protest,2,organisation,news`,
      `1989-12-31,${inst.id},protest,2,organisation,news`,
      `1990-01-01,${inst.id},protest,2,organisation,news`,
      `2201-01-01,${inst.id},protest,2,organisation,news`,
      `0999-06-01T10:00:00Z,${inst.id},protest,2,organisation,news`,
    ].join('\n');
    const res = await post('/incidents/import?atomic=false', own).expect(200);
    expect(res.body.items.map((i: { status: string; reason?: string }) => [i.status, i.status === 'refused' ? i.reason : ''])).toEqual([
      ['refused', 'date out of range'],
      ['refused', 'date out of range'],
      ['created', ''],
      ['refused', 'date out of range'],
      ['refused', 'date out of range'],
    ]);
    expect(res.body.items[0].fields).toEqual({ date: 'year 1024 is outside 1990–2200' });
    const protests = ['date,institution,city,state,kind,size,about_recruiting', '1924-10-01,Range College,Burlington,VT,protest,40,yes', '2024-10-01,Range College,Burlington,VT,protest,40,yes'].join(
      '\n',
    );
    const p = await post('/incidents/import?atomic=false', protests).expect(200);
    expect(p.body.items.map((i: { status: string; reason?: string }) => [i.status, i.status === 'refused' ? i.reason : ''])).toEqual([
      ['refused', 'date out of range'],
      ['created', ''],
    ]);
    expect(await t.db.getRepository(Incident).countBy({ institutionId: inst.id })).toBe(2);
    // Atomic (default): one such row refuses the file.
    expect((await post('/incidents/import', own).expect(422)).body.code).toBe('IMPORT_REFUSED');
  });
});
