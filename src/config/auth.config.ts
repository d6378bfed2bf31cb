import { registerAs } from '@nestjs/config';
import { IsEmail, IsInt, IsOptional, IsString, Min, MinLength } from 'class-validator';
import { readEnv, ConfigError } from './env';

export const DEFAULT_DEV_SECRET = 'forewarn-development-secret-change-me';

class AuthEnv {
  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET: string = DEFAULT_DEV_SECRET;

  @IsInt()
  @Min(60)
  JWT_TTL_SECONDS: number = 12 * 3600;

  @IsEmail()
  ADMIN_EMAIL: string = 'admin@forewarn.local';

  @IsOptional()
  @IsString()
  @MinLength(10, { message: 'ADMIN_PASSWORD must be at least 10 characters' })
  ADMIN_PASSWORD?: string = undefined;

  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT: number = 10;

  @IsInt()
  @Min(1)
  LOGIN_RATE_WINDOW_SECONDS: number = 60;
}

export interface AuthConfig {
  jwtSecret: string;
  jwtTtlSeconds: number;
  adminEmail: string;
  adminPassword?: string;
  loginRateLimit: number;
  loginRateWindowMs: number;
}

export function readAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const e = readEnv(AuthEnv, env);
  if (env.NODE_ENV === 'production' && (!env.JWT_SECRET || e.JWT_SECRET === DEFAULT_DEV_SECRET)) {
    throw new ConfigError('Invalid configuration:\n  JWT_SECRET: must be set to a secret of your own when NODE_ENV=production');
  }
  return {
    jwtSecret: e.JWT_SECRET,
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    adminEmail: e.ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    loginRateWindowMs: e.LOGIN_RATE_WINDOW_SECONDS * 1000,
  };
}

export const authConfig = registerAs('auth', () => readAuthConfig());
