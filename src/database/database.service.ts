import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DialectKind, dialectOf } from './dialect';
import type { Sql } from './sql';

/** What `write(fn)` and `read(fn)` hand their function: the manager of the one transaction it runs in. */
export type Work<T> = (m: EntityManager) => Promise<T>;

interface Scope {
  owner: DatabaseService;
  kind: 'write' | 'read';
  manager: EntityManager;
  /** False once the write or read that opened it has finished: a timer started inside it is outside it later. */
  open: boolean;
  /** Nested calls that joined it: the transaction ends only after they have. */
  joined: Set<Promise<unknown>>;
  /** Run once the write has committed (dropped if it rolls back): afterCommit. */
  committed: (() => void)[];
}

const scope = new AsyncLocalStorage<Scope>();

/** Runs functions one after another, in the order they asked. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/**
 * The read-only connections: a read takes whichever is free, or waits for the first one freed. (Not
 * a queue per connection: a long read, an import's check, would hold every read queued behind it.)
 */
class ReaderPool {
  private free: DataSource[];
  private waiting: ((ds: DataSource) => void)[] = [];
  /** Set while close() waits: called when a connection comes back free. */
  private returned: (() => void) | null = null;

  constructor(private all: DataSource[]) {
    this.free = [...all];
  }

  get size(): number {
    return this.all.length;
  }

  async use<T>(fn: (ds: DataSource) => Promise<T>, taken?: DataSource): Promise<T> {
    const ds = taken ?? this.free.pop() ?? (await new Promise<DataSource>((resolve) => this.waiting.push(resolve)));
    try {
      return await fn(ds);
    } finally {
      const next = this.waiting.shift();
      if (next) next(ds);
      else {
        this.free.push(ds);
        this.returned?.();
      }
    }
  }

  /** A free connection, taken (hand it to use() to give it back), or null when every one is busy: never waits. */
  take(): DataSource | null {
    return this.free.pop() ?? null;
  }

  /** Waits for the reads in flight (and those already waiting), then closes each connection once; later reads find none. */
  async close(): Promise<void> {
    const all = this.all;
    this.all = [];
    while (this.free.length < all.length) await new Promise<void>((resolve) => (this.returned = resolve));
    this.returned = null;
    const free = this.free;
    this.free = [];
    for (const ds of free) await ds.destroy();
  }
}

/**
 * SQLite's transactions start deferred in TypeORM (`BEGIN TRANSACTION`); a write as the first
 * statement takes the database's write lock at once (waiting out another process's writer within the
 * busy timeout), as `BEGIN IMMEDIATE` would — so a transaction that reads and then writes cannot
 * fail with SQLITE_BUSY when another process on the same file committed after its first read. It
 * deletes nothing (the table always exists after the first migration).
 */
const TAKE_WRITE_LOCK = 'DELETE FROM migrations WHERE 0';

/** Pool size from which besideWrite runs reads beside a write on PostgreSQL (advisory lock + write + 2 reads). */
const BESIDE_MIN_POOL = 4;

/** What readStatement accepts: one SELECT (or WITH … SELECT) without a word that writes or locks (outside quotes). */
const ONE_SELECT = /^\s*\(?\s*(SELECT|WITH)\b/i;
const WRITES = /\b(INSERT|UPDATE|DELETE|MERGE|UPSERT|CREATE|DROP|ALTER|TRUNCATE|GRANT|REVOKE|VACUUM|ATTACH|DETACH|PRAGMA|COPY|LOCK|CALL|DO|SET|INTO)\b/i;

/**
 * The one way to the database: `write(fn)` runs fn in a write transaction, `read(fn)` in a read that
 * sees one committed state.
 *
 * SQLite: the app's DataSource is the one writer connection; writes take turns (a queue in this
 * process, the file's write lock between processes). Reads run on their own read-only connections
 * (a small pool) in WAL mode, each in a transaction of its own, so a read sees one committed
 * snapshot across its statements and never waits for a writer (nor a writer for it).
 *
 * PostgreSQL: the pool. `write` is a READ COMMITTED transaction (row locks and version checks do
 * the rest, as before); `read` is a REPEATABLE READ READ ONLY transaction: one snapshot for all its
 * statements (a listing's rows and its count agree even while a writer commits in between), never
 * blocked by writers and never failing with a serialization error (read-only).
 *
 * A write or read called inside a write joins it (same manager: nested writes never wait for
 * themselves); a read inside a read joins it; a write inside a read is a write of its own. The context is
 * carried by AsyncLocalStorage, but it is closed when its write ends: a timer or callback started
 * inside a write that runs after it takes its own turn like any other caller.
 */
export class DatabaseService implements OnApplicationShutdown {
  readonly kind: DialectKind;
  private readonly writes = new Queue();
  private readonly readers: ReaderPool;

  constructor(
    /** The app's DataSource: on SQLite the writer connection, on PostgreSQL the pool. */
    private readonly writer: DataSource,
    readers: DataSource[] = [],
  ) {
    this.kind = dialectOf(writer);
    this.readers = new ReaderPool(readers);
  }

  /** Runs fn in a write transaction (SQLite: one at a time); joins the caller's write if there is one (not a read). */
  write<T>(fn: Work<T>): Promise<T> {
    const s = this.current();
    if (s?.kind === 'write') return join(s, fn);
    // Inside a read: a write of its own (a read holds no lock, so it cannot wait for itself); the
    // read's snapshot does not see it.
    if (s) return scope.exit(() => this.write(fn));
    const committed: (() => void)[] = [];
    const done =
      this.kind === 'postgres'
        ? this.writer.transaction((m) => this.enter('write', m, fn, committed))
        : this.writes.run(() =>
            this.writer.transaction(async (m) => {
              await m.query(TAKE_WRITE_LOCK);
              return this.enter('write', m, fn, committed);
            }),
          );
    return done.then((v) => {
      for (const cb of committed) soon(cb);
      return v;
    });
  }

  /**
   * Runs `cb` once the caller's write has committed, outside it (on a later turn of the event loop,
   * where a write it starts takes its own turn); never if the write rolls back. For work that may
   * follow a write but must not lengthen it; what must not be lost is recorded in the write itself
   * and `cb` only hurries it along. Outside a write (a transaction of TypeORM's own, a read) there is
   * no commit to wait for: an error, rather than a callback that might run before the commit.
   */
  afterCommit(cb: () => void): void {
    const s = this.current();
    if (s?.kind !== 'write') throw new Error('afterCommit outside a write: call it inside DatabaseService.write');
    s.committed.push(cb);
  }

  /** Runs fn in a read that sees one committed state; inside a write or read, joins it (and sees its writes). */
  read<T>(fn: Work<T>): Promise<T> {
    const s = this.current();
    if (s) return join(s, fn);
    if (this.kind === 'postgres') {
      return this.writer.transaction('REPEATABLE READ', async (m) => {
        await m.query('SET TRANSACTION READ ONLY');
        return this.enter('read', m, fn);
      });
    }
    // No reader (an in-memory database, or after shut-down): the writer, taking its turn.
    if (!this.readers.size) return this.writes.run(() => this.writer.transaction((m) => this.enter('read', m, fn)));
    return this.readers.use((ds) => ds.transaction((m) => this.enter('read', m, fn)));
  }

  /**
   * One statement as a read of its own, without a transaction around it: a single statement sees one
   * committed state on both databases (SQLite: one read snapshot; PostgreSQL: the statement's), so a
   * read that fits in one statement — a listing's page with its count as a subquery — needs no
   * BEGIN and COMMIT. On SQLite that is one round trip to a read-only connection instead of three,
   * each of which waits for its turn on the event loop while a long write is computing. Inside a
   * write or read it joins it (and sees its writes).
   */
  readStatement<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    const { text, params } = q.render(this.kind);
    // A guard against a write passed here by mistake (the SQL is the code's, never input): on SQLite
    // the read-only connection would refuse it, but PostgreSQL's pool would run it outside any
    // transaction. It reads the statement's words (quoted text and comments left out), so it does
    // not see what a function does (nextval, advisory locks): this is not a security boundary.
    const words = text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
    if (!ONE_SELECT.test(words) || WRITES.test(words) || words.includes(';')) {
      return Promise.reject(new TypeError(`readStatement runs one SELECT (or WITH … SELECT) that writes nothing: ${text.slice(0, 80)}`));
    }
    const run = (m: EntityManager) => m.query(text, params) as Promise<T[]>;
    const s = this.current();
    if (s) return join(s, run);
    if (this.kind === 'postgres') return run(this.writer.manager);
    if (!this.readers.size) return this.writes.run(() => run(this.writer.manager));
    return this.readers.use((ds) => run(ds.manager));
  }

  /**
   * For a write's long reads before it writes or locks anything (the risk refresh's evidence pass):
   * inside a write, a function that runs fn in a read of its own, side by side with the write's own
   * statements, or null when there is no such place (the caller then reads in its write).
   *
   * SQLite: on a read-only connection. It sees exactly what the write sees so far — the last commit:
   * the write holds the file's write lock from its first statement, so nothing commits in between —
   * but not what the write has changed, hence "before it writes" (and not from a write joined to an
   * outer one, which may have written). When no read-only connection is free, fn runs in the write
   * itself (never waits for one: a read that holds one may itself be waiting for this write's turn).
   * Null without read-only connections (an in-memory database).
   *
   * PostgreSQL: a REPEATABLE READ READ ONLY transaction on another connection of the pool. The write
   * is READ COMMITTED, where every statement already sees the last commit when it starts; one beside
   * it sees the same, less what the write has changed (nothing yet). It waits for a free connection,
   * which is safe before the write holds any row lock: whoever holds the others cannot be waiting for
   * it. Null when the pool has fewer than BESIDE_MIN_POOL connections (a job's advisory lock, the write
   * and two of these).
   *
   * Null outside a write.
   */
  besideWrite(): (<T>(fn: Work<T>) => Promise<T>) | null {
    const s = this.current();
    if (s?.kind !== 'write') return null;
    if (this.kind === 'postgres') {
      if (((this.writer.options as PostgresConnectionOptions).poolSize ?? 0) < BESIDE_MIN_POOL) return null;
      return (fn) => {
        if (!s.open) return Promise.reject(new Error('besideWrite: its write has ended'));
        return scope.exit(() =>
          this.writer.transaction('REPEATABLE READ', async (m) => {
            await m.query('SET TRANSACTION READ ONLY');
            return this.enter('read', m, fn);
          }),
        );
      };
    }
    if (!this.readers.size) return null;
    return (fn) => {
      if (!s.open) return Promise.reject(new Error('besideWrite: its write has ended'));
      const ds = this.readers.take();
      if (!ds) return join(s, fn);
      return scope.exit(() => this.readers.use((d) => d.transaction((m) => this.enter('read', m, fn)), ds));
    };
  }

  /**
   * Runs `work` unless another instance holds the same job: on PostgreSQL a SESSION advisory lock
   * taken on a connection of its own (so `work` may commit in several writes on other connections),
   * released at the end, or by the server if that connection dies; resolves with null when another
   * instance holds it. SQLite: one process owns the file; it just runs.
   */
  async withJobLock<T>(key: number, work: () => Promise<T>): Promise<T | null> {
    if (this.kind !== 'postgres') return work();
    const qr = this.writer.createQueryRunner();
    try {
      await qr.connect();
      const [row] = (await qr.query('SELECT pg_try_advisory_lock($1) AS ok', [key])) as { ok: unknown }[];
      if (row?.ok !== true) return null;
      try {
        return await work();
      } finally {
        await qr.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      await qr.release();
    }
  }

  /**
   * SQLite: copies the WAL into the database file and truncates it (after a large write), taking the
   * writer's turn outside any transaction; skipped inside a write or read (it cannot wait for itself),
   * and on PostgreSQL.
   */
  async checkpoint(): Promise<void> {
    if (this.kind === 'postgres' || this.current()) return;
    await this.writes.run(() => this.writer.query('PRAGMA wal_checkpoint(TRUNCATE)'));
  }

  /** Whether the caller runs inside a write or read of this database (that has not ended). */
  inside(): boolean {
    return this.current() !== null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readers.close();
  }

  private current(): Scope | null {
    const s = scope.getStore();
    return s && s.owner === this && s.open ? s : null;
  }

  private async enter<T>(kind: Scope['kind'], manager: EntityManager, fn: Work<T>, committed: (() => void)[] = []): Promise<T> {
    const s: Scope = { owner: this, kind, manager, open: true, joined: new Set(), committed };
    try {
      return await scope.run(s, () => fn(manager));
    } finally {
      while (s.joined.size) await Promise.allSettled([...s.joined]);
      s.open = false;
    }
  }
}

/** `cb` on a later turn of the event loop, outside any write or read; a throw is the callback's own (logged, not raised). */
function soon(cb: () => void): void {
  scope.exit(() =>
    setImmediate(() => {
      try {
        cb();
      } catch (e) {
        new Logger('DatabaseService').error(`an afterCommit callback failed: ${(e as Error).message}`, (e as Error).stack);
      }
    }),
  );
}

function join<T>(s: Scope, fn: Work<T>): Promise<T> {
  const p = Promise.resolve().then(() => fn(s.manager));
  s.joined.add(p);
  p.then(
    () => s.joined.delete(p),
    () => s.joined.delete(p),
  );
  return p;
}

const registry = new WeakMap<DataSource, DatabaseService>();

/** The database service of a DataSource opened by createDataSource (or one without readers for any other). */
export function databaseOf(ds: DataSource): DatabaseService {
  let d = registry.get(ds);
  if (!d) registry.set(ds, (d = new DatabaseService(ds)));
  return d;
}

export function registerDatabase(ds: DataSource, readers: DataSource[]): DatabaseService {
  const d = new DatabaseService(ds, readers);
  registry.set(ds, d);
  return d;
}
