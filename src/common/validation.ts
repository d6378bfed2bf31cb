import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldErrors, ValidationFailedError } from './errors';

/** Flattens class-validator errors to { 'a.b[0].c': 'reason; reason' }. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const path = prefix ? (/^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    if (e.constraints) {
      out[path] = Object.values(e.constraints)
        .map((m) => m.replace(/^property (\S+) should not exist$/, '$1 is not a known field'))
        .join('; ');
    }
    if (e.children?.length) Object.assign(out, flattenValidationErrors(e.children, path));
  }
  return out;
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
} as const;

/** The global pipe: unknown fields refused, types enforced, errors as { field: message }. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => new ValidationFailedError('Request validation failed', flattenValidationErrors(errors)),
  });
}

/**
 * Validates data that does not come through HTTP (CSV rows, outbox payloads) with the same DTO
 * classes. Returns the instance or throws ValidationFailedError with per-field reasons.
 */
export function validateDto<T extends object>(cls: new () => T, plain: unknown): T {
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance as object, VALIDATION_OPTIONS);
  if (errors.length) throw new ValidationFailedError('Validation failed', flattenValidationErrors(errors));
  return instance;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path-parameter pipe: `@Param('id', IdPipe) id` → 400 { id: 'must be a UUID' } on anything else. */
export class IdPipe {
  constructor(private readonly field = 'id') {}
  transform(value: unknown): string {
    if (typeof value !== 'string' || !UUID_RE.test(value)) {
      throw new ValidationFailedError(`${this.field} must be a UUID`, { [this.field]: 'must be a UUID' });
    }
    return value.toLowerCase();
  }
}
