import sqlite3 from 'sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';
import { registerDatabase } from './database.service';

/** Page cache of each connection (reports read tens of thousands of rows; bench/reports.bench.ts). */
const CACHE_KIB = 64 * 1024;
/** Read-only connections of a SQLite file: reads of different requests run side by side (2 cores). */
const READERS = 2;

/**
 * Opens the app's DataSource and its DatabaseService (database.service.ts). On SQLite: a 64 MiB page
 * cache (with the 2 MiB default every warm report re-reads its pages), and in WAL mode a small pool
 * of read-only connections on the same file for `read()`. The DataSource itself is the one writer.
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
      await reader.query(`PRAGMA cache_size = -${CACHE_KIB}`);
      readers.push(reader);
    }
  }
  registerDatabase(ds, readers);
  return ds;
}
