import { ValidationFailedError } from './errors';
import { assertCleanRecord, assertCleanRequest, inspectInput, MAX_INPUT_DEPTH } from './input-guard';

const nest = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('input guard', () => {
  it.each<[unknown, Record<string, string> | null]>([
    [{ title: 'Fair', recruiterIds: ['a', 'b'], nested: { ok: [1, { x: 'y' }] } }, null],
    [nest(MAX_INPUT_DEPTH), null],
    [nest(MAX_INPUT_DEPTH + 1), { a: `is nested deeper than ${MAX_INPUT_DEPTH} levels` }],
    [JSON.parse('['.repeat(40) + ']'.repeat(40)), { body: `is nested deeper than ${MAX_INPUT_DEPTH} levels` }],
    [{ email: nest(5000) }, { email: `is nested deeper than ${MAX_INPUT_DEPTH} levels` }],
    [{ email: 'a\ud800@x.org' }, { email: 'must be valid Unicode text (it contains an unpaired surrogate)' }],
    [{ email: 'smile \ud83d\ude00@x.org' }, null],
    [{ list: ['ok', 'n\u0000ul'] }, { 'list[1]': 'must not contain NUL characters (U+0000)' }],
    [{ a: { b: [{ c: '\udc00' }] } }, { 'a.b[0].c': 'must be valid Unicode text (it contains an unpaired surrogate)' }],
    [{ 'k\u0000ey': 1 }, { body: 'has a field name with a NUL character or invalid Unicode' }],
    ['top\u0000level', { body: 'must not contain NUL characters (U+0000)' }],
    [null, null],
    [42, null],
  ])('inspectInput(%#)', (value, expected) => expect(inspectInput(value, 'body')).toEqual(expected));

  it('names the part of the request: path, query or body; a streamed CSV body is left to the import', () => {
    expect(() => assertCleanRequest({ params: { id: 'x\u0000' } })).toThrow(ValidationFailedError);
    const err = (() => {
      try {
        assertCleanRequest({ params: {}, query: { q: 'a\u0000' }, body: { ok: 'fine' } });
      } catch (e) {
        return e as ValidationFailedError;
      }
      return null;
    })();
    expect(err?.fields).toEqual({ q: 'must not contain NUL characters (U+0000)' });
    expect(() => assertCleanRequest({ body: { pipe: () => undefined } })).not.toThrow();
    expect(() => assertCleanRecord({ name: 'Kent', city: 'K\u0000' })).toThrow('Invalid row');
  });
});
