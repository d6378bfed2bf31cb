import nlp from 'compromise';
import { UnprocessableError } from '../errors';

/**
 * The privacy guard. Forewarn records what happened to outreach and how institutions responded —
 * never who protested. Every free-text field passes through `assertNoPersonalData` before it is
 * saved; a hit is refused with 422 PERSONAL_DATA naming the field, why, and the offending span.
 *
 * Refused: e-mail addresses, phone numbers, social-media handles (@name) and profile URLs,
 * student / ID-like numbers, and personal names that the `compromise` NLP library detects
 * (also with a title: "Officer Jones", "Dean Thompson"). Allowed: public bodies and offices in
 * their official role ("Kent State Police Department", "the Office of the Provost", "the DMV",
 * "the university president").
 */
export const PRIVACY_RULE =
  'Privacy guard: free text is refused with 422 PERSONAL_DATA (naming the field, why, and the offending span) when it contains ' +
  'an e-mail address, a phone number, a social-media handle (@name) or profile URL, a student or ID-like number, or a ' +
  "person's name (detected with the compromise NLP library, also with a title such as \"Officer Jones\"). Public bodies and " +
  'offices in their official role are fine ("Kent State Police Department", "the Office of the Provost", "the DMV"). ' +
  'Describe what happened to the outreach, never who protested.';

export type PersonalDataKind = 'email' | 'profile_url' | 'handle' | 'phone' | 'id_number' | 'person_name';

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
  person_name: "contains a person's name (refer to the office or body instead)",
};

const PATTERNS: Array<{ kind: Exclude<PersonalDataKind, 'person_name'>; re: RegExp }> = [
  { kind: 'email', re: /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi },
  {
    kind: 'profile_url',
    re: /(?:https?:\/\/)?(?:www\.|m\.|mobile\.)?(?:twitter\.com|x\.com|instagram\.com|tiktok\.com|facebook\.com|fb\.com|linkedin\.com|youtube\.com|threads\.net|snapchat\.com|reddit\.com|t\.me|bsky\.app|mastodon\.[a-z]+|truthsocial\.com|vk\.com|github\.com|discord\.gg|discord\.com)\/[^\s,;)"'<>]+/gi,
  },
  { kind: 'handle', re: /(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?/g },
  { kind: 'handle', re: /(?<![\w/])\/?u\/[A-Za-z0-9_-]{3,20}\b/g },
  // SSN-style before phone numbers so 123-45-6789 is reported as an ID.
  { kind: 'id_number', re: /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g },
  {
    kind: 'phone',
    re: /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w)|\+\d{1,3}(?:[\s.-]?\d{2,5}){2,4}(?!\w)|(?<![\w-])\d{3}[.-]\d{4}(?![\w-])/g,
  },
  {
    kind: 'id_number',
    re: /\b(?:student|employee|staff|badge|passport|licen[cs]e|ssn|id|identification)(?:\s*(?:id|card|no\.?|number|num|#))?\s*[:#]?\s*[A-Z]{0,3}\d[\d-]{3,}\b/gi,
  },
  { kind: 'id_number', re: /\b[A-Z]{1,3}-?\d{6,}\b/g },
  { kind: 'id_number', re: /(?<![\d,.])\d{6,}(?![\d,.]*\d)/g },
];

/** Words that make a capitalised phrase the name of a public body, place or organisation. */
const BODY_WORDS = new Set(
  (
    'university universities college colleges institute school academy seminary department dept office offices police sheriff sheriffs ' +
    'agency bureau board council commission committee ministry administration authority service services center centre county ' +
    'city town township village borough parish state district government court library union association federation foundation ' +
    'corporation company inc llc corp hospital clinic museum campus hall senate assembly legislature congress division unit ' +
    'force patrol marshal marshals guard army navy corps registry registrar secretariat chamber network coalition alliance ' +
    'club society society\'s party church mosque synagogue temple republic province region metro metropolitan'
  ).split(' '),
);

/** Titles: alone they name an office ("the President cancelled"), with a name they name a person. */
const TITLE_WORDS = new Set(
  (
    'president vice provost chancellor dean director chief officer sheriff mayor governor senator representative secretary ' +
    'commissioner superintendent principal professor prof dr mr mrs ms miss mx sir madam lieutenant sergeant sgt captain capt ' +
    'detective deputy agent trooper judge justice minister ambassador councilmember councilman councilwoman chair chairman chairwoman ' +
    'coordinator manager registrar spokesperson spokesman spokeswoman'
  ).split(' '),
);

const CONNECTORS = new Set(['of', 'the', 'for', 'de', 'del', 'la', '&']);

interface Span {
  start: number;
  end: number;
}

function overlaps(a: Span, spans: Span[]): boolean {
  return spans.some((s) => a.start < s.end && s.start < a.end);
}

function wordsOf(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[^a-z&'\s-]/g, ' ')
    .split(/[\s-]+/)
    .filter(Boolean);
}

const isCapitalised = (w: string) => /^[A-Z]/.test(w);
const isBodyWord = (w: string) => BODY_WORDS.has(w.toLowerCase().replace(/[^a-z']/g, '')) || /^[A-Z]{2,6}s?$/.test(w.replace(/[^A-Za-z]/g, ''));

/** Is the name at [start,end) part of a body's name ("University of Jordan", "Jordan High School")? */
function partOfBodyName(text: string, span: Span): boolean {
  // Words to the left, over capitalised words and connectors, stopping at punctuation.
  const left = text.slice(Math.max(0, span.start - 80), span.start);
  const leftWords = left.split(/\s+/).filter(Boolean);
  for (let i = leftWords.length - 1; i >= 0; i--) {
    const w = leftWords[i];
    if (/[,;:.!?()]$/.test(w)) break;
    const bare = w.replace(/[^A-Za-z&'-]/g, '');
    if (CONNECTORS.has(bare.toLowerCase())) continue;
    if (!isCapitalised(bare)) break;
    if (isBodyWord(bare)) return true;
  }
  // Directly following capitalised words ("Jordan High School", "Smith College").
  const right = text.slice(span.end, span.end + 80);
  if (/^[,;:.!?]/.test(right)) return false;
  for (const w of right.split(/\s+/).filter(Boolean)) {
    const bare = w.replace(/[^A-Za-z&'-]/g, '');
    if (!isCapitalised(bare) && bare !== '&') break;
    if (isBodyWord(bare)) return true;
    if (/[,;:.!?()]$/.test(w)) break;
  }
  return false;
}

function findNames(text: string, masked: Span[]): PersonalDataHit[] {
  const doc = nlp(text);
  const bodies: Span[] = [];
  for (const view of [doc.organizations(), doc.places()]) {
    for (const o of view.json({ offset: true }) as Array<{ offset: { start: number; length: number } }>) {
      bodies.push({ start: o.offset.start, end: o.offset.start + o.offset.length });
    }
  }
  const hits: PersonalDataHit[] = [];
  for (const p of doc.people().json({ offset: true }) as Array<{ text: string; offset: { start: number; length: number } }>) {
    const raw = text.slice(p.offset.start, p.offset.start + p.offset.length);
    const trimmed = raw.replace(/[\s,;:.!?()"'’]+$/, '').replace(/^[\s("'‘]+/, '');
    const start = p.offset.start + raw.indexOf(trimmed);
    const span = { start, end: start + trimmed.length };
    if (!trimmed || overlaps(span, masked)) continue;
    const words = wordsOf(trimmed);
    if (words.length && words.every((w) => TITLE_WORDS.has(w.replace(/\.$/, '')) || CONNECTORS.has(w))) continue; // an office
    if (overlaps(span, bodies) || partOfBodyName(text, span)) continue;
    hits.push({ kind: 'person_name', span: trimmed, start });
  }
  return hits;
}

/** Every personal-data hit in one text, in order of appearance. */
export function findPersonalData(text: string | null | undefined): PersonalDataHit[] {
  if (!text || !text.trim()) return [];
  const hits: PersonalDataHit[] = [];
  const masked: Span[] = [];
  for (const { kind, re } of PATTERNS) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const span = { start: m.index ?? 0, end: (m.index ?? 0) + m[0].length };
      if (overlaps(span, masked)) continue;
      masked.push(span);
      hits.push({ kind, span: m[0].trim().replace(/[.!?,;:]+$/, ''), start: span.start });
    }
  }
  hits.push(...findNames(text, masked));
  return hits.sort((a, b) => a.start - b.start);
}

/** 'why — offending span "..."' for each hit, joined. */
export function describeHits(hits: PersonalDataHit[]): string {
  return hits.map((h) => `${WHY[h.kind]} — offending span "${h.span}"`).join('; ');
}

/**
 * Throws UnprocessableError (422, code PERSONAL_DATA) when any field holds personal data:
 * fields = { fieldName: 'why — offending span "..."' }, details.hits = [{ field, kind, span }].
 */
export function assertNoPersonalData(fields: Record<string, string | null | undefined>): void {
  const out: Record<string, string> = {};
  const all: Array<{ field: string; kind: PersonalDataKind; span: string }> = [];
  for (const [field, value] of Object.entries(fields)) {
    const hits = findPersonalData(value);
    if (!hits.length) continue;
    out[field] = describeHits(hits);
    for (const h of hits) all.push({ field, kind: h.kind, span: h.span });
  }
  if (all.length) {
    throw new UnprocessableError(
      'PERSONAL_DATA',
      `Refused to store personal data in ${Object.keys(out).join(', ')}: Forewarn records what happened, never who protested`,
      out,
      { hits: all },
    );
  }
}
