import { parse } from 'csv-parse';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, PayloadTooLargeError, UnprocessableError, ValidationFailedError } from '../common/errors';
import { unprotectCell } from './csv';
import { ImportReport } from './import-report';

export interface CsvRow {
  /** Spreadsheet row number: the header is row 1. */
  row: number;
  record: Record<string, string>;
}

/** "Time Zone", "timeZone", "time-zone" → time_zone. */
export function headerKey(h: string): string {
  return h
    .trim()
    .replace(/^\uFEFF/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function asStream(body: unknown): Readable {
  if (body && typeof (body as Readable).pipe === 'function' && typeof (body as Readable).on === 'function') return body as Readable;
  throw new ValidationFailedError('Send the CSV file as the request body with Content-Type: text/csv', { body: 'must be CSV (Content-Type: text/csv)' }, 'CSV_REQUIRED');
}

/** Counts bytes as they stream through; past the limit (IMPORT_LIMIT_BYTES) fails with 413. */
function byteLimit(limitBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limitBytes) cb(new PayloadTooLargeError(`The CSV is larger than ${limitBytes} bytes (IMPORT_LIMIT_BYTES); split it`));
      else cb(null, chunk);
    },
  });
}

/**
 * Receives the whole upload into a private temporary file (streamed, never buffered, bounded by
 * `limitBytes`), then runs `work` with a way to read it back; the file is deleted afterwards.
 * Imports parse the file inside their transaction, so the transaction never waits on the network:
 * on SQLite an open transaction holds the process-wide write lock, and a slow or trickling upload
 * would otherwise freeze every other write for as long as it takes.
 */
export async function withSpooledUpload<T>(body: unknown, limitBytes: number, work: (open: () => Readable) => Promise<T>, root = tmpdir()): Promise<T> {
  const source = asStream(body);
  const dir = await mkdtemp(join(root, `${SPOOL_PREFIX}${process.pid}-`));
  try {
    const file = join(dir, 'upload.csv');
    await pipelineAsync(source, byteLimit(limitBytes), createWriteStream(file, { mode: 0o600 }));
    return await work(() => createReadStream(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Spool folders are named forewarn-import-<pid>-<random>: whose they are survives the process. */
const SPOOL_PREFIX = 'forewarn-import-';
/** A spool folder from before the pid was in the name is removed once it is this old. */
const UNTAGGED_SPOOL_AGE_MS = 3_600_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * At start-up: removes the spool folders a killed process left behind (a SIGKILL mid-import skips
 * the `finally`; each left its whole upload in the temporary folder). A folder is removed when the
 * process named in it is gone; other live processes' uploads are left alone. Returns what it removed.
 */
export async function removeStaleSpools(root = tmpdir(), now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith(SPOOL_PREFIX)) continue;
    const m = /^forewarn-import-(\d+)-/.exec(name);
    const path = join(root, name);
    let stale: boolean;
    if (m) stale = Number(m[1]) !== process.pid && !isAlive(Number(m[1]));
    else stale = now - (await stat(path).then((st) => st.mtimeMs).catch(() => now)) > UNTAGGED_SPOOL_AGE_MS;
    if (!stale) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Reads a CSV body as a stream, row by row (never buffered whole), and yields chunks of at most
 * `size` rows. `onHeader` sees the normalised header first (and may throw to refuse the file).
 * Cells are trimmed; a quote protecting a formula character (our own export) is removed.
 */
export async function* csvChunks(body: unknown, onHeader: (header: string[]) => void, limitBytes: number, size = 500): AsyncGenerator<CsvRow[]> {
  // The upload limit (IMPORT_LIMIT_BYTES), counted as the bytes stream in.
  const counter = byteLimit(limitBytes);
  const parser = parse({
      bom: true,
      columns: (h: string[]) => {
        const header = h.map(headerKey);
        onHeader(header);
        return header;
      },
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false,
  });
  pipeline(asStream(body), counter, parser, () => undefined);
  let chunk: CsvRow[] = [];
  let n = 0;
  try {
    for await (const rec of parser as AsyncIterable<Record<string, string | undefined>>) {
      const record: Record<string, string> = {};
      for (const [k, v] of Object.entries(rec)) record[k] = unprotectCell((v ?? '').trim());
      chunk.push({ row: n + 2, record });
      n++;
      if (chunk.length >= size) {
        yield chunk;
        chunk = [];
      }
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    const err = e as Error & { code?: string; lines?: number };
    throw new ValidationFailedError(`The CSV could not be read: ${err.message}`, { body: `malformed CSV near line ${err.lines ?? '?'}` }, 'MALFORMED_CSV');
  }
  if (chunk.length) yield chunk;
  if (n === 0) throw new ValidationFailedError('The CSV has no data rows', { body: 'no rows after the header' }, 'EMPTY_CSV');
}

/** Refuses a header that lacks a required column. */
export function requireColumns(header: string[], required: string[][], format: string): void {
  const missing = required.filter((alts) => !alts.some((c) => header.includes(c))).map((alts) => alts.join(' or '));
  if (missing.length) {
    throw new ValidationFailedError(
      `The ${format} CSV lacks required column(s): ${missing.join(', ')}`,
      Object.fromEntries(missing.map((m) => [m, 'required column is missing'])),
      'CSV_HEADER',
    );
  }
}

/**
 * Runs an import in one transaction. Dry run: always rolled back. Atomic (default): rolled back
 * when any row was refused, answered 422 IMPORT_REFUSED with the full report in details.report.
 * Otherwise committed (non-atomic imports keep the rows that passed).
 */
export async function runImport(db: DataSource, report: ImportReport, work: (m: EntityManager) => Promise<void>, afterWork?: (m: EntityManager) => Promise<void>): Promise<ImportReport> {
  try {
    await db.transaction(async (m) => {
      await work(m);
      report.items.sort((a, b) => a.row - b.row);
      if (report.dryRun || (report.atomic && report.refused > 0)) throw ROLLBACK;
      if (afterWork) await afterWork(m);
    });
    report.committed = true;
    return report;
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  report.committed = false;
  if (report.atomic && report.refused > 0 && !report.dryRun) {
    const refused = report.items.filter((i) => i.status === 'refused');
    throw new UnprocessableError(
      'IMPORT_REFUSED',
      `${report.refused} of ${report.rows} row(s) refused; nothing was imported (fix them, or send ?atomic=false to import the rest)`,
      Object.fromEntries(refused.slice(0, 50).map((i) => [`row ${i.row}`, i.reason ?? 'refused'])),
      { report },
    );
  }
  return report;
}

/** Thrown inside the import transaction to roll it back (dry run, or an atomic import with refusals). */
const ROLLBACK = Symbol('rollback import');

/** "a; b" from { field: reason }. */
export function reasonOf(fields: Record<string, string> | undefined, fallback: string): string {
  return fields && Object.keys(fields).length ? Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ') : fallback;
}
