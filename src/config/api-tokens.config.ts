import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { ConfigError, readEnv } from './env';

class ApiTokensEnv {
  /** Lifetime of a new API token when the request names none. */
  @IsInt()
  @Min(1)
  @Max(3650)
  API_TOKEN_DEFAULT_DAYS: number = 90;

  /** The longest lifetime a token may be given. */
  @IsInt()
  @Min(1)
  @Max(3650)
  API_TOKEN_MAX_DAYS: number = 365;

  /** last_used_at is written at most this often per token (0 = every request). */
  @IsInt()
  @Min(0)
  @Max(86_400)
  API_TOKEN_LAST_USED_SECONDS: number = 60;

  /** How long the per-minute counts of token uses are kept. */
  @IsInt()
  @Min(1)
  @Max(3650)
  API_TOKEN_USES_KEEP_DAYS: number = 90;

  /** How often each instance adds its gathered counts of token uses to the table. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  API_TOKEN_USES_FLUSH_MS: number = 5000;
}

export interface ApiTokensConfig {
  defaultDays: number;
  maxDays: number;
  lastUsedIntervalMs: number;
  usesKeepMs: number;
  usesFlushMs: number;
}

export function readApiTokensConfig(env: NodeJS.ProcessEnv = process.env): ApiTokensConfig {
  const e = readEnv(ApiTokensEnv, env);
  if (e.API_TOKEN_DEFAULT_DAYS > e.API_TOKEN_MAX_DAYS) {
    throw new ConfigError(`Invalid configuration:\n  API_TOKEN_DEFAULT_DAYS=${e.API_TOKEN_DEFAULT_DAYS}: must not exceed API_TOKEN_MAX_DAYS (${e.API_TOKEN_MAX_DAYS})`);
  }
  return {
    defaultDays: e.API_TOKEN_DEFAULT_DAYS,
    maxDays: e.API_TOKEN_MAX_DAYS,
    lastUsedIntervalMs: e.API_TOKEN_LAST_USED_SECONDS * 1000,
    usesKeepMs: e.API_TOKEN_USES_KEEP_DAYS * 86_400_000,
    usesFlushMs: e.API_TOKEN_USES_FLUSH_MS,
  };
}

export const apiTokensConfig = registerAs('apiTokens', () => readApiTokensConfig());
