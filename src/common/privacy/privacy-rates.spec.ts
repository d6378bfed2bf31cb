import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FieldKind, findPersonalData, PersonalDataKind } from './privacy-guard';

/**
 * The guard's two error rates, measured on data it was not tuned on. False refusals: real public
 * names and places (every institution name and city in the shipped fixtures) that the guard would
 * refuse. Misses: generated sentences carrying personal data of every kind that it would let
 * through. Printed, and held under a bound so a regression shows. The word lists (body, place and
 * public names) were grown while reading the fixtures' refusals, so the false-refusal figure is
 * in-sample: it says no fixture institution is refused, not how the guard does on names it has
 * never seen.
 */
const ROOT = join(__dirname, '../../..');
const FILES = ['test/fixtures/us-institutions.csv', 'data-fixtures/demo/institutions.csv', 'data-fixtures/demo/campus-protests-fall-2024.csv'];

function publicCorpus(): Array<[string, FieldKind]> {
  const seen = new Set<string>();
  const out: Array<[string, FieldKind]> = [];
  for (const f of FILES) {
    for (const r of parse(readFileSync(join(ROOT, f)), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>) {
      for (const [v, kind] of [
        [r.name ?? r.institution, 'text'],
        [r.city, 'place'],
      ] as Array<[string | undefined, FieldKind]>) {
        if (v && !seen.has(`${kind}|${v}`)) {
          seen.add(`${kind}|${v}`);
          out.push([v, kind]);
        }
      }
    }
  }
  return out;
}

/** A small deterministic generator (no Math.random: the measured rates must not move between runs). */
function rng(seed: number) {
  let s = seed >>> 0;
  return {
    int: (n: number) => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s % n;
    },
  };
}

const FIRST = ['Maria', 'John', 'Aisha', 'Wei', 'Carlos', 'Emily', 'Omar', 'Priya', 'David', 'Fatima', 'Liam', 'Sofia', 'Noah', 'Ana', 'Kevin', 'Grace', 'Ahmed', 'Hannah', 'Luis', 'Rachel'];
const LAST = [
  'Garcia',
  'Smith',
  'Khan',
  'Zhang',
  'Lopez',
  'Johnson',
  'Haddad',
  'Patel',
  'Kim',
  'Ali',
  'Murphy',
  'Rossi',
  'Nguyen',
  'Cohen',
  'Okafor',
  'Miller',
  'Davis',
  'Wilson',
  'Martinez',
  'Brown',
];
const STREETS = ['Main', 'Oak', 'Maple', 'Elm', 'Cedar', 'Lake', 'Hill', 'Park', 'Lincoln', 'Summit'];
const STREET_TYPES = ['Street', 'St.', 'Avenue', 'Ave', 'Road', 'Rd', 'Boulevard', 'Lane', 'Drive', 'Court'];
const PLATFORMS = ['Instagram', 'TikTok', 'X', 'Facebook', 'Threads'];
const SENTENCES = [
  '{} blocked the recruiters\u2019 table.',
  'The protest was organised by {}.',
  'Witnesses said {} handed out the flyers.',
  'Security noted {} near the entrance.',
  'The sign-up sheet listed {} as the contact.',
  'According to the campus paper, {} led the walkout.',
  // a name beside its affiliation in brackets, which the NLP model reads as one place
  '{} (Kent State University) led the chant.',
  'The table was set up near {} (Library staff).',
  'Flyers were handed out by {} (Graduate Workers Union).',
];

function personalCorpus(): Array<[string, PersonalDataKind]> {
  const r = rng(20261201);
  const pick = <T>(xs: T[]) => xs[r.int(xs.length)];
  const digits = (n: number) => Array.from({ length: n }, () => r.int(10)).join('');
  const letters = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHJKLMNPRSTUVWXYZ'[r.int(23)]).join('');
  const makers: Array<[PersonalDataKind, () => string]> = [
    ['person_name', () => `${pick(FIRST)} ${pick(LAST)}`],
    ['email', () => `${pick(FIRST).toLowerCase()}.${pick(LAST).toLowerCase()}@example.edu`],
    ['email', () => `${pick(FIRST).toLowerCase()}${pick(['[at]', ' (at) ', ' at ', '{at}'])}${pick(['gmail', 'proton', 'kent'])}${pick(['[dot]', ' (dot) ', ' dot '])}${pick(['com', 'me', 'edu'])}`],
    ['phone', () => pick([`(${digits(3)}) ${digits(3)}-${digits(4)}`, `${digits(3)}-${digits(3)}-${digits(4)}`, `+44 20 ${digits(4)} ${digits(4)}`])],
    ['handle', () => `@${pick(FIRST).toLowerCase()}_${pick(LAST).toLowerCase()}`],
    ['handle', () => `${pick(FIRST).toLowerCase()}${pick(['_', '.', ''])}${pick(LAST).toLowerCase()}${digits(2)} on ${pick(PLATFORMS)}`],
    ['handle', () => `${pick(FIRST).toLowerCase()}${digits(2)}.bsky.social`],
    ['street_address', () => `${1 + r.int(9000)} ${pick(STREETS)} ${pick(STREET_TYPES)}`],
    ['licence_plate', () => `${pick(['licence plate', 'plate', 'License plate'])} ${letters(3)}-${digits(4)}`],
    ['person_name', () => `a student ${pick(['called', 'named', 'known as'])} ${pick(FIRST)}`],
    ['person_name', () => `${pick(FIRST)} ${pick(LAST)} ${pick(['Jr.', 'II', 'III', 'IV'])}`],
  ];
  const out: Array<[string, PersonalDataKind]> = [];
  for (const [kind, make] of makers) for (let i = 0; i < 40; i++) out.push([pick(SENTENCES).replace('{}', make()), kind]);
  return out;
}

describe('privacy guard error rates', () => {
  it('false refusals on real institution names and cities, misses on generated personal data: printed and bounded', () => {
    const pub = publicCorpus();
    const refused = pub.filter(([text, kind]) => findPersonalData(text, kind).length > 0);
    const personal = personalCorpus();
    const missed = personal.filter(([text, kind]) => !findPersonalData(text).some((h) => h.kind === kind));
    const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(2)}%`;
    process.stdout.write(
      `privacy guard: false refusals ${refused.length}/${pub.length} (${pct(refused.length, pub.length)}) of fixture institution names and cities; ` +
        `misses ${missed.length}/${personal.length} (${pct(missed.length, personal.length)}) of generated personal data\n` +
        refused
          .slice(0, 15)
          .map(([t, k]) => `  refused (${k}): ${t} → ${JSON.stringify(findPersonalData(t, k).map((h) => h.span))}\n`)
          .join('') +
        missed
          .slice(0, 15)
          .map(([t, k]) => `  missed (${k}): ${t}\n`)
          .join(''),
    );
    expect(refused.length / pub.length).toBeLessThanOrEqual(0.005);
    expect(missed.length / personal.length).toBeLessThanOrEqual(0.02);
  });
});
