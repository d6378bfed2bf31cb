import { InstitutionImportService } from '../src/institutions/institution-import.service';
import { Institution } from '../src/institutions/institution.entity';
import { createTestApp, TestApp } from './helpers/test-app';
import { DatabaseService } from '../src/database/database.service';

/**
 * Imports check the whole file without a transaction (reads of the committed state, rows to create
 * staged on disk), then insert in one short transaction: other writers do not wait for the file to
 * be read and checked, and the import stays all or nothing.
 */
describe('imports: check first, then commit quickly', () => {
  let t: TestApp;
  let h: { Authorization: string };
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
    h = t.auth(await t.factories.user('admin'));
  });
  afterAll(() => t.close());

  const csv = (prefix: string, n: number, extra: string[] = []) =>
    ['name,kind,city,state', ...Array.from({ length: n }, (_, i) => `${prefix} College ${i},college,Burlington,VT`), ...extra].join('\n');

  /** Runs `during` when the import looks up its second chunk of 500 rows (the first is checked and staged). */
  async function duringCheck<T>(during: () => Promise<T>, send: () => Promise<{ status: number; body: any }>) {
    const service = t.app.get(InstitutionImportService) as unknown as { existing: (...a: unknown[]) => Promise<unknown> };
    const real = service.existing.bind(service);
    let calls = 0;
    let result: T | undefined;
    let txOpen = false;
    // a write opened (a read of the committed state does not hold anyone up)
    const database = t.app.get(DatabaseService);
    const realWrite = database.write.bind(database);
    const txSpy = jest.spyOn(database, 'write').mockImplementation((fn) => {
      txOpen = true;
      return realWrite(fn);
    });
    const spy = jest.spyOn(service, 'existing').mockImplementation(async (...args: unknown[]) => {
      if (++calls === 2) {
        txSpy.mockRestore();
        // On the old code the import's transaction is open here and this write would wait for it for ever.
        if (!txOpen) result = await during();
      }
      return real(...args);
    });
    try {
      const res = await send();
      return { res, result, txOpen };
    } finally {
      spy.mockRestore();
      txSpy.mockRestore();
    }
  }

  it('other writes go through while the file is being checked; later rows match earlier ones across chunks', async () => {
    const before = await t.db.getRepository(Institution).count();
    const { res, result, txOpen } = await duringCheck(
      () => t.factories.institution({ name: 'Written While Checking', city: 'Rutland', state: 'VT' }),
      () =>
        t
          .http()
          .post('/institutions/import')
          .set(h)
          .set('Content-Type', 'text/csv')
          .send(csv('Staged', 700, ['Staged College 3,college,Burlington,VT'])),
    );
    expect(txOpen).toBe(false); // no transaction while rows 2–501 were checked
    expect(result).toBeDefined();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ committed: true, rows: 701, created: 700, matched: 1 });
    const twin = res.body.items.find((i: { row: number }) => i.row === 702);
    const first = res.body.items.find((i: { row: number }) => i.row === 5);
    expect(twin).toMatchObject({ status: 'matched', reason: 'same institution as row 5', id: first.id });
    expect(await t.db.getRepository(Institution).count()).toBe(before + 701);
    expect(await t.db.getRepository(Institution).countBy({ id: first.id })).toBe(1);
  });

  it('answers other requests between rows while a slow file is checked (the event loop is given back every few ms)', async () => {
    const inst = await t.factories.institution({ name: 'Slow Rows College', city: 'Rutland', state: 'VT' });
    // each row of the project's own format is parsed by fromOwn (incident-import-rows.ts): made slow here
    const parsers = await import('../src/incidents/incident-import-rows');
    const real = parsers.fromOwn;
    let rows = 0;
    let health = null as Promise<number> | null;
    let rowsWhenAnswered = -1;
    const spy = jest.spyOn(parsers, 'fromOwn').mockImplementation((...args: Parameters<typeof real>) => {
      if (++rows === 2)
        health = t
          .http()
          .get('/health')
          .then((r) => ((rowsWhenAnswered = rows), r.status));
      const until = Date.now() + 15; // a row as slow as the name detector on 2 KB of text
      while (Date.now() < until);
      return real(...args);
    });
    try {
      const lines = [
        'date,institution_id,kind,severity,target,source',
        ...Array.from({ length: 60 }, (_, i) => `2026-02-${String((i % 27) + 1).padStart(2, '0')},${inst.id},protest,${(i % 4) + 1},organisation,news`),
      ];
      const res = await t.http().post('/incidents/import').set(h).set('Content-Type', 'text/csv').send(lines.join('\n')).expect(200);
      expect(res.body).toMatchObject({ rows: 60, created: 60 });
      expect(await health).toBe(200);
      expect(rowsWhenAnswered).toBeGreaterThan(0);
      expect(rowsWhenAnswered).toBeLessThan(60); // answered while the rows were still being checked
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses the whole file (409, nothing written) when someone created one of its institutions between the check and the commit', async () => {
    const before = await t.db.getRepository(Institution).count();
    const { res } = await duringCheck(
      () => t.factories.institution({ name: 'Raced College 7', kind: 'college', city: 'Burlington', state: 'VT' }),
      () => t.http().post('/institutions/import').set(h).set('Content-Type', 'text/csv').send(csv('Raced', 600)),
    );
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('IMPORT_CONFLICT');
    expect(await t.db.getRepository(Institution).count()).toBe(before + 1); // only the one created meanwhile
    const again = await t.http().post('/institutions/import').set(h).set('Content-Type', 'text/csv').send(csv('Raced', 600)).expect(200);
    expect(again.body).toMatchObject({ created: 599, matched: 1 });
  });
});
