import { DataSource, DataSourceOptions } from 'typeorm';
import { serialiseSqlite } from './sqlite-serialise';

/**
 * Opens the app's DataSource. On SQLite: a 64 MiB page cache (reports read tens of thousands of
 * rows; with the 2 MiB default every warm report re-reads its pages — bench/reports.bench.ts) and
 * one-writer serialisation of the single shared connection (sqlite-serialise.ts).
 */
export async function createDataSource(options: DataSourceOptions): Promise<DataSource> {
  const ds = await new DataSource(options).initialize();
  if (ds.options.type === 'sqlite') await ds.query('PRAGMA cache_size = -65536');
  return serialiseSqlite(ds);
}
