import { UnprocessableError } from '../errors';
import { PRIVACY_ALLOWED, PRIVACY_IDENTIFIERS_ALLOWED, PRIVACY_IDENTIFIERS_REFUSED, PRIVACY_PLACES_ALLOWED, PRIVACY_PLACES_REFUSED, PRIVACY_REFUSED } from './privacy-cases';
import { assertNoPersonalData, findPersonalData } from './privacy-guard';

describe('privacy guard', () => {
  it.each(PRIVACY_ALLOWED.map((s) => [s]))('allows %j', (s) => {
    expect(findPersonalData(s)).toEqual([]);
    expect(() => assertNoPersonalData({ description: s })).not.toThrow();
  });

  it.each(PRIVACY_REFUSED)('refuses %j (%s)', (s, kind, span) => {
    const hits = findPersonalData(s);
    expect(hits.map((h) => [h.kind, h.span])).toContainEqual([kind, span]);
  });

  it.each(PRIVACY_PLACES_ALLOWED.map((s) => [s]))('allows the place %j', (s) => expect(findPersonalData(s, 'place')).toEqual([]));
  it.each(PRIVACY_PLACES_REFUSED)('refuses the place %j (%s)', (s, kind, span) => expect(findPersonalData(s, 'place').map((h) => [h.kind, h.span])).toContainEqual([kind, span]));
  it.each(PRIVACY_IDENTIFIERS_ALLOWED.map((s) => [s]))('allows the identifier %j', (s) => expect(findPersonalData(s, 'identifier')).toEqual([]));
  it.each(PRIVACY_IDENTIFIERS_REFUSED)('refuses the identifier %j (%s)', (s, kind, span) => expect(findPersonalData(s, 'identifier').map((h) => [h.kind, h.span])).toContainEqual([kind, span]));

  it('throws 422 PERSONAL_DATA naming every field, why and the offending span', () => {
    let err: unknown;
    try {
      assertNoPersonalData({ description: 'Contact: a@b.org', reason: 'fine', notes: null, statement: 'John Smith said no' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnprocessableError);
    const u = err as UnprocessableError;
    expect(u.status).toBe(422);
    expect(u.code).toBe('PERSONAL_DATA');
    expect(u.fields).toEqual({
      description: 'contains an e-mail address — offending span "a@b.org"',
      statement: 'contains a person\'s name (refer to the office or body instead) — offending span "John Smith"',
    });
  });
});
