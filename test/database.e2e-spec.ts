import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { Appearance } from '../src/appearances/appearance.entity';
import { DatabaseService } from '../src/database/database.service';
import { query, sql } from '../src/database/sql';
import { Office } from '../src/offices/office.entity';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * The one way to the database (database.service.ts), on a real file (or PostgreSQL database) with
 * the real migrations: writes take turns without joining each other, reads see one committed state
 * and do not wait for writers, nested calls join their caller and a timer started inside a write is
 * outside it once the write has ended.
 */
describe('DatabaseService: write() and read()', () => {
  let t: TestApp;
  let database: DatabaseService;
  beforeAll(async () => {
    t = await createTestApp();
    database = t.app.get(DatabaseService);
  });
  afterAll(() => t.close());

  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    return { opened, open };
  };
  const office = (name: string): Partial<Office> => ({ id: randomUUID(), name, region: 'Test', timeZone: 'UTC', createdAt: 0, updatedAt: 0 });
  const officeNamed = (name: string) => t.db.getRepository(Office).findOneBy({ name });
  const titleOf = async (m: EntityManager, id: string) => (await query<{ title: string }>(m, sql`SELECT title FROM appearances WHERE id = ${id}`))[0].title;

  /** A write that changes the appearance's title, waits for `hold`, then fails (rolls back). */
  function failingWrite(id: string, hold: Promise<void>) {
    const written = gate();
    const done = database
      .write(async (m) => {
        await m.update(Appearance, { id }, { title: 'Rolled back' });
        written.open();
        await hold;
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    return { written: written.opened, done };
  }

  it('a save() of its own, asked while another write is open, neither joins nor waits out a rollback of it', async () => {
    const a = await t.factories.appearance({ title: 'Committed' });
    const hold = gate();
    const w = failingWrite(a.id, hold.opened);
    await w.written;
    const name = `Saved alone ${randomUUID()}`;
    const saved = database.write((m) => m.save(Office, office(name)));
    hold.open();
    expect(await w.done).toBe('roll back');
    await saved;
    expect(await officeNamed(name)).toMatchObject({ name }); // not rolled back with the other write
    expect(await database.read((m) => titleOf(m, a.id))).toBe('Committed');
  });

  it('a timer started inside a write and firing after it ended writes on its own, not in the ended write nor in the next one', async () => {
    const a = await t.factories.appearance({ title: 'Committed' });
    const later = gate();
    const name = `From a timer ${randomUUID()}`;
    let timer!: Promise<{ inside: boolean }>;
    await database.write(async (m) => {
      await m.update(Appearance, { id: a.id }, { title: 'First write' });
      timer = new Promise((resolve, reject) =>
        setTimeout(() => {
          void later.opened.then(async () => {
            try {
              const inside = database.inside();
              await database.write((tm) => tm.save(Office, office(name)));
              resolve({ inside });
            } catch (err) {
              reject(err as Error);
            }
          });
        }, 0),
      );
    });
    // The next write is open (and will roll back) when the timer's callback writes.
    const hold = gate();
    const w = failingWrite(a.id, hold.opened);
    await w.written;
    later.open();
    hold.open();
    expect(await w.done).toBe('roll back');
    expect(await timer).toEqual({ inside: false });
    expect(await officeNamed(name)).toMatchObject({ name });
    expect(await database.read((m) => titleOf(m, a.id))).toBe('First write');
  });

  it('afterCommit runs once the write has committed, outside it (its own write sees the commit); never when the write rolls back; refused outside a write', async () => {
    const a = await t.factories.appearance({ title: 'Before' });
    const seen: Array<{ inside: boolean; title: string; committedFirst: boolean }> = [];
    let committed = false;
    const after = new Promise<void>((resolve, reject) => {
      void database
        .write(async (m) => {
          await m.update(Appearance, { id: a.id }, { title: 'Committed' });
          database.afterCommit(() => {
            const inside = database.inside();
            const committedFirst = committed;
            database
              .write((wm) => titleOf(wm, a.id))
              .then((title) => {
                seen.push({ inside, title, committedFirst });
                resolve();
              }, reject);
          });
          // a nested write registers for the outer commit, not one of its own
          await database.write(async () => {
            database.afterCommit(() => {
              seen.push({ inside: database.inside(), title: 'nested', committedFirst: committed });
            });
          });
        })
        .then(() => (committed = true));
    });
    await after;
    // the nested one pushes at once; the first pushes after its own write
    expect(seen).toEqual([
      { inside: false, title: 'nested', committedFirst: true },
      { inside: false, title: 'Committed', committedFirst: true },
    ]);
    // rolled back: the callback is dropped
    let ran = false;
    await expect(
      database.write(async (m) => {
        await m.update(Appearance, { id: a.id }, { title: 'Rolled back' });
        database.afterCommit(() => (ran = true));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(false);
    // outside a write (here: inside a read) there is no commit to wait for: refused
    await expect(database.read(async () => database.afterCommit(() => undefined))).rejects.toThrow('afterCommit outside a write');
    expect(() => database.afterCommit(() => undefined)).toThrow('afterCommit outside a write');
  });

  it('a read of several statements during a write sees one state, even when the write commits between them', async () => {
    const a = await t.factories.appearance({ title: 'Old A' });
    const b = await t.factories.appearance({ title: 'Old B' });
    const firstDone = gate();
    const half = gate();
    const write = database.write(async (m) => {
      await m.update(Appearance, { id: a.id }, { title: 'New A' });
      half.open();
      await firstDone.opened;
      await m.update(Appearance, { id: b.id }, { title: 'New B' });
    });
    await half.opened;
    const seen = await database.read(async (m) => {
      const first = await titleOf(m, a.id);
      firstDone.open();
      await write; // committed now
      return [first, await titleOf(m, b.id)];
    });
    expect(seen).toEqual(['Old A', 'Old B']);
    expect(await database.read(async (m) => [await titleOf(m, a.id), await titleOf(m, b.id)])).toEqual(['New A', 'New B']);
  });

  it('readStatement: one statement sees the last commit, not an open write, and never waits for it; inside a write it joins it', async () => {
    const a = await t.factories.appearance({ title: 'Committed' });
    const hold = gate();
    const w = failingWrite(a.id, hold.opened);
    await w.written;
    // resolves while the write is held open (it would never return if it waited for the writer)
    const seen = await database.readStatement<{ title: string }>(sql`SELECT title FROM appearances WHERE id = ${a.id}`);
    hold.open();
    expect(seen).toEqual([{ title: 'Committed' }]);
    expect(await w.done).toBe('roll back');
    const inside = await database.write(async (m) => {
      await m.update(Appearance, { id: a.id }, { title: 'Written' });
      return database.readStatement<{ title: string }>(sql`SELECT title FROM appearances WHERE id = ${a.id}`);
    });
    expect(inside).toEqual([{ title: 'Written' }]);
  });

  it('readStatement runs reads only: a statement that would write is refused before it reaches either database, and nothing changes', async () => {
    const a = await t.factories.appearance({ title: 'Kept' });
    for (const q of [
      sql`UPDATE appearances SET title = 'Changed' WHERE id = ${a.id}`,
      sql`DELETE FROM appearances WHERE id = ${a.id}`,
      sql`WITH gone AS (DELETE FROM appearances WHERE id = ${a.id} RETURNING id) SELECT id FROM gone`,
      sql`INSERT INTO offices (id, name) SELECT id, title FROM appearances WHERE id = ${a.id}`,
      sql`SELECT 1 AS x; DELETE FROM appearances`,
    ]) {
      await expect(database.readStatement(q)).rejects.toThrow(/readStatement runs one SELECT/);
    }
    expect(await database.readStatement<{ title: string }>(sql`SELECT title FROM appearances WHERE id = ${a.id}`)).toEqual([{ title: 'Kept' }]);
    // a value that reads like a keyword is a parameter, and quoted text and names are not words: still reads
    expect(await database.readStatement<{ n: unknown }>(sql`SELECT COUNT(*) AS n FROM appearances WHERE title = ${'DELETE; UPDATE'}`)).toEqual([{ n: expect.anything() }]);
    expect(await database.readStatement<{ n: unknown }>(sql`/* the kind */ SELECT COUNT(*) AS "do" FROM appearances WHERE status <> 'update;'`)).toEqual([{ do: expect.anything() }]);
  });

  it('a read is not blocked while a long write holds the writer', async () => {
    const a = await t.factories.appearance({ title: 'Committed' });
    const hold = gate();
    const w = failingWrite(a.id, hold.opened);
    await w.written;
    // resolves before the write is released: were reads queued behind it, this would never return
    const seen = await database.read((m) => titleOf(m, a.id));
    hold.open();
    expect(seen).toBe('Committed');
    expect(await w.done).toBe('roll back');
  });

  it('reads are not held behind a long read: every other read takes a free connection', async () => {
    const a = await t.factories.appearance({ title: 'Read while another read is long' });
    const hold = gate();
    const started = gate();
    const long = database.read(async (m) => {
      started.open();
      await hold.opened; // an import's check, say
      return titleOf(m, a.id);
    });
    await started.opened;
    // three short reads at once (more than the free connections): each resolves while the long one
    // is held; were a read queued behind the long one, this would never return
    const short = await Promise.all([1, 2, 3].map(() => database.read((m) => titleOf(m, a.id))));
    hold.open();
    expect(short).toEqual(Array(3).fill('Read while another read is long'));
    expect(await long).toBe('Read while another read is long');
  });

  it('a write inside a write joins it (no deadlock) and rolls back with it; a write inside a read is a write of its own', async () => {
    const a = await t.factories.appearance({ title: 'Committed' });
    const name = `Nested ${randomUUID()}`;
    const outcome = await database
      .write(async (m) => {
        await m.update(Appearance, { id: a.id }, { title: 'Outer' });
        const inner = await database.write(async (n) => {
          expect(n).toBe(m);
          await n.save(Office, office(name));
          return titleOf(n, a.id);
        });
        expect(inner).toBe('Outer');
        throw new Error('outer fails');
      })
      .catch((e: Error) => e.message);
    expect(outcome).toBe('outer fails');
    expect(await officeNamed(name)).toBeNull();
    expect(await database.read((m) => titleOf(m, a.id))).toBe('Committed');
    const seen = await database.read(async (m) => {
      const first = await titleOf(m, a.id);
      await database.write((w) => w.update(Appearance, { id: a.id }, { title: 'Written inside a read' })); // committed, not waiting for the read
      return [first, await titleOf(m, a.id)];
    });
    expect(seen).toEqual(['Committed', 'Committed']); // the read's snapshot
    expect(await database.read((m) => titleOf(m, a.id))).toBe('Written inside a read');
  });

  it('besideWrite: inside a write, reads on another connection that sees the last commit (not the write), side by side with it; null elsewhere', async () => {
    expect(database.besideWrite()).toBeNull(); // outside a write
    const a = await t.factories.appearance({ title: 'Committed beside' });
    // PostgreSQL: the backend serving the statement; SQLite: the connection's own file handle is not visible, so none
    const backend = async (m: EntityManager) => (database.kind === 'postgres' ? Number((await query<{ pid: unknown }>(m, sql`SELECT pg_backend_pid() AS pid`))[0].pid) : null);
    const seen = await database.write(async (m) => {
      const beside = database.besideWrite();
      expect(beside).not.toBeNull();
      const before = await beside!((r) => titleOf(r, a.id));
      await m.update(Appearance, { id: a.id }, { title: 'Changed in the write' });
      // a read of its own (not joined to the write, not waiting for it): the last commit, not the write's change
      const [mine, theirs, pids] = await Promise.all([titleOf(m, a.id), beside!((r) => titleOf(r, a.id)), Promise.all([backend(m), beside!((r) => backend(r))])]);
      // and it is a read: a write there is refused by the database itself
      const refused = await beside!((r) => r.update(Appearance, { id: a.id }, { title: 'Written beside' })).then(
        () => 'written',
        (e: Error) => e.message,
      );
      return { before, mine, theirs, pids, refused };
    });
    expect(seen).toMatchObject({ before: 'Committed beside', mine: 'Changed in the write', theirs: 'Committed beside' });
    expect(seen.refused).toMatch(database.kind === 'postgres' ? /read-only transaction/ : /readonly/);
    if (database.kind === 'postgres') expect(seen.pids[0]).not.toBe(seen.pids[1]);
    expect(await database.read(async (m) => [database.besideWrite(), await titleOf(m, a.id)])).toEqual([null, 'Changed in the write']); // null inside a read
  });

  it('besideWrite on PostgreSQL needs a pool of 4 (a job lock, the write, two reads beside it): with fewer it is null and the caller reads in its write', async () => {
    if (database.kind !== 'postgres') return;
    const small = new DataSource({ ...(t.db.options as PostgresConnectionOptions), poolSize: 3, extra: { max: 3 } });
    await small.initialize();
    try {
      const db = new DatabaseService(small);
      expect(await db.write(async () => db.besideWrite())).toBeNull();
    } finally {
      await small.destroy();
    }
  });

  it('besideWrite never waits for a read-only connection: with every one held by a read, fn runs in the write', async () => {
    if (database.kind === 'postgres') return; // no read-only connections there (besideWrite is null, above)
    const a = await t.factories.appearance({ title: 'Committed' });
    const hold = gate();
    const snapshots = [gate(), gate()];
    // both read-only connections held by reads that wait, each after its first statement (its snapshot)
    const held = snapshots.map((taken) =>
      database.read(async (m) => {
        const before = await titleOf(m, a.id);
        taken.open();
        await hold.opened;
        return [before, await titleOf(m, a.id)];
      }),
    );
    await Promise.all(snapshots.map((g) => g.opened));
    const seen = await database.write(async (m) => {
      await m.update(Appearance, { id: a.id }, { title: 'Changed in the write' });
      return database.besideWrite()!((r) => titleOf(r, a.id)); // joins the write: sees its change, does not wait
    });
    expect(seen).toBe('Changed in the write');
    hold.open();
    expect(await Promise.all(held)).toEqual([
      ['Committed', 'Committed'],
      ['Committed', 'Committed'],
    ]);
  });
});
