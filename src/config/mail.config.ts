import { registerAs } from '@nestjs/config';
import { IsEmail, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ConfigError, readEnv } from './env';

const DURATION = /^\s*\d+\s*[mhd]\s*$/;
const DURATION_LIST = /^\s*\d+\s*[mhd]\s*(,\s*\d+\s*[mhd]\s*)*$/;

class MailEnv {
  /** smtp://user:pass@host:port or smtps://...; unset: mail is written as .eml files under OUTBOX_DIR. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL (leave it unset to write .eml files)' })
  SMTP_URL?: string = undefined;

  @IsString()
  MAIL_FROM: string = 'Forewarn <forewarn@localhost>';

  /** Right-hand side of the deterministic Message-ID <notification-id@MAIL_MESSAGE_DOMAIN>. */
  @Matches(/^[A-Za-z0-9.-]+$/, { message: 'MAIL_MESSAGE_DOMAIN must be a host name' })
  MAIL_MESSAGE_DOMAIN: string = 'forewarn';

  @IsString()
  OUTBOX_DIR: string = './data/outbox';

  @IsInt()
  @Min(1)
  @Max(50)
  SMTP_MAX_CONNECTIONS: number = 5;

  /** Default briefing offsets before the local start, e.g. "14d,3d,1d" or "2h". */
  @Matches(DURATION_LIST, { message: 'BRIEFING_OFFSETS must be a comma list of durations like 14d,3d,1d (m, h or d)' })
  BRIEFING_OFFSETS: string = '14d,3d,1d';

  /** High/Critical mail not acknowledged within this escalates to coordinators (shorter when the appearance is near). */
  @Matches(DURATION, { message: 'ACK_TIMEOUT must be a duration like 12h (m, h or d)' })
  ACK_TIMEOUT: string = '12h';

  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_MAX_ATTEMPTS: number = 8;

  @IsInt()
  @Min(100)
  MAIL_BACKOFF_BASE_MS: number = 30_000;

  @IsInt()
  @Min(1000)
  MAIL_BACKOFF_MAX_MS: number = 6 * 3_600_000;

  /** Backoff cap for risk alerts, which retry until delivered (or the appearance starts) instead of going dead. */
  @IsInt()
  @Min(1000)
  MAIL_ALERT_BACKOFF_MAX_MS: number = 5 * 60_000;

  @IsInt()
  @Min(100)
  DISPATCH_INTERVAL_MS: number = 2_000;

  @IsInt()
  @Min(1)
  @Max(2000)
  DISPATCH_BATCH_SIZE: number = 200;

  /** How long a claim lasts unless renewed (a running worker renews it every third of this); a crashed worker's rows are reclaimed after it. */
  @IsInt()
  @Min(1000)
  DISPATCH_LEASE_MS: number = 30_000;

  @IsInt()
  @Min(10_000)
  SCHEDULER_INTERVAL_MS: number = 60_000;

  /** Weekly digest: ISO weekday (1 = Monday) and local hour in the office's zone. */
  @IsInt()
  @Min(1)
  @Max(7)
  DIGEST_WEEKDAY: number = 1;

  @IsInt()
  @Min(0)
  @Max(23)
  DIGEST_HOUR: number = 7;

  @IsOptional()
  @IsEmail()
  MAIL_REPLY_TO?: string = undefined;
}

export interface MailConfig {
  smtpUrl: string | null;
  from: string;
  replyTo: string | null;
  messageDomain: string;
  outboxDir: string;
  maxConnections: number;
  /** Minutes before the local start. */
  briefingOffsetsMinutes: number[];
  ackTimeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  alertBackoffMaxMs: number;
  dispatchIntervalMs: number;
  batchSize: number;
  leaseMs: number;
  schedulerIntervalMs: number;
  digestWeekday: number;
  digestHour: number;
}

/** "14d" → 20160 (minutes). */
export function parseDurationMinutes(s: string): number {
  const m = /^\s*(\d+)\s*([mhd])\s*$/.exec(s);
  if (!m) throw new ConfigError(`Invalid duration ${JSON.stringify(s)} (use e.g. 30m, 12h, 14d)`);
  const n = Number(m[1]);
  return m[2] === 'd' ? n * 1440 : m[2] === 'h' ? n * 60 : n;
}

export function readMailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const e = readEnv(MailEnv, env);
  const offsets = [...new Set(e.BRIEFING_OFFSETS.split(',').map(parseDurationMinutes))].sort((a, b) => b - a);
  if (offsets.some((o) => o <= 0 || o > 366 * 1440)) {
    throw new ConfigError('Invalid configuration:\n  BRIEFING_OFFSETS: each offset must be between 1 minute and 366 days');
  }
  return {
    smtpUrl: e.SMTP_URL || null,
    from: e.MAIL_FROM,
    replyTo: e.MAIL_REPLY_TO || null,
    messageDomain: e.MAIL_MESSAGE_DOMAIN,
    outboxDir: e.OUTBOX_DIR,
    maxConnections: e.SMTP_MAX_CONNECTIONS,
    briefingOffsetsMinutes: offsets,
    ackTimeoutMs: parseDurationMinutes(e.ACK_TIMEOUT) * 60_000,
    maxAttempts: e.MAIL_MAX_ATTEMPTS,
    backoffBaseMs: e.MAIL_BACKOFF_BASE_MS,
    backoffMaxMs: e.MAIL_BACKOFF_MAX_MS,
    alertBackoffMaxMs: e.MAIL_ALERT_BACKOFF_MAX_MS,
    dispatchIntervalMs: e.DISPATCH_INTERVAL_MS,
    batchSize: e.DISPATCH_BATCH_SIZE,
    leaseMs: e.DISPATCH_LEASE_MS,
    schedulerIntervalMs: e.SCHEDULER_INTERVAL_MS,
    digestWeekday: e.DIGEST_WEEKDAY,
    digestHour: e.DIGEST_HOUR,
  };
}

export const mailConfig = registerAs('mail', () => readMailConfig());
