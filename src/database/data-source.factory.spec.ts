import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SQLITE_READER_CACHE_MB as DEFAULT_READER_CACHE_MB, readDatabaseConfig } from '../config/database.config';
import { createDataSource } from './data-source.factory';
import { databaseOf } from './database.service';
import { buildDataSourceOptions } from './typeorm-options';

/** The page caches of a SQLite file's connections: the writer's 64 MiB, each reader's SQLITE_READER_CACHE_MB. */
describe('createDataSource: SQLite page caches', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cacheSizes = async (file: string, readerCacheMb?: number) => {
    const ds = await createDataSource(buildDataSourceOptions({ type: 'sqlite', sqlitePath: join(dir, file), poolSize: 1, logging: false }), { readerCacheMb });
    try {
      const pragma = async (run: (q: string) => Promise<unknown>) => Number(Object.values(((await run('PRAGMA cache_size')) as Record<string, unknown>[])[0])[0]);
      const db = databaseOf(ds);
      // read() runs on a read-only connection (a file in WAL mode); the DataSource itself is the writer
      return { reader: await pragma((q) => db.read((m) => m.query(q))), writer: await pragma((q) => ds.query(q)) };
    } finally {
      await ds.destroy();
      await databaseOf(ds).onApplicationShutdown();
    }
  };

  it('gives each read-only connection the configured cache (negative: KiB), the writer 64 MiB', async () => {
    expect(await cacheSizes('default.sqlite')).toEqual({ reader: -DEFAULT_READER_CACHE_MB * 1024, writer: -64 * 1024 });
    expect(await cacheSizes('large.sqlite', 64)).toEqual({ reader: -64 * 1024, writer: -64 * 1024 });
  });

  it('reads SQLITE_READER_CACHE_MB from the environment (16 by default) and refuses what is not a size', () => {
    expect(readDatabaseConfig({}).sqliteReaderCacheMb).toBe(16);
    expect(DEFAULT_READER_CACHE_MB).toBe(16);
    expect(readDatabaseConfig({ SQLITE_READER_CACHE_MB: '64' }).sqliteReaderCacheMb).toBe(64);
    for (const bad of ['0', '-5', 'lots', '1.5', '99999']) expect(() => readDatabaseConfig({ SQLITE_READER_CACHE_MB: bad })).toThrow(/SQLITE_READER_CACHE_MB/);
  });
});
