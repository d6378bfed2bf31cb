import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { readEnv } from './env';

class RiskEnv {
  /** The daily refresh re-assesses upcoming appearances starting within this many days. */
  @IsInt()
  @Min(1)
  @Max(3660)
  RISK_REFRESH_HORIZON_DAYS: number = 400;

  /** UTC hour of the daily full refresh (runs only when SCHEDULER_ENABLED is true). */
  @IsInt()
  @Min(0)
  @Max(23)
  RISK_REFRESH_HOUR_UTC: number = 3;

  /**
   * Organisation-wide sums (a small share of any one estimate) are cached per state so a single
   * re-assessment reads only its state (always exact); another state's entry older than this is
   * re-read, one per re-assessment; 0 = always read everything.
   */
  @IsInt()
  @Min(0)
  @Max(86400)
  RISK_ORG_CACHE_SECONDS: number = 600;
}

export interface RiskConfig {
  refreshHorizonDays: number;
  refreshHourUtc: number;
  orgCacheSeconds: number;
}

export function readRiskConfig(env: NodeJS.ProcessEnv = process.env): RiskConfig {
  const e = readEnv(RiskEnv, env);
  return { refreshHorizonDays: e.RISK_REFRESH_HORIZON_DAYS, refreshHourUtc: e.RISK_REFRESH_HOUR_UTC, orgCacheSeconds: e.RISK_ORG_CACHE_SECONDS };
}

export const riskConfig = registerAs('risk', () => readRiskConfig());
