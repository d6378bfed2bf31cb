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
  withLock: <T>(fn: () => Promise<T>) => Promise<T>;
  inTx: AsyncLocalStorage<true>;
}

const serialised = new WeakMap<DataSource, Serialised>();

/**
 * Runs `fn` as if it were one statement outside any transaction: on a serialised SQLite DataSource
 * it waits until no transaction is open (so a raw driver read never sees another request's
 * uncommitted writes) and holds the lock while `fn` runs (statements `fn` issues through TypeORM
 * pass straight through). A passthrough on PostgreSQL and inside the caller's own transaction.
 */
export function runExclusive<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const s = serialised.get(ds);
  if (!s || s.inTx.getStore()) return fn();
  return s.withLock(() => s.inTx.run(true, fn));
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
  serialised.set(ds, { withLock, inTx });
  return ds;
}
