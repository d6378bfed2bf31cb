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

describe('privacy guard — handles and short phone numbers', () => {
  const kinds = (s: string) => findPersonalData(s).map((h) => [h.kind, h.span]);

  it.each([
    ['Posted by u/kent_protest on the forum.', 'u/kent_protest'],
    ['Thread by /u/campus-voice here.', '/u/campus-voice'],
    ['see u/abc', 'u/abc'],
  ])('reports the Reddit-style handle in %j', (s, span) => expect(kinds(s)).toEqual([['handle', span]]));

  it.each(['the u/s ratio', 'menu/options', 'about/u/ab'])('leaves %j alone (too short, or inside a path)', (s) => expect(kinds(s)).toEqual([]));

  it.each([
    ['Call 555-0142 after six.', '555-0142'],
    ['Her number is 555.0142 at home.', '555.0142'],
  ])('reports the 7-digit phone number in %j', (s, span) => expect(kinds(s)).toEqual([['phone', span]]));

  it.each(['Room 1555-0142 is booked.', 'Code 555-01423 applies.', 'Figures 555-0142-7 and 1-555-0142x.'])('leaves %j alone (part of a longer number)', (s) => {
    expect(findPersonalData(s).filter((h) => h.kind === 'phone')).toEqual([]);
  });
});
