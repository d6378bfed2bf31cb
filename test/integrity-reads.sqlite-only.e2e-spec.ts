import { AppearanceReader } from '../src/appearances/appearance-reader';
import { Appearance } from '../src/appearances/appearance.entity';
import { runExclusive } from '../src/database/sqlite-serialise';
import { createTestApp, TestApp } from './helpers/test-app';

type All = (sql: string, params: unknown[], cb: (err: Error | null, rows: unknown[]) => void) => void;

/**
 * SQLite has one shared writing connection. The appearance reader's raw-driver reads must not run on
 * it while another request's transaction is open: they would see (and hand out as ETag/version)
 * writes that may never commit. While the writer is busy they run on the read-only connection,
 * which sees the last committed state, without waiting.
 */
describe('raw appearance reads on SQLite see committed data only', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("GET /appearances/:id during another request's open transaction returns the committed version, not a rolled-back one", async () => {
    const admin = await t.factories.user('admin');
    const a = await t.factories.appearance({ title: 'Committed title' });
    const conn = (t.db.driver as unknown as { databaseConnection: { all: All } }).databaseConnection;
    const reader = t.app.get(AppearanceReader);

    // Observe whether the reader reads the raw connection at once (the bug) or waits for the lock.
    let inReader = false;
    let rawRead = null as Promise<void> | null;
    const realAll = conn.all;
    const allSpy = jest.spyOn(conn, 'all').mockImplementation(function (this: unknown, sql: string, params: unknown[], cb: (err: Error | null, rows: unknown[]) => void) {
      if (!inReader) return realAll.call(this, sql, params, cb);
      let done!: () => void;
      rawRead = new Promise<void>((r) => (done = r));
      return realAll.call(this, sql, params, (err, rows) => {
        cb(err, rows);
        done();
      });
    } as All);
    // The request's own earlier statements (auth) wait for open transactions, so the other request's
    // transaction starts the moment this request reaches the reader, and holds until released.
    let updated!: () => void;
    const wrote = new Promise<void>((r) => (updated = r));
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    let tx = null as Promise<string> | null;
    const startTx = () =>
      (tx = t.db
        .transaction(async (m) => {
          await m.update(Appearance, { id: a.id }, { title: 'Never committed', version: 7 });
          updated();
          await hold;
          throw new Error('roll back');
        })
        .catch((e: Error) => e.message));
    let reached!: () => void;
    const readerCalled = new Promise<void>((r) => (reached = r));
    const realViews = reader.views.bind(reader);
    const viewsSpy = jest.spyOn(reader, 'views').mockImplementation(async (manager, ids) => {
      if (manager) return realViews(manager, ids);
      void startTx();
      await wrote;
      inReader = true;
      try {
        return realViews(manager, ids);
      } finally {
        inReader = false;
        reached();
      }
    });

    try {
      const get = t
        .http()
        .get(`/appearances/${a.id}`)
        .set(t.auth(admin))
        .then((r) => r);
      await readerCalled;
      // If the read went straight to the connection, let it finish inside the open transaction.
      if (rawRead) await rawRead;
      release();
      expect(await tx).toBe('roll back');
      const res = await get;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: a.id, title: 'Committed title', version: 1 });
    } finally {
      release();
      allSpy.mockRestore();
      viewsSpy.mockRestore();
    }
  });

  it('runExclusive and plain reads while a transaction is open run at once on the read-only connection and see the committed state only', async () => {
    const a = await t.factories.appearance({ title: 'Before the transaction' });
    const order: string[] = [];
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    const tx = t.db.transaction(async (m) => {
      await m.update(Appearance, { id: a.id }, { title: 'Inside the transaction' });
      wrote();
      await hold;
      order.push('commit');
    });
    await written;
    const title = async () => ((await t.db.query(`SELECT title FROM appearances WHERE id = ?`, [a.id])) as { title: string }[])[0].title;
    const seen = await runExclusive(t.db, async () => {
      order.push('read');
      return title();
    });
    order.push(`plain read: ${await title()}`);
    expect(seen).toBe('Before the transaction'); // not the uncommitted write
    release();
    await tx;
    expect(order).toEqual(['read', 'plain read: Before the transaction', 'commit']); // neither waited for the transaction
    expect(await title()).toBe('Inside the transaction');
    // Inside the caller's own transaction it passes straight through (no deadlock) and sees its own writes.
    expect(
      await t.db.transaction(async (m) => {
        await m.update(Appearance, { id: a.id }, { title: 'Own write' });
        return runExclusive(t.db, async () => (await m.query(`SELECT title FROM appearances WHERE id = ?`, [a.id]))[0].title);
      }),
    ).toBe('Own write');
  });
});
