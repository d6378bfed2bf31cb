import { DomainError } from './errors';
import { etag, expectedVersion } from './expected-version';

function refusal(fn: () => unknown): { status: number; fields: unknown } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { status: e.status, fields: e.fields };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('expected version (If-Match and body version)', () => {
  it.each([
    ['"3"', 3],
    ['W/"3"', 3],
    ['3', 3],
    ['  "12"  ', 12],
    ['"123456789"', 123456789],
  ])('reads If-Match %j as %d', (header, v) => expect(expectedVersion(header, undefined)).toBe(v));

  it('takes the first of repeated If-Match headers', () => expect(expectedVersion(['"4"', '"5"'], undefined)).toBe(4));

  it('falls back to the body version, and to nothing (last writer wins) when neither is sent', () => {
    expect(expectedVersion(undefined, 7)).toBe(7);
    expect(expectedVersion('', 7)).toBe(7);
    expect(expectedVersion('*', 7)).toBe(7);
    expect(expectedVersion(' * ', undefined)).toBeUndefined();
    expect(expectedVersion(undefined, undefined)).toBeUndefined();
    expect(expectedVersion([], undefined)).toBeUndefined();
  });

  it('refuses If-Match and body version that disagree, naming both', () => {
    expect(refusal(() => expectedVersion('"3"', 4))).toEqual({ status: 400, fields: { version: 'If-Match says 3, body says 4' } });
    expect(refusal(() => expectedVersion('W/"5"', 0)).fields).toEqual({ version: 'If-Match says 5, body says 0' });
  });

  it('accepts both when they agree', () => expect(expectedVersion('"3"', 3)).toBe(3));

  it.each(['"abc"', 'W/3x', '"1234567890"', '"-1"', '"3" "4"', 'W/', '"3.5"'])('refuses If-Match %j with 400 naming If-Match', (header) => {
    expect(refusal(() => expectedVersion(header, undefined))).toEqual({ status: 400, fields: { 'If-Match': 'must be an ETag such as "3"' } });
  });

  it('says in words what is wrong', () => {
    expect(() => expectedVersion('"abc"', undefined)).toThrow(/^If-Match must be the ETag you read, e\.g\. "3"$/);
    expect(() => expectedVersion('"3"', 4)).toThrow(/^If-Match and body version disagree$/);
  });

  it('writes a strong ETag', () => expect(etag(3)).toBe('"3"'));
});
