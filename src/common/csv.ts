import { StreamableFile } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { FORMULA_START } from './csv-formula';

/**
 * Formula-injection protection for spreadsheet users: a text cell that starts with a formula
 * character (FORMULA_START: = + - @ ; | tab CR, their full-width forms, a zero-width character) is
 * prefixed with a single quote, so Excel / LibreOffice / Sheets show it as text. Numbers are
 * written as numbers (a negative number stays a number).
 */
export function safeCell(v: unknown): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? v : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v);
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** The inverse on import: a leading quote that protects a formula character is dropped. */
export function unprotectCell(s: string): string {
  return s.length > 1 && s[0] === "'" && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

/**
 * A CSV download streamed from batches of rows (header line first, RFC 4180 quoting, every cell
 * through `safeCell`). `batches` yields arrays of plain objects keyed by the column names.
 */
export function csvFile(filename: string, columns: readonly string[], batches: AsyncIterable<Array<Record<string, unknown>>>): StreamableFile {
  const source = Readable.from(
    (async function* () {
      for await (const batch of batches) for (const row of batch) yield columns.map((c) => safeCell(row[c]));
    })(),
  );
  const out = source.pipe(stringify({ header: true, columns: columns as string[], bom: false }));
  source.on('error', (e) => out.destroy(e));
  return new StreamableFile(out, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${filename}"` });
}

/** Does the Accept header ask for CSV? */
export function wantsCsv(accept: string | undefined): boolean {
  return !!accept && /\b(text|application)\/csv\b/i.test(accept);
}
