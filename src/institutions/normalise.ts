/**
 * Name normalisation shared by search, de-duplication and CSV import: lower-case, accents folded,
 * '&' read as 'and', punctuation dropped, single spaces. "Kent State University-Kent Campus" and
 * "kent state university kent campus" compare equal.
 */
export function normaliseText(s: string | null | undefined): string {
  return (s ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .replace(/['\u2019`]/g, '') // apostrophes join: "Mary's" reads as "marys"
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function normaliseState(s: string | null | undefined): string {
  return (s ?? '').trim().toUpperCase();
}

/** The unique key of an institution: normalised name | normalised city | STATE. */
export function dedupeKey(name: string, city: string | null | undefined, state: string | null | undefined): string {
  return `${normaliseText(name)}|${normaliseText(city)}|${normaliseState(state)}`;
}
