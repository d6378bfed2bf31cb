import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { readEnv } from './env';

/** Default of SQLITE_READER_CACHE_MB (why 16: database/data-source.factory.ts). */
export const DEFAULT_SQLITE_READER_CACHE_MB = 16;

class DatabaseEnv {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)' })
  DATABASE_URL?: string = undefined;

  @IsString()
  SQLITE_PATH: string = 'data/forewarn.sqlite';

  @IsInt()
  @Min(1)
  DB_POOL_SIZE: number = 10;

  @IsIn(['true', 'false'])
  DB_LOGGING: string = 'false';

  @IsInt()
  @Min(1)
  @Max(4096)
  SQLITE_READER_CACHE_MB: number = DEFAULT_SQLITE_READER_CACHE_MB;
}

export interface DatabaseConfig {
  type: 'sqlite' | 'postgres';
  url?: string;
  sqlitePath: string;
  poolSize: number;
  logging: boolean;
  /** SQLite: page cache of each read-only connection, in MiB (data-source.factory.ts). */
  sqliteReaderCacheMb?: number;
}

export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const e = readEnv(DatabaseEnv, env);
  return {
    type: e.DATABASE_URL ? 'postgres' : 'sqlite',
    url: e.DATABASE_URL || undefined,
    sqlitePath: e.SQLITE_PATH,
    poolSize: e.DB_POOL_SIZE,
    logging: e.DB_LOGGING === 'true',
    sqliteReaderCacheMb: e.SQLITE_READER_CACHE_MB,
  };
}

export const databaseConfig = registerAs('database', () => readDatabaseConfig());
