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
 * PostgreSQL has a real pool and is left alone. Several processes on one SQLite file are serialised
 * by SQLite itself (busy timeout).
 */
interface Serialised {
  withReadLock: <T>(fn: () => Promise<T>) => Promise<T>;
  inTx: AsyncLocalStorage<true>;
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
  if (!s || s.inTx.getStore()) return fn();
  return s.withReadLock(() => s.inTx.run(true, fn));
}

export function serialiseSqlite(ds: DataSource): DataSource {
  if (ds.options.type !== 'sqlite') return ds;
  if (serialised.has(ds)) return ds;
  const inTx = new AsyncLocalStorage<true>();
  let tail: Promise<void> = Promise.resolve();

  const withLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((r) => (release = r));
    await previous;
    try {
      return await fn();
    } finally {
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
    try {
      await group.ready;
      return await fn();
    } finally {
      if (--group.count === 0) {
        if (readGroup === group) readGroup = null;
        group.release();
      }
    }
  };

  const runner = ds.createQueryRunner();
  const query = runner.query.bind(runner) as (...a: unknown[]) => Promise<unknown>;
  (runner as { query: unknown }).query = (...args: unknown[]) => (inTx.getStore() ? query(...args) : withLock(() => query(...args)));

  const wrap = (manager: EntityManager) => {
    const transaction = manager.transaction.bind(manager) as (...a: unknown[]) => Promise<unknown>;
    (manager as { transaction: unknown }).transaction = (...args: unknown[]) =>
      inTx.getStore() ? transaction(...args) : withLock(() => inTx.run(true, () => transaction(...args)));
  };
  wrap(ds.manager);
  wrap(runner.manager);
  serialised.set(ds, { withReadLock, inTx });
  return ds;
}
