/**
 * Domain errors. Services throw these (never HttpException); AllExceptionsFilter maps each `code`
 * to an HTTP status once. `fields` carries per-field reasons: { field: message }.
 */
export type FieldErrors = Record<string, string>;

export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or fails validation. */
export class ValidationFailedError extends DomainError {
  readonly status = 400;
  constructor(message: string, fields?: FieldErrors, code = 'VALIDATION_FAILED') {
    super(code, message, fields);
  }
}

/** 401: no or bad credentials. */
export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  constructor(message = 'Sign in first: send Authorization: Bearer <token>', code = 'UNAUTHENTICATED') {
    super(code, message);
  }
}

/** 403: signed in, but this role or user may not do this. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(message = 'Your role may not do this', code = 'FORBIDDEN', fields?: FieldErrors) {
    super(code, message, fields);
  }
}

/** 404: the id names nothing (or nothing this user may see). */
export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(entity: string, id: string, field?: string) {
    super('NOT_FOUND', `${entity} ${id} does not exist`, field ? { [field]: `${entity} ${id} does not exist` } : undefined, {
      entity,
      id,
    });
  }
}

/** 409: the request conflicts with the current state (duplicates, double-booking, stale version). */
export class ConflictError extends DomainError {
  readonly status = 409;
  constructor(code: string, message: string, details?: Record<string, unknown>, fields?: FieldErrors) {
    super(code, message, fields, details);
  }
}

/** 422: well-formed, but refused by a business rule (privacy guard, illegal transition). */
export class UnprocessableError extends DomainError {
  readonly status = 422;
  constructor(code: string, message: string, fields?: FieldErrors, details?: Record<string, unknown>) {
    super(code, message, fields, details);
  }
}

/** 413: body or upload too large. */
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  constructor(message: string) {
    super('PAYLOAD_TOO_LARGE', message);
  }
}

/** 429: rate limited. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  constructor(message = 'Too many attempts; wait and try again') {
    super('RATE_LIMITED', message);
  }
}

/** 412 for a failed If-Match precondition is reported as 409 STALE_VERSION (see PRODUCT.md). */
export class StaleVersionError extends ConflictError {
  constructor(entity: string, id: string, expected: number, actual: number) {
    super(
      'STALE_VERSION',
      `${entity} ${id} was changed by someone else (you sent version ${expected}, current is ${actual}); reload and retry`,
      { entity, id, expected, actual },
      { version: `expected ${actual}` },
    );
  }
}
