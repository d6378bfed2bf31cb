import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * SQLite through TypeORM has ONE connection (one shared QueryRunner). Two requests whose
 * transactions overlap would interleave on it: the second BEGIN becomes a savepoint inside the
 * first, commits and rollbacks cross, and statements of unrelated requests land inside someone
 * else's transaction (and are rolled back with it).
 *
 * This makes the single connection behave like a database with one writer:
 * - a top-level transaction holds a process-wide lock for its whole duration; nested transactions
 *   (same async context) pass straight through and become savepoints as usual;
 * - a statement issued outside any transaction waits until no transaction is open, so it never
 *   joins someone else's.
 * The async context (AsyncLocalStorage) tells a transaction's own statements from everyone else's.
 *
 * With a second, read-only connection (`reader`, on the same file in WAL mode), a read issued
 * outside any transaction while the writer is busy (a transaction open or queued) does not wait: it
 * runs at once on the reader and sees the last committed state, as WAL lets it. So a long import
 * (one transaction, atomic) no longer stops every read; writers still take turns. When nothing is
 * open, reads keep using the main connection (its warm 64 MiB cache).
 *
 * PostgreSQL has a real pool and is left alone. Several processes on one SQLite file are serialised
 * by SQLite itself (busy timeout).
 */
interface Serialised {
  withReadLock: <T>(fn: () => Promise<T>) => Promise<T>;
  inTx: AsyncLocalStorage<true>;
  /** Whether a transaction (or a turn of reads) holds or waits for the lock. */
  busy: () => boolean;
  reader: DataSource | null;
  onReader: AsyncLocalStorage<true>;
}

/** A statement the read-only connection can run: a plain SELECT (or WITH … SELECT) that writes nothing. */
function isRead(sql: unknown): boolean {
  return typeof sql === 'string' && /^\s*(SELECT|WITH)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);
}

const serialised = new WeakMap<DataSource, Serialised>();

/**
 * Runs the reads of `fn` as if they were statements outside any transaction: on a serialised
 * SQLite DataSource it waits until no transaction is open (so a raw driver read never sees another
 * request's uncommitted writes) and keeps transactions out while `fn` runs. Concurrent
 * `runExclusive` reads queued back to back share one turn of the lock (they only read, so they may
 * overlap; the driver pipelines them); a transaction queued behind them waits for all of them.
 * Statements `fn` issues through TypeORM pass straight through; `fn` must not open a transaction.
 * A passthrough on PostgreSQL and inside the caller's own transaction.
 */
export function runExclusive<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const s = serialised.get(ds);
  if (!s || s.inTx.getStore() || s.onReader.getStore()) return fn();
  // The writer is busy: read the committed state on the reader instead of waiting for it.
  if (s.reader && s.busy()) return s.onReader.run(true, fn);
  return s.withReadLock(() => s.inTx.run(true, fn));
}

/**
 * The raw sqlite3 connection a read inside `runExclusive` should use: the reader when runExclusive
 * sent it there, otherwise the main connection. Undefined on PostgreSQL.
 */
export function sqliteConnection<C>(ds: DataSource): C | undefined {
  const s = serialised.get(ds);
  const source = s?.reader && s.onReader.getStore() ? s.reader : ds;
  return (source.driver as unknown as { databaseConnection?: C }).databaseConnection;
}

export function serialiseSqlite(ds: DataSource, reader: DataSource | null = null): DataSource {
  if (ds.options.type !== 'sqlite') return ds;
  if (serialised.has(ds)) return ds;
  const inTx = new AsyncLocalStorage<true>();
  const onReader = new AsyncLocalStorage<true>();
  let tail: Promise<void> = Promise.resolve();
  let queued = 0;

  const withLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((r) => (release = r));
    queued++;
    try {
      await previous;
      return await fn();
    } finally {
      queued--;
      release();
    }
  };

  // Reads that arrive while the newest holder of the queue is a group of reads join that group.
  let readGroup: { tail: Promise<void>; ready: Promise<void>; count: number; release: () => void } | null = null;
  const withReadLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    let g = readGroup;
    if (!g || g.tail !== tail) {
      const ready = tail;
      let release!: () => void;
      tail = new Promise<void>((r) => (release = r));
      g = readGroup = { tail, ready, count: 0, release };
    }
    const group = g;
    group.count++;
    queued++;
    try {
      await group.ready;
      return await fn();
    } finally {
      queued--;
      if (--group.count === 0) {
        if (readGroup === group) readGroup = null;
        group.release();
      }
    }
  };

  const runner = ds.createQueryRunner();
  const query = runner.query.bind(runner) as (...a: unknown[]) => Promise<unknown>;
  const readerRunner = reader?.createQueryRunner();
  const read = readerRunner ? (readerRunner.query.bind(readerRunner) as (...a: unknown[]) => Promise<unknown>) : null;
  (runner as { query: unknown }).query = (...args: unknown[]) => {
    if (inTx.getStore()) return query(...args);
    if (read && (queued > 0 || onReader.getStore()) && isRead(args[0])) return read(...args);
    return withLock(() => query(...args));
  };

  const wrap = (manager: EntityManager) => {
    const transaction = manager.transaction.bind(manager) as (...a: unknown[]) => Promise<unknown>;
    (manager as { transaction: unknown }).transaction = (...args: unknown[]) => (inTx.getStore() ? transaction(...args) : withLock(() => inTx.run(true, () => transaction(...args))));
  };
  wrap(ds.manager);
  wrap(runner.manager);
  serialised.set(ds, { withReadLock, inTx, busy: () => queued > 0, reader, onReader });
  if (reader) {
    const destroy = ds.destroy.bind(ds);
    (ds as { destroy: unknown }).destroy = async () => {
      if (reader.isInitialized) await reader.destroy();
      return destroy();
    };
  }
  return ds;
}
