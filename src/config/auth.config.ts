import { registerAs } from '@nestjs/config';
import { IsEmail, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { readEnv, ConfigError } from './env';
import { passwordWeakness } from './password-strength';

/** The development secret older versions shipped in their source: refused, like any other published value. */
export const DEFAULT_DEV_SECRET = 'forewarn-development-secret-change-me';
/** An explicitly configured JWT_SECRET must be at least this long (a generated one is 64 characters). */
export const MIN_SECRET_LENGTH = 32;
const KNOWN_WEAK_SECRETS = [DEFAULT_DEV_SECRET, 'secret', 'changeme', 'change-me', 'password', 'jwt-secret', 'jwt_secret', 'your-secret-key', 'supersecret', 'forewarn'];

class AuthEnv {
  @IsOptional()
  @IsString()
  JWT_SECRET?: string = undefined;

  /** Where the secret generated on first start is kept (SQLite only; on PostgreSQL it is kept in the database). */
  @IsOptional()
  @IsString()
  SECRET_FILE?: string = undefined;

  @IsInt()
  @Min(60)
  JWT_TTL_SECONDS: number = 12 * 3600;

  @IsEmail()
  ADMIN_EMAIL: string = 'admin@forewarn.local';

  @IsOptional()
  @IsString()
  ADMIN_PASSWORD?: string = undefined;

  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT: number = 10;

  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_RATE_WINDOW_SECONDS: number = 60;

  /** Wrong passwords allowed per account (from any address) per LOGIN_ACCOUNT_WINDOW_SECONDS. */
  @IsInt()
  @Min(1)
  LOGIN_ACCOUNT_LIMIT: number = 10;

  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_ACCOUNT_WINDOW_SECONDS: number = 900;

  /** Unknown calendar feed URLs allowed per address per minute. */
  @IsInt()
  @Min(1)
  FEED_MISS_LIMIT: number = 20;
}

export interface AuthConfig {
  /** The configured master secret; undefined: generated on first start and kept with the data. */
  jwtSecret?: string;
  secretFile?: string;
  jwtTtlSeconds: number;
  adminEmail: string;
  adminPassword?: string;
  loginRateLimit: number;
  loginRateWindowMs: number;
  loginAccountLimit: number;
  loginAccountWindowMs: number;
  feedMissLimit: number;
}

/** Why a configured or stored secret is unusable, or null. */
export function secretWeakness(secret: string): string | null {
  if (secret.length < MIN_SECRET_LENGTH) return `must be at least ${MIN_SECRET_LENGTH} characters (openssl rand -base64 48 makes one)`;
  const lower = secret.toLowerCase();
  if (KNOWN_WEAK_SECRETS.some((w) => lower === w || lower.startsWith(w))) return 'is a published or well-known value; generate your own';
  if (new Set(secret).size < 10) return 'repeats too few different characters; generate a random one';
  return null;
}

export function readAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const e = readEnv(AuthEnv, env);
  const problems: string[] = [];
  const secretProblem = e.JWT_SECRET === undefined ? null : secretWeakness(e.JWT_SECRET);
  if (secretProblem) problems.push(`JWT_SECRET: ${secretProblem} (or leave it unset: Forewarn then generates one and keeps it with the data)`);
  const adminProblem = e.ADMIN_PASSWORD === undefined ? null : passwordWeakness(e.ADMIN_PASSWORD, [e.ADMIN_EMAIL]);
  if (adminProblem) problems.push(`ADMIN_PASSWORD: ${adminProblem} (or leave it unset: a strong one is generated and printed once)`);
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    jwtSecret: e.JWT_SECRET,
    secretFile: e.SECRET_FILE,
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    adminEmail: e.ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    loginRateWindowMs: e.LOGIN_RATE_WINDOW_SECONDS * 1000,
    loginAccountLimit: e.LOGIN_ACCOUNT_LIMIT,
    loginAccountWindowMs: e.LOGIN_ACCOUNT_WINDOW_SECONDS * 1000,
    feedMissLimit: e.FEED_MISS_LIMIT,
  };
}

export const authConfig = registerAs('auth', () => readAuthConfig());
