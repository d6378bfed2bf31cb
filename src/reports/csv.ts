/**
 * CSV for spreadsheets, safe to open: RFC 4180 quoting, and protection against formula injection
 * (OWASP "CSV injection"): a text cell that starts with a formula character (FORMULA_START: = + - @
 * ; | tab CR, their full-width forms, a zero-width character) is prefixed with an apostrophe so
 * Excel / LibreOffice / Sheets show it as text instead of running it.
 * Numbers are written as numbers (a negative number is not a formula).
 */

import { FORMULA_START } from '../common/csv-formula';

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvCell;
}

export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v;
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<T>(columns: ReadonlyArray<CsvColumn<T>>, rows: readonly T[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c.value(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Columns straight from the keys of plain rows (nested objects are skipped). */
export function columnsOf<T extends object>(keys: ReadonlyArray<keyof T & string>): Array<CsvColumn<T>> {
  return keys.map((k) => ({ header: k, value: (r: T) => toCell(r[k]) }));
}

function toCell(v: unknown): CsvCell {
  return v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
}
