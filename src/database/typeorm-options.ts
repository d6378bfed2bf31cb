import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { sqlite3WithoutTrace } from './sqlite-driver';

/**
 * The one place DataSource options are built: the app (TypeOrmModule), the TypeORM CLI
 * (ormconfig.ts) and the tests all call this. synchronize is off everywhere: migrations only.
 */
export function buildDataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: db.logging,
  } as const;
  if (db.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: db.url,
      poolSize: db.poolSize,
      extra: { max: db.poolSize },
    };
  }
  if (db.sqlitePath !== ':memory:') mkdirSync(dirname(db.sqlitePath), { recursive: true });
  return {
    ...common,
    type: 'sqlite',
    driver: sqlite3WithoutTrace,
    database: db.sqlitePath,
    enableWAL: db.sqlitePath !== ':memory:',
    busyTimeout: 5000,
    // TypeORM's sqlite driver turns PRAGMA foreign_keys ON for every connection.
  };
}
