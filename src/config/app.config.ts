import { tmpdir } from 'node:os';
import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { readEnv } from './env';

class AppEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_URL: string = '';

  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  @IsInt()
  @Min(1024)
  IMPORT_LIMIT_BYTES: number = 64 * 1024 * 1024;

  /** A request (headers and body) must arrive within this long, or it is answered 408 and closed. */
  @IsInt()
  @Min(1000)
  REQUEST_TIMEOUT_MS: number = 20_000;
  /** Where uploads are received before an import reads them (default: the system's temporary folder). */
  @IsOptional()
  @IsString()
  IMPORT_SPOOL_DIR?: string = undefined;

  /** Where the full per-row report of each import is kept (a week) for download. */
  @IsString()
  IMPORT_REPORT_DIR: string = './data/import-reports';

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: string = 'log';

  @IsOptional()
  @IsIn(['true', 'false'])
  SCHEDULER_ENABLED: string = 'true';
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  bodyLimit: number;
  importLimit: number;
  requestTimeoutMs: number;
  importReportDir: string;
  importSpoolDir: string;
  logLevel: string;
  schedulerEnabled: boolean;
}

export const appConfig = registerAs('app', (): AppConfig => {
  const e = readEnv(AppEnv, { ...process.env, PUBLIC_URL: process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 3000}` });
  return {
    env: e.NODE_ENV as AppConfig['env'],
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL.replace(/\/$/, ''),
    bodyLimit: e.BODY_LIMIT_BYTES,
    importLimit: e.IMPORT_LIMIT_BYTES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    importReportDir: e.IMPORT_REPORT_DIR,
    importSpoolDir: e.IMPORT_SPOOL_DIR || tmpdir(),
    logLevel: e.LOG_LEVEL,
    schedulerEnabled: e.SCHEDULER_ENABLED !== 'false',
  };
});
