import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync, spawn } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { Institution } from '../src/institutions/institution.entity';
import { createTestApp, TestApp } from './helpers/test-app';

/** Uploads are spooled under IMPORT_SPOOL_DIR: a private one for this file, to see what is left. */
const privateTmp = mkdtempSync(join(tmpdir(), 'imports-report-'));
const spools = () =>
  readdirSync(privateTmp)
    .filter((f) => f.startsWith('forewarn-import-'))
    .sort();

/**
 * The answer to an import is a summary (counts and the first 100 rows of each outcome); every row's
 * outcome is in a CSV its author (or an admin) downloads. Spooled uploads never outlive their import,
 * not even a killed process's: start-up removes what a dead process left.
 */
describe('imports: summarised report, full report as CSV, spool files', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let coordUser: { id: string; email: string; role: string; officeId: string | null };
  let live: ReturnType<typeof spawn>;

  beforeAll(async () => {
    // What killed processes left: one whose process is gone, one of a live process, untagged old and new ones.
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    for (const name of [`forewarn-import-${gone}-aaaaaa`, `forewarn-import-${live.pid}-bbbbbb`, 'forewarn-import-cccccc', 'forewarn-import-dddddd']) {
      mkdirSync(join(privateTmp, name));
    }
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(privateTmp, 'forewarn-import-cccccc'), old, old);
    // Reports go to a folder of this file's own too: other files import at the same time, and the count is checked.
    t = await createTestApp({ now: '2026-03-01T12:00:00Z', app: { importSpoolDir: privateTmp, importReportDir: join(privateTmp, 'reports') } });
    admin = t.auth(await t.factories.user('admin'));
    const office = await t.factories.office();
    coordUser = await t.factories.user('coordinator', { officeId: office.id });
  });
  afterAll(async () => {
    live.kill();
    await t.close();
    rmSync(privateTmp, { recursive: true, force: true });
  });

  it('start-up removes the upload folders of processes that are gone, and leaves live ones alone', () => {
    expect(spools()).toEqual([`forewarn-import-${live.pid}-bbbbbb`, 'forewarn-import-dddddd']);
    rmSync(join(privateTmp, `forewarn-import-${live.pid}-bbbbbb`), { recursive: true });
    rmSync(join(privateTmp, 'forewarn-import-dddddd'), { recursive: true });
  });

  it('answers with counts and the first 100 rows of each outcome; the full report downloads as CSV in row order', async () => {
    const lines = ['name,kind,city,state'];
    for (let i = 0; i < 250; i++) lines.push(`Report College ${i},college,Burlington,VT`);
    for (let i = 0; i < 120; i++) lines.push(`Report College ${i},college,Burlington,VT`); // same as an earlier row
    for (let i = 0; i < 130; i++) lines.push(`Bad Row ${i},castle,Burlington,VT`); // unknown kind
    const coord = t.auth(coordUser);
    const res = await t.http().post('/institutions/import?atomic=false').set(coord).set('Content-Type', 'text/csv').send(lines.join('\n')).expect(200);
    expect(res.body).toMatchObject({ committed: true, rows: 500, created: 250, matched: 120, refused: 130, itemsComplete: false });
    const byStatus = (s: string) => res.body.items.filter((i: { status: string }) => i.status === s);
    expect([byStatus('created').length, byStatus('matched').length, byStatus('refused').length]).toEqual([100, 100, 100]);
    expect(byStatus('created')[0]).toMatchObject({ row: 2 });
    expect(byStatus('refused')[0]).toMatchObject({ row: 372 });
    expect(res.body.reportUrl).toMatch(/^\/imports\/[0-9a-f-]{36}\/report\.csv$/);
    expect(await t.db.getRepository(Institution).count()).toBe(250);

    const csv = await t.http().get(res.body.reportUrl).set(coord).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows: Record<string, string>[] = parse(csv.text, { columns: true });
    expect(rows.map((r) => Number(r.row))).toEqual(Array.from({ length: 500 }, (_, i) => i + 2));
    expect(rows.filter((r) => r.status === 'created')).toHaveLength(250);
    expect(rows.filter((r) => r.status === 'matched').every((r) => /^same institution as row \d+$/.test(r.reason))).toBe(true);
    expect(rows[499]).toMatchObject({ status: 'refused', id: '' });
    expect(rows[499].fields).toMatch(/^kind: /);
    // Admins may read it; another coordinator may not (not even that it exists).
    await t.http().get(res.body.reportUrl).set(admin).expect(200);
    const other = await t.factories.user('coordinator', { officeId: coordUser.officeId });
    expect((await t.http().get(res.body.reportUrl).set(t.auth(other)).expect(404)).body.code).toBe('NOT_FOUND');
    await t.http().get('/imports/not-an-id/report.csv').set(admin).expect(404);
  });

  it('a refused atomic import carries the same summary and report link; an unreadable file leaves no report and no spool', async () => {
    const lines = ['name,kind,city,state', 'Fine College,college,Rutland,VT', 'Broken,castle,Rutland,VT'];
    const res = await t.http().post('/institutions/import').set(admin).set('Content-Type', 'text/csv').send(lines.join('\n')).expect(422);
    expect(res.body.code).toBe('IMPORT_REFUSED');
    expect(res.body.details.report).toMatchObject({ committed: false, rows: 2, created: 1, refused: 1, itemsComplete: true });
    const csv = await t.http().get(res.body.details.report.reportUrl).set(admin).expect(200);
    expect((parse(csv.text, { columns: true }) as Record<string, string>[]).map((r) => r.status)).toEqual(['created', 'refused']);

    const reports = () => readdirSync(join(privateTmp, 'reports')).length;
    const before = reports();
    const bad = await t.http().post('/institutions/import').set(admin).set('Content-Type', 'text/csv').send('name,kind\n"unterminated,college\n').expect(400);
    expect(bad.body.code).toBe('MALFORMED_CSV');
    expect(reports()).toBe(before);
    expect(spools()).toEqual([]);
  });
});
