/**
 * The privacy guard's pattern rules: personal data with a recognisable shape (addresses, numbers,
 * handles). Names are found separately (person-names.ts). Order matters: an earlier rule's span
 * masks later ones (an SSN is reported as an ID, not as a phone number).
 */

export type PatternKind = 'email' | 'profile_url' | 'handle' | 'phone' | 'id_number' | 'street_address' | 'licence_plate';

export interface PatternRule {
  kind: PatternKind;
  re: RegExp;
  /** Report this capture group instead of the whole match (the part that is personal). */
  group?: number;
  /** A cheap test the text must pass before `re` is run (most texts have no @, digit or platform). */
  when: RegExp;
}

/** Social platforms, as people write them in prose ("on Instagram", "IG: x"). */
const PLATFORMS =
  '(?:[Ii]nstagram|INSTAGRAM|[Ii]nsta|IG|[Tt]ik[Tt]ok|TIKTOK|[Tt]witter|X|[Ff]acebook|FB|[Ss]napchat|[Tt]hreads|[Bb]luesky|[Tt]elegram|[Rr]eddit|[Yy]ou[Tt]ube|[Dd]iscord|[Mm]astodon|[Ll]inked[Ii]n|[Tt]witch|[Tt]umblr)';
const ACCOUNT = '(?:account|handle|page|profile|username|user)';
const HAS_PLATFORM = new RegExp(String.raw`\b${PLATFORMS}\b`);
const HAS_AT = /@/;
const HAS_DIGIT = /\d/;
const NOT_A_WORD = String.raw`(?!(?:the|a|an|they|we|it|this|that|their|our|its|was|is|has|had|and|with|for|to|of|in|on|at|as|well|too|also)\b)`;

/** A token that looks like a handle rather than a word: a letter, and _ . or a digit inside; not U.S. or 3rd. */
const HANDLE_TOKEN = String.raw`(?!(?:[A-Za-z]\.)+[A-Za-z]?\b)(?!\d+(?:st|nd|rd|th)\b)(?=[A-Za-z0-9_.]*[A-Za-z])(?=[A-Za-z0-9_.]*[_.\d])[A-Za-z0-9][A-Za-z0-9_.]{1,29}[A-Za-z0-9_]`;

/** "at" and "dot" as people spell them to dodge address harvesters. */
const LOCAL = String.raw`(?<![\w.])[A-Za-z0-9][A-Za-z0-9._%+-]*`;
const LABEL = '[A-Za-z0-9-]+';
const AT_BRACKET = String.raw`\s*[\[({<]\s*(?:at|AT|@)\s*[\])}>]\s*`;
const AT_PLAIN = String.raw`(?:\s+(?:at|AT)\s+|\s*@\s*)`;
const DOT_SPELLED = String.raw`(?:\s*[\[({<]\s*(?:dot|DOT|\.)\s*[\])}>]\s*|\s+(?:dot|DOT)\s+)`;
const DOT_ANY = String.raw`(?:${DOT_SPELLED}|\.)`;
const TLD = String.raw`(?:com|org|net|edu|gov|mil|io|co|us|uk|ca|de|fr|nl|me|info|biz|app|dev|ac|ie|au|in)\b`;

/** Capitalised street types ("40 students blocked the road" is not an address). */
export const STREET_TYPES = 'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Crescent';

export const PATTERN_RULES: PatternRule[] = [
  { kind: 'email', when: HAS_AT, re: /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi },
  // Obfuscated: name[at]gmail[dot]com, jane (at) example.org — any dots after a bracketed at;
  // jane at example dot edu, jane@example dot com — the last dot spelled out ("info at kent.edu" is a
  // sentence); jane @ example.com — a spaced @.
  { kind: 'email', when: /[[({<]/, re: new RegExp(String.raw`${LOCAL}${AT_BRACKET}${LABEL}(?:${DOT_ANY}${LABEL})*${DOT_ANY}${TLD}`, 'g') },
  { kind: 'email', when: /\b(?:at|AT|dot|DOT)\b/, re: new RegExp(String.raw`${LOCAL}${AT_PLAIN}${LABEL}(?:${DOT_ANY}${LABEL})*${DOT_SPELLED}${TLD}`, 'g') },
  { kind: 'email', when: / @ /, re: new RegExp(String.raw`${LOCAL}\s+@\s+${LABEL}(?:\.${LABEL})*\.${TLD}`, 'g') },
  {
    kind: 'profile_url',
    when: /\//,
    re: /(?:https?:\/\/)?(?:www\.|m\.|mobile\.)?(?:twitter\.com|x\.com|instagram\.com|tiktok\.com|facebook\.com|fb\.com|linkedin\.com|youtube\.com|threads\.net|snapchat\.com|reddit\.com|t\.me|bsky\.app|mastodon\.[a-z]+|truthsocial\.com|vk\.com|github\.com|discord\.gg|discord\.com)\/[^\s,;)"'<>]+/gi,
  },
  // Domain handles: x.bsky.social, name.bsky.team.
  { kind: 'handle', when: /bsky/i, re: /(?<![\w.@/])@?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.bsky\.(?:social|team)\b/gi },
  { kind: 'handle', when: HAS_AT, re: /(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?/g },
  { kind: 'handle', when: /u\//, re: /(?<![\w/])\/?u\/[A-Za-z0-9_-]{3,20}\b/g },
  // "ksu.resist on Instagram", "campus_voice via TikTok".
  { kind: 'handle', when: HAS_PLATFORM, re: new RegExp(String.raw`\b(${HANDLE_TOKEN})\s+(?:on|via)\s+${PLATFORMS}\b`, 'g'), group: 1 },
  // "Instagram: ksuresist", "TikTok account called campusvoice", "the IG handle: campus.voice".
  {
    kind: 'handle',
    when: HAS_PLATFORM,
    re: new RegExp(String.raw`\b${PLATFORMS}(?:\s+${ACCOUNT})?\s*(?::|\s+called|\s+named|\s+is)\s*@?${NOT_A_WORD}([A-Za-z0-9_.]{2,29}[A-Za-z0-9_])\b`, 'g'),
    group: 1,
  },
  // "Instagram ksu.resist", "TikTok account as campus_voice".
  { kind: 'handle', when: HAS_PLATFORM, re: new RegExp(String.raw`\b${PLATFORMS}(?:\s+${ACCOUNT})?(?:\s+as)?\s+@?(${HANDLE_TOKEN})`, 'g'), group: 1 },
  // "the account ksuresist on Instagram", "a user called campusvoice on TikTok".
  { kind: 'handle', when: HAS_PLATFORM, re: new RegExp(String.raw`\b${ACCOUNT}\s+(?:called\s+|named\s+)?@?${NOT_A_WORD}([A-Za-z0-9_.]{3,30})\s+on\s+${PLATFORMS}\b`, 'g'), group: 1 },
  // SSN-style before phone numbers so 123-45-6789 is reported as an ID.
  { kind: 'id_number', when: HAS_DIGIT, re: /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g },
  {
    kind: 'phone',
    when: HAS_DIGIT,
    re: /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w)|\+\d{1,3}(?:[\s.-]?\d{2,5}){2,4}(?!\w)|(?<![\w-])\d{3}[.-]\d{4}(?![\w-])/g,
  },
  // Licence plates by context ("plate ABC 1234", "licence plate 7ABC123", "registration KX19 ABC")…
  {
    kind: 'licence_plate',
    when: HAS_DIGIT,
    re: /\b(?:[Ll]icen[cs]e\s+[Pp]lates?|LICEN[CS]E\s+PLATES?|[Nn]umber\s+[Pp]lates?|[Pp]lates?|[Rr]egistration|[Rr]eg\.?|[Tt]ags?)(?:\s+(?:number|no\.?|#))?\s*[:#]?\s*((?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,4}){1,2})\b/g,
    group: 1,
  },
  // …and by shape alone where the shape is rare in prose: ABC-1234 (not a year), 7ABC123.
  { kind: 'licence_plate', when: HAS_DIGIT, re: /\b[A-Z]{3}-(?!(?:19|20)\d\d\b)\d{4}\b|\b\d[A-Z]{3}\d{3}\b/g },
  {
    kind: 'id_number',
    when: HAS_DIGIT,
    re: /\b(?:student|employee|staff|badge|passport|licen[cs]e|ssn|id|identification)(?:\s*(?:id|card|no\.?|number|num|#))?\s*[:#]?\s*[A-Z]{0,3}\d[\d-]{3,}\b/gi,
  },
  { kind: 'id_number', when: HAS_DIGIT, re: /\b[A-Z]{1,3}-?\d{6,}\b/g },
  { kind: 'id_number', when: HAS_DIGIT, re: /(?<![\d,.])\d{6,}(?![\d,.]*\d)/g },
  // Street addresses: "123 Main Street", "4 N. Elm Ave", "1600 Pennsylvania Avenue NW", "Apt 4B".
  {
    kind: 'street_address',
    when: HAS_DIGIT,
    re: new RegExp(
      String.raw`\b\d{1,6}[A-Z]?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?(?:[A-Z][A-Za-z'-]*\s+|\d{1,3}(?:st|nd|rd|th)\s+){1,3}(?:${STREET_TYPES})\b\.?(?:\s+(?:NW|NE|SW|SE)\b)?`,
      'g',
    ),
  },
  { kind: 'street_address', when: HAS_DIGIT, re: /\b(?:[Aa]pt|[Aa]partment|APT)\.?\s*#?\s*\d+[A-Z]?\b/g },
];

/** Kinds that identifier fields (external ids, import keys) are not checked for: ids are their purpose. */
export const IDENTIFIER_EXEMPT: ReadonlySet<PatternKind> = new Set(['id_number', 'licence_plate', 'street_address']);
