import { DataSource } from 'typeorm';
import { isPostgres } from './dialect';

/** The advisory lock every Forewarn instance takes around its migrations (any constant, ours alone). */
const MIGRATION_LOCK_KEY = 7_301_962_204;

/**
 * Runs `fn` (the pending migrations, then the first-admin set-up) holding a PostgreSQL session-level
 * advisory lock, so instances starting together on one database take turns: the first applies the
 * migrations, the others wait, then find nothing pending. SQLite needs no lock (one process owns the
 * file's schema; a second process waits on SQLite's own write lock).
 */
export async function withMigrationLock<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  if (!isPostgres(ds)) return fn();
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
