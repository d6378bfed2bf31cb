import sqlite3 from 'sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';
import { serialiseSqlite } from './sqlite-serialise';

/** Page cache of the read-only connection (it serves reads only while the writer is busy). */
const READER_CACHE_KIB = 16 * 1024;

/**
 * Opens the app's DataSource. On SQLite: a 64 MiB page cache (reports read tens of thousands of
 * rows; with the 2 MiB default every warm report re-reads its pages — bench/reports.bench.ts), a
 * second read-only connection on the same file for reads that arrive while a transaction is open,
 * and one-writer serialisation of the single shared connection (sqlite-serialise.ts).
 */
export async function createDataSource(options: DataSourceOptions): Promise<DataSource> {
  const ds = await new DataSource(options).initialize();
  if (ds.options.type !== 'sqlite') return ds;
  await ds.query('PRAGMA cache_size = -65536');
  const file = ds.options.database;
  if (file === ':memory:' || !ds.options.enableWAL) return serialiseSqlite(ds);
  const reader = await new DataSource({
    type: 'sqlite',
    driver: ds.options.driver,
    database: file,
    flags: sqlite3.OPEN_READONLY,
    busyTimeout: 5000,
    entities: [],
    synchronize: false,
    logging: ds.options.logging,
  }).initialize();
  await reader.query(`PRAGMA cache_size = -${READER_CACHE_KIB}`);
  return serialiseSqlite(ds, reader);
}
