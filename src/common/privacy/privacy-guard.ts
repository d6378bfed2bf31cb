import { UnprocessableError } from '../errors';
import { findNames, overlaps, Span } from './person-names';
import { IDENTIFIER_EXEMPT, PATTERN_RULES, PatternKind } from './privacy-patterns';

/**
 * The privacy guard. Forewarn records what happened to outreach and how institutions responded —
 * never who protested. Every free-text field a person can type passes through
 * `assertNoPersonalData` before it is saved; a hit is refused with 422 PERSONAL_DATA naming the
 * field, why, and the offending span.
 *
 * Refused: e-mail addresses (also spelled out: name[at]gmail[dot]com), phone numbers, social-media
 * handles (@name, x.bsky.social, "ksu.resist on Instagram") and profile URLs, student / ID-like
 * numbers, licence plates, street addresses, and personal names — those the `compromise` NLP
 * library detects (also with a title: "Officer Jones") and those introduced as one ("a student
 * called Maria"). Allowed: public bodies and offices in their official role ("Kent State Police
 * Department", "the Office of the Provost", "the DMV"), and public names that contain a personal
 * name ("George Washington University", "Lockheed Martin").
 */
export const PRIVACY_RULE =
  'Privacy guard: free text is refused with 422 PERSONAL_DATA (naming the field, why, and the offending span) when it contains ' +
  'an e-mail address (also written as name[at]example[dot]com), a phone number, a social-media handle (@name, name.bsky.social, ' +
  '"name_1 on Instagram") or profile URL, a student or ID-like number, a licence plate, a street address, or a ' +
  'person\'s name (detected with the compromise NLP library, also with a title such as "Officer Jones" or introduced as ' +
  '"a student called …"). Public bodies and offices in their official role are fine ("Kent State Police Department", "the ' +
  'Office of the Provost", "the DMV"), and so are public names such as "George Washington University" or "Lockheed Martin". ' +
  'Describe what happened to the outreach, never who protested.';

/** For typed fields other than descriptions: the rule in one line, pointing at the full one. */
export const PRIVACY_NOTE = 'Checked by the privacy guard: no personal data (422 PERSONAL_DATA naming the field and the offending span).';

export type PersonalDataKind = PatternKind | 'person_name';

/**
 * How a field is read. 'text' (default): prose, titles, names of bodies — every rule. 'place' (a city,
 * a region): shapes only, no names — towns are called Kent, Madison, Ann Arbor and Charlotte Amalie.
 * 'venue': like text, but a street address is what a venue may well be. 'identifier' (external ids,
 * import keys): contact details only — an id is its purpose, and names are not looked for in codes.
 */
export type FieldKind = 'text' | 'place' | 'venue' | 'identifier';

export interface PersonalDataHit {
  kind: PersonalDataKind;
  span: string;
  start: number;
}

const WHY: Record<PersonalDataKind, string> = {
  email: 'contains an e-mail address',
  profile_url: 'contains a social-media profile URL',
  handle: 'contains a social-media handle',
  phone: 'contains a phone number',
  id_number: 'contains a student or ID-like number',
  licence_plate: 'contains a licence plate',
  street_address: 'contains a street address',
  person_name: "contains a person's name (refer to the office or body instead)",
};

/** Field kinds whose text is read for personal names. */
const READ_FOR_NAMES: ReadonlySet<FieldKind> = new Set(['text', 'venue']);

/**
 * Short texts repeat (an import's cities, offices' regions): their answers are kept, up to a bound.
 * The answer depends on the text and the field kind only, so a kept one is never stale.
 */
const MEMO_TEXT_LENGTH = 200;
const MEMO_SIZE = 20_000;
const memo = new Map<string, PersonalDataHit[]>();

/** Every personal-data hit in one text, in order of appearance. */
export function findPersonalData(text: string | null | undefined, kind: FieldKind = 'text'): PersonalDataHit[] {
  if (!text || !text.trim()) return [];
  if (text.length > MEMO_TEXT_LENGTH) return scan(text, kind);
  const key = `${kind}\u0000${text}`;
  let hits = memo.get(key);
  if (!hits) {
    if (memo.size >= MEMO_SIZE) memo.clear();
    hits = scan(text, kind);
    memo.set(key, hits);
  }
  return hits.map((h) => ({ ...h }));
}

function scan(text: string, kind: FieldKind): PersonalDataHit[] {
  const hits: PersonalDataHit[] = [];
  const masked: Span[] = [];
  for (const rule of PATTERN_RULES) {
    if (kind === 'identifier' && IDENTIFIER_EXEMPT.has(rule.kind)) continue;
    if (kind === 'venue' && rule.kind === 'street_address') continue;
    if (!rule.when.test(text)) continue;
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const part = rule.group ? m[rule.group] : m[0];
      const start = (m.index ?? 0) + (rule.group ? m[0].indexOf(part) : 0);
      const span = { start, end: start + part.length };
      if (overlaps(span, masked)) continue;
      masked.push(span);
      hits.push({ kind: rule.kind, span: part.trim().replace(/[.!?,;:]+$/, ''), start });
    }
  }
  if (READ_FOR_NAMES.has(kind)) for (const n of findNames(text, masked)) hits.push({ kind: 'person_name', ...n });
  return hits.sort((a, b) => a.start - b.start);
}

/** 'why — offending span "..."' for each hit, joined. */
export function describeHits(hits: PersonalDataHit[]): string {
  return hits.map((h) => `${WHY[h.kind]} — offending span "${h.span}"`).join('; ');
}

/**
 * Throws UnprocessableError (422, code PERSONAL_DATA) when any field holds personal data:
 * fields = { fieldName: 'why — offending span "..."' }, details.hits = [{ field, kind, span }].
 * `kinds` says how a field is read (default 'text').
 */
export function assertNoPersonalData(fields: Record<string, string | null | undefined>, kinds: Record<string, FieldKind> = {}): void {
  const out: Record<string, string> = {};
  const all: Array<{ field: string; kind: PersonalDataKind; span: string }> = [];
  for (const [field, value] of Object.entries(fields)) {
    const hits = findPersonalData(value, kinds[field]);
    if (!hits.length) continue;
    out[field] = describeHits(hits);
    for (const h of hits) all.push({ field, kind: h.kind, span: h.span });
  }
  if (all.length) {
    throw new UnprocessableError('PERSONAL_DATA', `Refused to store personal data in ${Object.keys(out).join(', ')}: Forewarn records what happened, never who protested`, out, { hits: all });
  }
}
