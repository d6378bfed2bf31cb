import { BlockList, isIP } from 'node:net';
import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ConfigError, readEnv } from './env';
import { parseDurationMinutes } from './mail.config';

class WebhooksEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  /** "true": endpoint and chat URLs must be https (default: true in production). */
  @IsOptional()
  @IsIn(['true', 'false'])
  WEBHOOK_REQUIRE_HTTPS?: string = undefined;

  /** "true": private, loopback and link-local addresses may be called (default: false in production). */
  @IsOptional()
  @IsIn(['true', 'false'])
  WEBHOOK_ALLOW_PRIVATE_NETWORKS?: string = undefined;

  /** Comma list of addresses or CIDR ranges that may be called although private (e.g. 10.20.0.0/16,fd00::/8). */
  @IsOptional()
  @IsString()
  WEBHOOK_ALLOWED_NETWORKS?: string = undefined;

  @IsInt()
  @Min(1000)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  @IsInt()
  @Min(1)
  @Max(50)
  WEBHOOK_MAX_ATTEMPTS: number = 10;

  @IsInt()
  @Min(100)
  WEBHOOK_BACKOFF_BASE_MS: number = 10_000;

  @IsInt()
  @Min(1000)
  WEBHOOK_BACKOFF_MAX_MS: number = 3_600_000;

  /** Deliveries in flight at once per instance. */
  @IsInt()
  @Min(1)
  @Max(200)
  WEBHOOK_CONCURRENCY: number = 16;

  @IsInt()
  @Min(1)
  @Max(2000)
  WEBHOOK_BATCH_SIZE: number = 200;

  /** After a rotation the previous secret still signs (a second signature) for this long. */
  @Matches(/^\s*\d+\s*[mhd]\s*$/, { message: 'WEBHOOK_ROTATION_OVERLAP must be a duration like 24h (m, h or d)' })
  WEBHOOK_ROTATION_OVERLAP: string = '24h';
}

export interface WebhooksConfig {
  requireHttps: boolean;
  allowPrivateNetworks: boolean;
  /** Ranges allowed although private; each "address/prefix". */
  allowedNetworks: string[];
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  concurrency: number;
  batchSize: number;
  rotationOverlapMs: number;
}

/** "10.0.0.0/8" or "10.1.2.3" → [address, prefix, family]. */
export function parseNetwork(s: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address, p] = s.trim().split('/');
  const v = isIP(address);
  if (!v) throw new ConfigError(`Invalid configuration:\n  WEBHOOK_ALLOWED_NETWORKS: ${JSON.stringify(s)} is not an address or CIDR range`);
  const max = v === 4 ? 32 : 128;
  const prefix = p === undefined ? max : Number(p);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new ConfigError(`Invalid configuration:\n  WEBHOOK_ALLOWED_NETWORKS: ${JSON.stringify(s)} has a bad prefix length (0–${max})`);
  }
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

export function allowList(networks: string[]): BlockList {
  const list = new BlockList();
  for (const n of networks) {
    const { address, prefix, family } = parseNetwork(n);
    list.addSubnet(address, prefix, family);
  }
  return list;
}

export function readWebhooksConfig(env: NodeJS.ProcessEnv = process.env): WebhooksConfig {
  const e = readEnv(WebhooksEnv, env);
  const production = e.NODE_ENV === 'production';
  const allowedNetworks = (e.WEBHOOK_ALLOWED_NETWORKS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  allowList(allowedNetworks); // fails fast on a bad range
  return {
    requireHttps: e.WEBHOOK_REQUIRE_HTTPS === undefined ? production : e.WEBHOOK_REQUIRE_HTTPS === 'true',
    allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === undefined ? !production : e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
    allowedNetworks,
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    backoffBaseMs: e.WEBHOOK_BACKOFF_BASE_MS,
    backoffMaxMs: e.WEBHOOK_BACKOFF_MAX_MS,
    concurrency: e.WEBHOOK_CONCURRENCY,
    batchSize: e.WEBHOOK_BATCH_SIZE,
    rotationOverlapMs: parseDurationMinutes(e.WEBHOOK_ROTATION_OVERLAP) * 60_000,
  };
}

export const webhooksConfig = registerAs('webhooks', () => readWebhooksConfig());
