/**
 * Cells a spreadsheet could read as a formula or a command (CWE-1236, OWASP "CSV injection"):
 * = + - @, tab and CR; `;` and `|` (DDE and field-separator tricks in some locales); the full-width
 * forms ＝ ＋ － ＠ that Excel folds to their ASCII twins; and a leading zero-width or invisible
 * character (U+200B–U+200D, U+2060, U+FEFF, U+180E) hiding any of these. Such a text cell is
 * written with a leading apostrophe, and the import drops exactly that apostrophe again.
 */
export const FORMULA_START = /^[=+\-@\t\r;|\uFF1D\uFF0B\uFF0D\uFF20\u200B-\u200D\u2060\uFEFF\u180E]/;
