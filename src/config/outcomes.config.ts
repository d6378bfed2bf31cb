import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { readEnv } from './env';

class OutcomesEnv {
  /** Days after the first submission during which a debrief may still be edited. */
  @IsInt()
  @Min(0)
  @Max(365)
  DEBRIEF_EDIT_WINDOW_DAYS: number = 14;
}

export interface OutcomesConfig {
  /** Milliseconds after the first submission during which a debrief may still be edited. */
  editWindowMs: number;
}

export function readOutcomesConfig(env: NodeJS.ProcessEnv = process.env): OutcomesConfig {
  const e = readEnv(OutcomesEnv, env);
  return { editWindowMs: e.DEBRIEF_EDIT_WINDOW_DAYS * 86_400_000 };
}

export const outcomesConfig = registerAs('outcomes', () => readOutcomesConfig());
