import nlp from 'compromise';
import { STREET_TYPES } from './privacy-patterns';

/**
 * Personal names in free text: what the `compromise` NLP library tags as a person, minus public
 * bodies and namesakes ("George Washington University", "Martin Luther King Jr. Student Union",
 * "Lockheed Martin"), plus a name introduced as one ("a student called Maria", "someone named kwame").
 */

export interface Span {
  start: number;
  end: number;
}

export interface NameHit {
  span: string;
  start: number;
}

/** Words that make a capitalised phrase the name of a public body, place or organisation. */
const BODY_WORDS = new Set(
  (
    'university universities college colleges institute school academy seminary department dept office offices police sheriff sheriffs ' +
    'agency bureau board council commission committee ministry administration authority service services center centre county ' +
    'city town township village borough parish state district government court library union association federation foundation ' +
    'corporation company inc llc corp hospital clinic museum campus hall senate assembly legislature congress division unit ' +
    'force patrol marshal marshals guard army navy corps registry registrar secretariat chamber network coalition alliance ' +
    "club society society's party church mosque synagogue temple republic province region metro metropolitan " +
    'schools institutes academies building library arena stadium auditorium theater theatre gymnasium pavilion plaza memorial ' +
    'fieldhouse commons laboratory laboratories observatory cathedral airport prize award fellowship scholarship program programme ' +
    // open spaces where protests gather ("Jackson Square", "Garcia Quad", "Harvard Yard")
    'square quad quadrangle courtyard lawn mall yard oval ' +
    'initiative fund trust partners holdings industries system systems technologies technology technical polytechnic aerospace ' +
    'dynamics defense defence airlines motors labs enterprises conservatory seminary beauty cosmetology barber barbering salon ' +
    'careers career education training learning nursing medical health healthcare ministries studio studios ' +
    'universidad instituto escuela liceo colegio recinto academia conservatorio seminario yeshiva yeshivath yeshivas mesivta ' +
    'medrash kollel rabbinical talmudic ecole école institucion institución tech pavillon salle maison bâtiment batiment edificio ' +
    'sala aula auditorio salón'
  ).split(' '),
);

/** First words of place names after "of": "College of San Mateo", "University of Saint Joseph", "of New Rochelle". */
const PLACE_WORDS = new Set(
  (
    'oaks oak vista glen hills hill heights springs spring falls beach park valley grove lake lakes rock point harbor harbour bay ' +
    'creek ridge village city town island port mount mt fort ft san santa los las el la st saint sainte new north south east ' +
    'west upper lower junction station landing crossing meadows woods forest mills mill ferry bluff bluffs shores center centre ' +
    'township county plains gardens estates terrace view haven dale field fields ville burg'
  ).split(' '),
);

/** "of Saint Joseph", "of San Mateo", "of Our Lady": not a person's first name. */
export const isSaintOrPlace = (w: string) => PLACE_WORDS.has(w.toLowerCase().replace(/\.$/, '')) || /^(?:holy|our|blessed|sacred|lady)$/i.test(w);

/** Titles: alone they name an office ("the President cancelled"), with a name they name a person. */
const TITLE_WORDS = new Set(
  (
    'president vice provost chancellor dean director chief officer sheriff mayor governor senator representative secretary ' +
    'commissioner superintendent principal professor prof dr mr mrs ms miss mx sir madam lieutenant sergeant sgt captain capt ' +
    'detective deputy agent trooper judge justice minister ambassador councilmember councilman councilwoman chair chairman chairwoman ' +
    'coordinator manager registrar spokesperson spokesman spokeswoman'
  ).split(' '),
);

/**
 * Public names that contain personal names: companies (defence and other employers at career fairs)
 * and namesakes of buildings, schools and days. Matched as whole words, case-insensitively.
 */
const PUBLIC_NAMES = [
  'Lockheed Martin',
  'Northrop Grumman',
  'General Dynamics',
  'Booz Allen Hamilton',
  'Booz Allen',
  'Huntington Ingalls',
  'Raytheon',
  'L3Harris',
  'Leidos',
  'Palantir',
  'BAE Systems',
  'Boeing',
  'Johnson & Johnson',
  'Johnson and Johnson',
  'Procter & Gamble',
  'Goldman Sachs',
  'Morgan Stanley',
  'JP Morgan',
  'J.P. Morgan',
  'JPMorgan Chase',
  'Wells Fargo',
  'Charles Schwab',
  'Edward Jones',
  'Merrill Lynch',
  'Ernst & Young',
  'Deloitte',
  'McKinsey',
  'Hewlett Packard',
  'Hewlett-Packard',
  'Dell',
  'Ford',
  'Walt Disney',
  "Ben & Jerry's",
  'Harley-Davidson',
  'Harley Davidson',
  'Dow Jones',
  'Marriott',
  'Hilton',
  'Ralph Lauren',
  'Calvin Klein',
  'Tommy Hilfiger',
  'Jenny Craig',
  'Paul Mitchell',
  "Wendy's",
  'Dr Pepper',
  'Dr. Pepper',
  'Martin Marietta',
  'Pratt & Whitney',
  'Sherwin-Williams',
  'Johnson Controls',
  'Honeywell',
  'Kellogg',
  'Anheuser-Busch',
  'Charles River',
  'Thomson Reuters',
  'Bloomberg',
  'Peace Corps',
  'Martin Luther King Jr.',
  'Martin Luther King Jr',
  'Martin Luther King',
  'MLK',
  'George Washington',
  'Abraham Lincoln',
  'John F. Kennedy',
  'JFK',
  'Lyndon B. Johnson',
  'Lyndon Johnson',
  'LBJ',
  'Franklin D. Roosevelt',
  'Franklin Roosevelt',
  'Eleanor Roosevelt',
  'Theodore Roosevelt',
  'Thomas Jefferson',
  'Benjamin Franklin',
  'Ben Franklin',
  'Frederick Douglass',
  'Harriet Tubman',
  'Rosa Parks',
  'Cesar Chavez',
  'César Chávez',
  'Malcolm X',
  'Susan B. Anthony',
  'Booker T. Washington',
  'Johns Hopkins',
  'John Jay',
  'Sarah Lawrence',
  'Carnegie Mellon',
  'Andrew Carnegie',
  'Brigham Young',
  'Leland Stanford',
  'George Mason',
  'James Madison',
  'John Marshall',
  'Thurgood Marshall',
  'Robert Morris',
  'Roger Williams',
  'Mary Baldwin',
  'Mary Washington',
  'William & Mary',
  'William and Mary',
  'Wake Forest',
  'Jimmy Carter',
  'Ronald Reagan',
  'Dwight D. Eisenhower',
  'Woodrow Wilson',
  'Harry S. Truman',
  'Herbert Hoover',
  'Gerald R. Ford',
  'Ulysses S. Grant',
  'Andrew Jackson',
  'Sam Houston',
  'Stephen F. Austin',
  'Davy Crockett',
  'Daniel Boone',
  'Lewis and Clark',
  'Lewis & Clark',
  'Albert Einstein',
  'Marie Curie',
  'Isaac Newton',
  'Jackie Robinson',
  'Muhammad Ali',
  'Nelson Mandela',
  'Mahatma Gandhi',
  'Emmett Till',
  'Medgar Evers',
  'Fannie Lou Hamer',
  'Barack Obama',
  'Joe Biden',
  'Donald Trump',
  'Kamala Harris',
  'Bernie Sanders',
  'Elon Musk',
];
const PUBLIC_NAME_RE = new RegExp(
  `(?<![\\w])(?:${[...PUBLIC_NAMES]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})(?![\\w])`,
  'gi',
);

const CONNECTORS = new Set(['of', 'the', 'for', 'de', 'del', 'la', '&']);
/** Inside a proper name: initials (B.), suffixes (Jr.), abbreviations (St.). */
const NAME_PARTS = /^(?:[A-Z]\.?|Jr\.?,?|Sr\.?,?|II|III|IV|St\.|Mt\.|Ft\.)$/;

/** A name introduced as one: "a student called Maria", "someone named kwame", "who goes by Red". */
const PERSON_NOUNS =
  'student|students|man|woman|person|someone|somebody|protester|protestor|organiser|organizer|activist|leader|guy|girl|boy|individual|member|speaker|demonstrator|participant|attendee|alumnus|alumna|undergrad|undergraduate|freshman|sophomore|senior|employee|staffer|one|people|kid|lady|gentleman|friend|teen|teenager';
const capitalisable = (alternation: string) => alternation.replace(/(^|\|)([a-z])/g, (_m, sep: string, c: string) => `${sep}[${c}${c.toUpperCase()}]`);
const INTRODUCED = new RegExp(
  String.raw`\b(?:(?:${capitalisable(PERSON_NOUNS)})\s+(?:(?:who\s+is\s+|who\s+was\s+)?(?:called|named|nicknamed|known\s+as)|by\s+the\s+name(?:\s+of)?)|goes\s+by|went\s+by|(?:[Hh]is|[Hh]er|[Tt]heir)\s+name\s+(?:is|was))\s+["“']?([A-Za-z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+)?)`,
  'g',
);
/** After a bare "called"/"named", a capitalised word that is not a body, title or sentence word. */
const CALLED_CAPITALISED = /\b(?:called|named|nicknamed)\s+["“']?([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)/g;
const NOT_NAMES = new Set('the a an this that it its our their his her security police campus students student for off on out up in upon attention'.split(' '));

export function overlaps(a: Span, spans: Span[]): boolean {
  return spans.some((s) => a.start < s.end && s.start < a.end);
}

const bare = (w: string) => w.replace(/[^A-Za-z&'’.-]/g, '');
const isCapitalised = (w: string) => /^[A-Z]/.test(w);
/** A generational suffix or regnal number ("John Smith III", "Henry Ford II"): part of a person's name, not an acronym. */
const ROMAN_SUFFIX = /^(?:II|III|IV|VI|VII|VIII)$/;
export function isBodyWord(w: string): boolean {
  const b = w.replace(/[^A-Za-z']/g, '');
  return BODY_WORDS.has(b.toLowerCase()) || (/^[A-Z]{2,6}s?$/.test(b) && !ROMAN_SUFFIX.test(b));
}

/** Punctuation that ends a capitalised run wherever it stands in a word ("Garcia,", "(Kent", "Hall:"). */
const ENDS_RUN = /[,;:!?()]/;

/**
 * Does the capitalised run around [start,end) — over initials, Jr., connectors — name a body? The
 * run ends at a lower-case word, a title, a sentence's end, and any word holding a comma, semicolon,
 * colon, ! or ? or a parenthesis ("Maria Garcia (Kent State University) spoke" names a person).
 */
export function partOfBodyName(text: string, span: Span): boolean {
  const own = text.slice(span.start, span.end).split(/\s+/);
  if (own.some((w) => isBodyWord(w) && isCapitalised(w))) return true;
  // "President Maria Garcia": a name with a title is a person's, whatever body precedes it.
  const titled = TITLE_WORDS.has(bare(own[0]).toLowerCase().replace(/\.$/, ''));
  const leftWords = titled
    ? []
    : text
        .slice(Math.max(0, span.start - 120), span.start)
        .split(/\s+/)
        .filter(Boolean);
  const fullName = own.filter((w) => isCapitalised(w)).length >= 2 && !isSaintOrPlace(bare(own[0]));
  for (let i = leftWords.length - 1; i >= 0; i--) {
    const w = leftWords[i];
    if (ENDS_RUN.test(w) || (/\.$/.test(w) && !NAME_PARTS.test(w))) break;
    const b = bare(w);
    // "University of Jordan" is a body; "Office of Dana Whitfield" names a person.
    if (b.toLowerCase() === 'of' && fullName) break;
    if (CONNECTORS.has(b.toLowerCase())) continue;
    // "Union President Maria Garcia": a title just before the name makes it a person's.
    if (!isCapitalised(b) || TITLE_WORDS.has(b.toLowerCase().replace(/\.$/, ''))) break;
    if (isBodyWord(b)) return true;
  }
  // Rightwards; a span cut at an initial ("Lyndon B" + ". Johnson School") continues past the dot.
  let right = text.slice(span.end, span.end + 120);
  if (/^\.\s/.test(right) && /\b[A-Z]$/.test(text.slice(span.start, span.end))) right = right.slice(1);
  if (/^[,;:.!?]/.test(right)) return false;
  for (const w of right.split(/\s+/).filter(Boolean)) {
    const b = bare(w);
    if (NAME_PARTS.test(w) || b === '&') continue;
    // "Maria Garcia (Library staff)": a bracket opens another run; the body inside it is not this name's
    if (!isCapitalised(b) || /[([{]/.test(w)) break;
    if (isBodyWord(b)) return true;
    if (ENDS_RUN.test(w) || (/\.$/.test(w) && !NAME_PARTS.test(w))) break;
  }
  return false;
}

/** Inside one institution's name: "Auburn University at Montgomery", "Fredrick and Charles Beauty College". */
const NAME_CONNECTORS = new Set([...CONNECTORS, 'and', 'at', 'in', 'on', 'y']);

/**
 * The whole text is one body's name: every word capitalised (or a connector, initial, number; parts
 * of "College-Dothan" count apart), one of them a body word, and no title.
 */
export function isOneBodyName(text: string): boolean {
  let body = false;
  // Ending in "… of Dana Whitfield": two proper words after "of" may be a person's name; let the model read it.
  const after = /\bof\s+(?:the\s+)?([A-Z][a-z]+)\s+([A-Z][a-z]+)[.!?]*\s*$/.exec(text);
  if (after && !isBodyWord(after[1]) && !isBodyWord(after[2]) && !isSaintOrPlace(after[1]) && looksLikeFullName(`${after[1]} ${after[2]}`)) return false;
  // the sentence's end goes first: "Director..." is the title "Director" (bare() keeps dots, the title test drops one)
  for (const w of text
    .trim()
    .replace(/[.!?]+$/, '')
    .split(/[\s\u2013\u2014/-]+/)) {
    const b = bare(w);
    if (!b || /^\d/.test(w) || NAME_PARTS.test(w) || NAME_CONNECTORS.has(b.toLowerCase())) continue;
    if (!isCapitalised(b) || /[,;:()]/.test(w)) return false;
    const title = b.toLowerCase().replace(/\.$/, '');
    // "Professional University Dr. Carlos J. Borrero Rios": an academic title inside a body's name.
    if (TITLE_WORDS.has(title) && !(body && NAMESAKE_TITLES.has(title))) return false;
    if (isBodyWord(b)) body = true;
  }
  return body;
}

/** A first name then a surname, as the model tags two words on their own ("Dana Whitfield", not "Hair Design"). */
export function looksLikeFullName(twoWords: string): boolean {
  const terms = (nlp(twoWords).json()[0]?.terms ?? []) as Array<{ tags?: string[] }>;
  return terms.length === 2 && !!terms[0].tags?.includes('FirstName') && !!terms[1].tags?.includes('LastName');
}

/** Titles a body may carry in its name after its own noun ("University Dr. …", "School System Prof Dev"). */
const NAMESAKE_TITLES = new Set(['dr', 'prof', 'professor', 'president', 'governor', 'senator', 'judge', 'justice']);

interface PersonMatch {
  text: string;
  offset: { start: number; length: number };
}

export const wordsOf = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z&'\s-]/g, ' ')
    .split(/[\s-]+/)
    .filter(Boolean);

/** Spans of public names (companies, namesakes) in the text. */
export function publicNameSpans(text: string): Span[] {
  PUBLIC_NAME_RE.lastIndex = 0;
  return [...text.matchAll(PUBLIC_NAME_RE)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
}

function introducedNames(text: string, masked: Span[]): NameHit[] {
  const hits: NameHit[] = [];
  for (const re of [INTRODUCED, CALLED_CAPITALISED]) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const name = m[1];
      const first = name.split(/\s+/)[0].toLowerCase();
      if (NOT_NAMES.has(first) || BODY_WORDS.has(first) || TITLE_WORDS.has(first)) continue;
      const start = (m.index ?? 0) + m[0].lastIndexOf(name);
      const span = { start, end: start + name.length };
      if (
        overlaps(span, masked) ||
        overlaps(
          span,
          hits.map((h) => ({ start: h.start, end: h.start + h.span.length })),
        )
      )
        continue;
      if (re === CALLED_CAPITALISED && partOfBodyName(text, span)) continue;
      hits.push({ span: name, start });
    }
  }
  return hits;
}

/** Personal names in `text`, outside the `masked` spans (already reported by a pattern rule). */
export function findNames(text: string, masked: Span[]): NameHit[] {
  // The whole text being one body's name ("George Washington University") leaves no name to find:
  // no need to ask the model (most institution names in an import take this path).
  if (isOneBodyName(text)) return [];
  const publicSpans = publicNameSpans(text);
  const hits = introducedNames(text, [...masked, ...publicSpans]);
  const doc = nlp(text);
  // compromise's places() include addresses ("#Value #Noun+ Dr"), whose words may also be tagged as a
  // person's ("450 Smith Dr"): a span inside one is a street, not a person. (Its organizations()
  // never share a term with people(): #Person excludes #Organization.)
  const places: Span[] = (doc.places().json({ offset: true }) as PersonMatch[]).map((o) => ({ start: o.offset.start, end: o.offset.start + o.offset.length }));
  for (const p of doc.people().json({ offset: true }) as PersonMatch[]) {
    // The offset starts at the word itself (an opening quote or parenthesis is outside it); the
    // match may end in the punctuation that follows.
    const start = p.offset.start;
    const trimmed = text.slice(start, start + p.offset.length).replace(/[\s,;:.!?()"'’]+$/, '');
    const span = { start, end: start + trimmed.length };
    if (!trimmed || overlaps(span, masked) || hits.some((h) => h.start < span.end && span.start < h.start + h.span.length)) continue;
    const words = wordsOf(trimmed);
    if (words.length && words.every((w) => TITLE_WORDS.has(w) || CONNECTORS.has(w))) continue; // an office
    if (overlaps(span, publicSpans) || overlaps(span, places) || partOfBodyName(text, span)) continue;
    hits.push({ span: trimmed, start });
  }
  return [...hits, ...fullNamesInContext(text, [...masked, ...publicSpans, ...hits.map((x) => ({ start: x.start, end: x.start + x.span.length }))])];
}

const STREET_TYPE = new RegExp(`^(?:${STREET_TYPES})\\b`);
/** One word of a capitalised pair: no punctuation but an opening bracket or quote before it, and what may close it after. */
const PAIR_WORD = /^([(["“'‘]?)([A-Z][a-z]+(?:['’-][A-Za-z]+)?)([)\]"”'’,;:.!?]*)$/;

/**
 * A first name and a surname side by side, read on their own: compromise reads a name in context and
 * may take it for a place ("Maria Garcia (Kent State University) led…", "near Maria Garcia (Library
 * staff)" are tagged #Place as one proper noun), so each capitalised pair is asked again out of
 * context (a first name, then a surname), then checked against the bodies around it as the model's
 * people are. A pair holding a body's word is a body's name (partOfBodyName); titles and place words
 * are not first names out of context ("Dean", "Judge", "Santa", "Mount"), and the few that are ("Glen",
 * "Dale") are first names before a surname.
 */
function fullNamesInContext(text: string, taken: Span[]): NameHit[] {
  const words = [...text.matchAll(/\S+/g)].map((m) => ({ raw: m[0], at: m.index ?? 0 }));
  const hits: NameHit[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const a = PAIR_WORD.exec(words[i].raw);
    const b = PAIR_WORD.exec(words[i + 1].raw);
    // nothing may close the first word nor open the second ("Garcia, John" and "Maria (Garcia" are two runs)
    if (!a || !b || a[3] || b[1]) continue;
    const start = words[i].at + a[1].length;
    const span = { start, end: words[i + 1].at + b[2].length };
    if (overlaps(span, taken)) continue;
    // "12 Maria Garcia Dr", "10 Dr. Martin Garcia Blvd.": a street named after someone (the model's places)
    if (!b[3] && i + 2 < words.length && STREET_TYPE.test(words[i + 2].raw)) continue;
    if (!looksLikeFullName(`${a[2]} ${b[2]}`) || partOfBodyName(text, span)) continue;
    hits.push({ span: text.slice(span.start, span.end), start });
    i++; // "Anna Morgan Lee": the surname starts no second pair ("Morgan Lee")
  }
  return hits;
}
