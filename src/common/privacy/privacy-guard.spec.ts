import { UnprocessableError } from '../errors';
import { PRIVACY_ALLOWED, PRIVACY_IDENTIFIERS_ALLOWED, PRIVACY_IDENTIFIERS_REFUSED, PRIVACY_PLACES_ALLOWED, PRIVACY_PLACES_REFUSED, PRIVACY_REFUSED } from './privacy-cases';
import { assertNoPersonalData, FieldKind, findPersonalData } from './privacy-guard';

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

describe('privacy guard — how a text is read and answered', () => {
  const spans = (s: string, kind?: FieldKind) => findPersonalData(s, kind).map((h) => [h.kind, h.span, h.start]);

  it('nothing to read is nothing found', () => {
    for (const s of [null, undefined, '', '   \n\t']) expect(findPersonalData(s)).toEqual([]);
  });

  it('reports every hit in the order it appears, with where it starts', () => {
    const s = 'Call 555-0142 or write to a@b.org; see u/kent_protest.';
    expect(spans(s)).toEqual([
      ['phone', '555-0142', 5],
      ['email', 'a@b.org', 26],
      ['handle', 'u/kent_protest', 39],
    ]);
  });

  it('reports the captured part of a match where the rule says so, from where that part starts', () => {
    expect(spans('Follow ksu.resist on Instagram.')).toEqual([['handle', 'ksu.resist', 7]]);
    expect(spans('Instagram: ksuresist')).toEqual([['handle', 'ksuresist', 11]]);
  });

  it('drops trailing punctuation from a span, and a span an earlier rule took is not reported again', () => {
    expect(spans('Write to jane@example.org.')).toEqual([['email', 'jane@example.org', 9]]);
    // an SSN-shaped number is an ID, not also a phone number
    expect(spans('Her number was 123-45-6789!')).toEqual([['id_number', '123-45-6789', 15]]);
    // the plate's context rule took it, so its shape rule does not report it a second time
    expect(spans('plate ABC-1234')).toEqual([['licence_plate', 'ABC-1234', 6]]);
    // more than one trailing mark
    expect(spans('See instagram.com/ksu_resist!.')).toEqual([['profile_url', 'instagram.com/ksu_resist', 4]]);
  });

  it('reads a field as its kind says: an identifier for contact details only, a venue may be a street address, a place has no names', () => {
    expect(spans('ID 1234567 at 12 Main Street, plate ABC-1234', 'identifier')).toEqual([]);
    expect(spans('ext-jane@example.org', 'identifier').map(([k]) => k)).toEqual(['email']);
    expect(spans('Call 555-0142', 'identifier').map(([k]) => k)).toEqual(['phone']);
    expect(spans('12 Main Street', 'venue')).toEqual([]);
    expect(spans('Jackson Square', 'venue')).toEqual([]); // an open space named after someone, as a hall is
    expect(spans('12 Main Street')).toEqual([['street_address', '12 Main Street', 0]]);
    expect(spans('Student Union, call 555-0142', 'venue').map(([k]) => k)).toEqual(['phone']);
    expect(spans('Ask for Maria Garcia at the door', 'venue').map(([k]) => k)).toEqual(['person_name']);
    expect(spans('Ask for Maria Garcia at the door', 'place')).toEqual([]);
    expect(spans('Ask for Maria Garcia at the door').map(([k]) => k)).toEqual(['person_name']);
    // a place is still read for shapes
    expect(spans('Call 555-0142', 'place').map(([k]) => k)).toEqual(['phone']);
  });

  it('answers a long text (not kept) as it answers the same hits in a short one, and a kept answer cannot be changed by its caller', () => {
    const filler = ' The fair went ahead as planned and the table stayed open.'.repeat(5);
    expect(filler.length).toBeGreaterThan(200);
    expect(findPersonalData(`Write to a@b.org.${filler}`).map((h) => [h.kind, h.span, h.start])).toEqual([['email', 'a@b.org', 9]]);
    const first = findPersonalData('Write to a@b.org.');
    first[0].span = 'changed';
    first.push({ kind: 'phone', span: 'x', start: 0 });
    expect(findPersonalData('Write to a@b.org.')).toEqual([{ kind: 'email', span: 'a@b.org', start: 9 }]);
  });

  it('names every hit of a field in its reason, and every field in the message and the details', () => {
    let err: UnprocessableError | undefined;
    try {
      assertNoPersonalData({ description: 'Write to a@b.org or call 555-0142', venue: '12 Main Street', statement: 'u/kent_protest said no' }, { venue: 'venue' });
    } catch (e) {
      err = e as UnprocessableError;
    }
    expect(err?.message).toBe('Refused to store personal data in description, statement: Forewarn records what happened, never who protested');
    expect(err?.fields).toEqual({
      description: 'contains an e-mail address — offending span "a@b.org"; contains a phone number — offending span "555-0142"',
      statement: 'contains a social-media handle — offending span "u/kent_protest"',
    });
    expect(err?.details).toEqual({
      hits: [
        { field: 'description', kind: 'email', span: 'a@b.org' },
        { field: 'description', kind: 'phone', span: '555-0142' },
        { field: 'statement', kind: 'handle', span: 'u/kent_protest' },
      ],
    });
    expect(() => assertNoPersonalData({ description: 'The table was moved twice.', venue: '12 Main Street' }, { venue: 'venue' })).not.toThrow();
  });
});
