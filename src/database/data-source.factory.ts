import sqlite3 from 'sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';
import { registerDatabase } from './database.service';

/** Page cache of the writer connection (reports read tens of thousands of rows; bench/reports.bench.ts). */
const CACHE_KIB = 64 * 1024;
/**
 * Page cache of each read-only connection. The file's pages stay in the OS cache either way. At 64
 * MiB each, the two readers' caches filled with the listing's pages: the listing bench peaked at
 * 319–324 MB resident (target 250). At 16 MiB: 226–230 MB, the listing's rate against the bare
 * server 0.73 (0.78–0.82 at 64 MiB), the reports and the risk refresh's reads beside it as fast as
 * before (bench/appearances-listing, bench/reports, bench/risk, side by side in one session).
 */
const READER_CACHE_KIB = 16 * 1024;
/** Read-only connections of a SQLite file: reads of different requests run side by side (2 cores). */
const READERS = 2;

/**
 * Opens the app's DataSource and its DatabaseService (database.service.ts). On SQLite: a 64 MiB page
 * cache (with the 2 MiB default every warm report re-reads its pages), and in WAL mode a small pool
 * of read-only connections on the same file for `read()` (16 MiB each). The DataSource itself is the
 * one writer.
 */
export async function createDataSource(options: DataSourceOptions): Promise<DataSource> {
  const ds = await new DataSource(options).initialize();
  if (ds.options.type !== 'sqlite') {
    registerDatabase(ds, []);
    return ds;
  }
  await ds.query(`PRAGMA cache_size = -${CACHE_KIB}`);
  const file = ds.options.database;
  const readers: DataSource[] = [];
  if (file !== ':memory:' && ds.options.enableWAL) {
    for (let i = 0; i < READERS; i++) {
      const reader = await new DataSource({
        type: 'sqlite',
        driver: ds.options.driver,
        database: file,
        flags: sqlite3.OPEN_READONLY,
        busyTimeout: 5000,
        entities: ds.options.entities,
        synchronize: false,
        logging: ds.options.logging,
      }).initialize();
      await reader.query(`PRAGMA cache_size = -${READER_CACHE_KIB}`);
      readers.push(reader);
    }
  }
  registerDatabase(ds, readers);
  return ds;
}
