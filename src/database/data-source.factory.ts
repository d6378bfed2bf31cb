import sqlite3 from 'sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DEFAULT_SQLITE_READER_CACHE_MB } from '../config/database.config';
import { registerDatabase } from './database.service';

/** Page cache of the writer connection (reports read tens of thousands of rows; bench/reports.bench.ts). */
const CACHE_KIB = 64 * 1024;
/*
 * The read-only connections' page cache (SQLITE_READER_CACHE_MB, default 16). The file's pages stay in
 * the OS cache either way. At 64 MiB each, the two readers' caches filled with the listing's pages:
 * the listing bench peaked at 319–324 MB resident (target 250); at 16 MiB 226–230 MB, with the
 * listing's rate against the bare server 0.73 (0.78–0.82 at 64 MiB) and the reports at 100,000
 * appearances as fast (bench/appearances-listing, bench/reports). At 1,000,000 appearances the reports
 * took 25–35% longer than at 64 MiB (bench/growth): a large database can afford the memory.
 */
/** Read-only connections of a SQLite file: reads of different requests run side by side (2 cores). */
const READERS = 2;

/**
 * Opens the app's DataSource and its DatabaseService (database.service.ts). On SQLite: a 64 MiB page
 * cache (with the 2 MiB default every warm report re-reads its pages), and in WAL mode a small pool
 * of read-only connections on the same file for `read()` (opts.readerCacheMb each, default 16 MiB).
 * The DataSource itself is the one writer.
 */
export async function createDataSource(options: DataSourceOptions, opts: { readerCacheMb?: number } = {}): Promise<DataSource> {
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
      await reader.query(`PRAGMA cache_size = -${Math.trunc((opts.readerCacheMb ?? DEFAULT_SQLITE_READER_CACHE_MB) * 1024)}`);
      readers.push(reader);
    }
  }
  registerDatabase(ds, readers);
  return ds;
}
