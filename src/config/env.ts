import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** Thrown at boot when an environment variable is missing or malformed. Names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string {
  return errors.map((e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`).join('\n  ');
}

/**
 * Reads a group of environment variables into a validated, typed object.
 * This (and the config files that call it) is the only place that reads process.env.
 */
export function readEnv<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const raw: Record<string, unknown> = {};
  const probe = new cls() as Record<string, unknown>;
  for (const key of Object.keys(probe)) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  const instance = plainToInstance(cls, { ...probe, ...raw }, { enableImplicitConversion: true });
  const errors = validateSync(instance as object, { skipMissingProperties: false });
  if (errors.length) {
    throw new ConfigError(`Invalid configuration:\n  ${describe(errors)}`);
  }
  return instance;
}
