import type { AuthUser } from '../common/auth';
import { INCIDENT_VERIFIERS } from '../common/auth';
import type { Verification } from '../common/enums';
import { ForbiddenError, UnprocessableError, ValidationFailedError } from '../common/errors';
import { assertNoPersonalData } from '../common/privacy/privacy-guard';
import { retentionCutoff } from './retention.service';

/**
 * The rules every new or corrected incident meets, whichever way it arrives (POST /incidents,
 * PATCH, the verification endpoint, a CSV import row). Each throws the domain error the API answers
 * with; an import reports the same code and field for the row.
 */

/**
 * A description is kept only for incidents younger than the retention period: one older than that
 * is refused (422 RETENTION_EXPIRED on `description`), never silently dropped, so the person who
 * sent it knows the text was not kept and can send the structured facts alone. No personal data.
 */
export function assertDescriptionAllowed(description: string | null | undefined, occurredAt: number, now: number, retentionMonths: number, field = 'description'): void {
  if (!description) return;
  if (occurredAt < retentionCutoff(now, retentionMonths)) {
    throw new UnprocessableError('RETENTION_EXPIRED', `Descriptions are kept for ${retentionMonths} months; this incident is older`, {
      [field]: `the retention period (${retentionMonths} months) has passed; record the structured facts only`,
    });
  }
  assertNoPersonalData({ [field]: description });
}

/**
 * A verification other than `reported` is recorded only by someone who may verify (admin,
 * coordinator), and `disputed` only with the institution's statement (no personal data in it).
 * The API records a new incident as reported and changes it through POST /incidents/:id/verification;
 * an import (admin, coordinator) may carry the verification a record already had, e.g. a dispute in
 * a file exported from another Forewarn: a dispute is recorded, never dropped.
 */
export function assertVerificationAllowed(actor: AuthUser, verification: Verification, statement: string | null | undefined, field = 'statement'): void {
  if (verification !== 'reported' && !(INCIDENT_VERIFIERS as readonly string[]).includes(actor.role)) {
    throw new ForbiddenError('Only an admin or a coordinator records a verification or a dispute', 'FORBIDDEN', { verification: `${verification} needs an admin or a coordinator` });
  }
  if (verification === 'disputed' && !statement) {
    throw new ValidationFailedError("A dispute keeps the institution's statement: send it", { [field]: "required when disputed: the institution's statement" });
  }
  if (statement) assertNoPersonalData({ [field]: statement });
}
