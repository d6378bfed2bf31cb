/**
 * Substring search with LIKE on both databases: the term's own `%`, `_` and `\` are escaped so they
 * match themselves (`q=%` used to match every row). Use as `col LIKE :p ${LIKE_ESCAPE}` — SQLite has
 * no default escape character, PostgreSQL's is the same backslash.
 */
export const LIKE_ESCAPE = "ESCAPE '\\'";

export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
