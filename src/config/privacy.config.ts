import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { readEnv } from './env';

class PrivacyEnv {
  /** Incident descriptions older than this (by when the incident occurred) are blanked. */
  @IsInt()
  @Min(1)
  @Max(240)
  RETENTION_MONTHS: number = 24;

  /** How often the retention job looks for expired descriptions (when SCHEDULER_ENABLED). */
  @IsInt()
  @Min(60)
  RETENTION_INTERVAL_SECONDS: number = 3600;
}

export interface PrivacyConfig {
  retentionMonths: number;
  retentionIntervalMs: number;
}

export const privacyConfig = registerAs('privacy', (): PrivacyConfig => {
  const e = readEnv(PrivacyEnv);
  return { retentionMonths: e.RETENTION_MONTHS, retentionIntervalMs: e.RETENTION_INTERVAL_SECONDS * 1000 };
});
