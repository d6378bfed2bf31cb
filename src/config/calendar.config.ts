import { registerAs } from '@nestjs/config';
import { Matches } from 'class-validator';
import { ConfigError, readEnv } from './env';
import { parseDurationMinutes } from './mail.config';

const DURATION = /^\s*\d+\s*[mhd]\s*$/;
const DURATION_LIST_OR_NONE = /^\s*(none|\d+\s*[mhd]\s*(,\s*\d+\s*[mhd]\s*)*)\s*$/;

class CalendarEnv {
  /** Reminders (VALARM) before each appearance's start, e.g. "1d,1h"; "none" for no reminders. */
  @Matches(DURATION_LIST_OR_NONE, { message: 'CALENDAR_ALARMS must be a comma list of durations like 1d,1h (m, h or d), or none' })
  CALENDAR_ALARMS: string = '1d,1h';

  /** How often calendar apps should re-read a personal feed (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
  @Matches(DURATION, { message: 'CALENDAR_REFRESH_INTERVAL must be a duration like 1h (m, h or d)' })
  CALENDAR_REFRESH_INTERVAL: string = '1h';
}

export interface CalendarConfig {
  /** Reminders before the start, in minutes, longest first (empty: none). */
  alarmMinutes: number[];
  /** Refresh hint of the personal feed, in seconds. */
  refreshSeconds: number;
}

export function readCalendarConfig(env: NodeJS.ProcessEnv = process.env): CalendarConfig {
  const e = readEnv(CalendarEnv, env);
  const raw = e.CALENDAR_ALARMS.trim().toLowerCase();
  const alarms = raw === 'none' ? [] : [...new Set(raw.split(',').map(parseDurationMinutes))].sort((a, b) => b - a);
  if (alarms.some((m) => m <= 0 || m > 28 * 1440)) {
    throw new ConfigError('Invalid configuration:\n  CALENDAR_ALARMS: each reminder must be between 1 minute and 28 days before the start');
  }
  const refresh = parseDurationMinutes(e.CALENDAR_REFRESH_INTERVAL);
  if (refresh < 5 || refresh > 7 * 1440) {
    throw new ConfigError('Invalid configuration:\n  CALENDAR_REFRESH_INTERVAL: must be between 5 minutes and 7 days');
  }
  return { alarmMinutes: alarms, refreshSeconds: refresh * 60 };
}

export const calendarConfig = registerAs('calendar', () => readCalendarConfig());
