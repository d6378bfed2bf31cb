import { Appearance } from '../src/appearances/appearance.entity';
import { DatabaseService } from '../src/database/database.service';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * SQLite has one writing connection. Reads must not run inside another request's open write: they
 * would see (and hand out as ETag/version) writes that may never commit. They run on the read-only
 * connections, which see the last committed state, without waiting for the writer.
 */
describe('appearance reads on SQLite see committed data only', () => {
  let t: TestApp;
  let database: DatabaseService;
  beforeAll(async () => {
    t = await createTestApp();
    database = t.app.get(DatabaseService);
  });
  afterAll(() => t.close());

  /** A write that changes the appearance and holds the writer until released, then rolls back. */
  function heldWrite(id: string): { written: Promise<void>; release: () => void; done: Promise<string> } {
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const done = database
      .write(async (m) => {
        await m.update(Appearance, { id }, { title: 'Never committed', version: 7 });
        wrote();
        await hold;
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    return { written, release, done };
  }

  it("GET /appearances/:id during another request's open write answers at once with the committed version, not the rolled-back one", async () => {
    const admin = await t.factories.user('admin');
    const a = await t.factories.appearance({ title: 'Committed title' });
    const w = heldWrite(a.id);
    try {
      await w.written;
      // authentication reads too: the whole request runs while the write still holds the writer
      const res = await t.http().get(`/appearances/${a.id}`).set(t.auth(admin));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: a.id, title: 'Committed title', version: 1 });
      const list = await t.http().get(`/appearances`).query({ pageSize: 100 }).set(t.auth(admin));
      expect(list.status).toBe(200);
      expect((list.body.items as { id: string; title: string }[]).find((x) => x.id === a.id)?.title).toBe('Committed title');
    } finally {
      w.release();
    }
    expect(await w.done).toBe('roll back');
  });

  it('read() while a write is open runs at once and sees the committed state only; inside a write it sees the write', async () => {
    const a = await t.factories.appearance({ title: 'Before the write' });
    const title = (m: { query: (s: string, p: unknown[]) => Promise<{ title: string }[]> }) => m.query(`SELECT title FROM appearances WHERE id = ?`, [a.id]).then((r) => r[0].title);
    const w = heldWrite(a.id);
    await w.written;
    expect(await database.read(title)).toBe('Before the write'); // did not wait for the write
    w.release();
    expect(await w.done).toBe('roll back');
    // Inside the caller's own write, a read joins it (no deadlock) and sees its own writes.
    expect(
      await database.write(async (m) => {
        await m.update(Appearance, { id: a.id }, { title: 'Own write' });
        return database.read(title);
      }),
    ).toBe('Own write');
    expect(await database.read(title)).toBe('Own write');
  });
});
