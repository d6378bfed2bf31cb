import { ValidationFailedError } from './errors';

/**
 * The version a writer expects to change: from `If-Match` ("3", W/"3" or 3) or the body's `version`.
 * Both may be given; they must agree. Undefined when the client sent neither (last writer wins).
 */
export function expectedVersion(ifMatch: string | string[] | undefined, bodyVersion: number | undefined): number | undefined {
  let header: number | undefined;
  const raw = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch;
  if (raw !== undefined && raw !== '' && raw.trim() !== '*') {
    const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
    if (!m) throw new ValidationFailedError('If-Match must be the ETag you read, e.g. "3"', { 'If-Match': 'must be an ETag such as "3"' });
    header = Number(m[1]);
  }
  if (header !== undefined && bodyVersion !== undefined && header !== bodyVersion) {
    throw new ValidationFailedError('If-Match and body version disagree', { version: `If-Match says ${header}, body says ${bodyVersion}` });
  }
  return header ?? bodyVersion;
}

/** The strong ETag for a version number. */
export function etag(version: number): string {
  return `"${version}"`;
}
