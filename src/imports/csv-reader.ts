import { parse } from 'csv-parse';
import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, createReadStream, createWriteStream, openSync, writeSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { Logger } from '@nestjs/common';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { query, sql, SqlValue } from '../database/sql';
import { ConflictError, DomainError, PayloadTooLargeError, UnprocessableError, ValidationFailedError } from '../common/errors';
import { unprotectCell } from '../common/csv';
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
    // The import's staged rows go to the same private folder (removed with it).
    // 16 KiB reads (not 64): the parser turns each read into rows in one go, without a break for other requests.
    return await spoolFolder.run(dir, () => work(() => createReadStream(file, { highWaterMark: 16 * 1024 })));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const spoolFolder = new AsyncLocalStorage<string>();

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
    else
      stale =
        now -
          (await stat(path)
            .then((st) => st.mtimeMs)
            .catch(() => now)) >
        UNTAGGED_SPOOL_AGE_MS;
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
    throw new ValidationFailedError(`The ${format} CSV lacks required column(s): ${missing.join(', ')}`, Object.fromEntries(missing.map((m) => [m, 'required column is missing'])), 'CSV_HEADER');
  }
}

/** Where staged rows wait for the commit, and what keeps them unique. */
export interface Stage {
  /**
   * Rows to insert when the import commits, in this order. `unique` is the column (and property) of
   * the table's unique key: the commit refuses the import if someone else created one meanwhile.
   */
  add<T extends ObjectLiteral>(entity: EntityTarget<T>, rows: T[], unique: { column: string; property: keyof T & string }): void;
  /**
   * Changes to existing rows (by id), applied at commit after the inserts: `set` overwrites,
   * `fill` only fills what is still empty then (COALESCE), so a value someone stored meanwhile stays.
   */
  update<T extends ObjectLiteral>(entity: EntityTarget<T>, id: string, values: Partial<T>, mode: 'set' | 'fill'): void;
}

const STAGE_CHUNK = 500;
const logger = new Logger('Imports');
const STAGE_FLUSH_BYTES = 256 * 1024;

/**
 * One multi-row INSERT from entity rows, built from the entity's column metadata with the driver's
 * own value conversion (booleans, JSON): the query builder spent more time assembling a 500-row
 * INSERT than SQLite spent running it, and the commit is where other writers wait.
 */
async function insertRows(m: EntityManager, entity: EntityTarget<ObjectLiteral>, rows: ObjectLiteral[]): Promise<void> {
  const meta = m.connection.getMetadata(entity);
  const columns = meta.columns.filter((c) => !c.isVirtual && rows.some((r) => r[c.propertyName] !== undefined));
  const driver = m.connection.driver;
  const tuples = rows.map((r) => sql`(${sql.join(columns.map((c) => sql`${driver.preparePersistentValue(r[c.propertyName] ?? null, c)}`))})`);
  const names = sql.join(columns.map((c) => sql.ident(c.databaseName)));
  await query(m, sql`INSERT INTO ${sql.ident(meta.tableName)} (${names}) VALUES ${sql.join(tuples)}`);
}

/** Staged rows as JSON lines in a file per table (bounded memory), inserted chunk by chunk at commit. */
class StagedRows implements Stage {
  private readonly tables: { entity: EntityTarget<ObjectLiteral>; unique: { column: string; property: string }; path: string; fd: number; out: string; count: number }[] = [];
  private readonly updates: { entity: EntityTarget<ObjectLiteral>; path: string; fd: number; out: string; count: number }[] = [];

  constructor(private readonly dir: string) {}

  get count(): number {
    return this.tables.reduce((n, t) => n + t.count, 0);
  }

  update<T extends ObjectLiteral>(entity: EntityTarget<T>, id: string, values: Partial<T>, mode: 'set' | 'fill'): void {
    let u = this.updates.find((x) => x.entity === entity);
    if (!u) {
      const path = join(this.dir, `update-${this.updates.length}.ndjson`);
      u = { entity: entity as EntityTarget<ObjectLiteral>, path, fd: openSync(path, 'w', 0o600), out: '', count: 0 };
      this.updates.push(u);
    }
    u.out += `${JSON.stringify({ id, values, mode })}\n`;
    u.count++;
    if (u.out.length >= STAGE_FLUSH_BYTES) {
      writeSync(u.fd, u.out);
      u.out = '';
    }
  }

  add<T extends ObjectLiteral>(entity: EntityTarget<T>, rows: T[], unique: { column: string; property: keyof T & string }): void {
    let t = this.tables.find((x) => x.entity === entity);
    if (!t) {
      const path = join(this.dir, `stage-${this.tables.length}.ndjson`);
      t = { entity: entity as EntityTarget<ObjectLiteral>, unique, path, fd: openSync(path, 'w', 0o600), out: '', count: 0 };
      this.tables.push(t);
    }
    for (const r of rows) {
      t.out += `${JSON.stringify(r)}\n`;
      if (t.out.length >= STAGE_FLUSH_BYTES) {
        writeSync(t.fd, t.out);
        t.out = '';
      }
    }
    t.count += rows.length;
  }

  close(): void {
    for (const t of [...this.tables, ...this.updates]) {
      if (t.fd < 0) continue;
      if (t.out) writeSync(t.fd, t.out);
      closeSync(t.fd);
      t.fd = -1;
      t.out = '';
    }
  }

  /** Inserts everything staged, refusing the import when a unique key was taken meanwhile. */
  async commit(m: EntityManager): Promise<void> {
    this.close();
    for (const t of this.tables) {
      const lines = createInterface({ input: createReadStream(t.path), crlfDelay: Infinity });
      let chunk: ObjectLiteral[] = [];
      const insert = async () => {
        const keys = chunk.map((r) => r[t.unique.property]).filter((k) => k !== null && k !== undefined);
        if (keys.length) {
          const taken = await m.createQueryBuilder().select(`x.${t.unique.column}`, 'k').from(t.entity, 'x').where(`x.${t.unique.column} IN (:...keys)`, { keys }).limit(1).getRawMany();
          if (taken.length) {
            throw new ConflictError('IMPORT_CONFLICT', 'Some of these records were created by someone else while the file was being checked; nothing was imported. Send the file again.', {
              [t.unique.property]: taken[0].k,
            });
          }
        }
        await insertRows(m, t.entity, chunk);
        chunk = [];
      };
      for await (const line of lines) {
        if (!line) continue;
        chunk.push(JSON.parse(line));
        if (chunk.length >= STAGE_CHUNK) await insert();
      }
      if (chunk.length) await insert();
    }
    for (const u of this.updates) {
      const meta = m.connection.getMetadata(u.entity);
      const driver = m.connection.driver;
      for await (const line of createInterface({ input: createReadStream(u.path), crlfDelay: Infinity })) {
        if (!line) continue;
        const { id, values, mode } = JSON.parse(line) as { id: string; values: ObjectLiteral; mode: 'set' | 'fill' };
        const sets = Object.entries(values).map(([property, v]) => {
          const c = meta.findColumnWithPropertyName(property)!;
          const value = driver.preparePersistentValue(v, c) as SqlValue;
          const col = sql.ident(c.databaseName);
          return mode === 'fill' ? sql`${col} = COALESCE(${col}, ${value})` : sql`${col} = ${value}`;
        });
        await query(m, sql`UPDATE ${sql.ident(meta.tableName)} SET ${sql.join(sets)} WHERE "id" = ${id}`);
      }
    }
  }
}

/**
 * Runs an import: check, then commit quickly. `work` reads the file and checks every row against
 * the committed state without holding a transaction, staging the rows to create (on disk); then one
 * short transaction inserts them and runs `afterWork` (audit, re-assessment). So a large import no
 * longer holds SQLite's single write lock for as long as it takes to read and check the file: other
 * writers wait only for the inserts. Still all or nothing: dry run, and an atomic import with refused
 * rows, stage and commit nothing (422 IMPORT_REFUSED with the report in details.report); if someone
 * created one of the staged records in between, nothing is written (409 IMPORT_CONFLICT, send again).
 * Otherwise committed (non-atomic imports keep the rows that passed).
 *
 * `work` looks rows up in a short read of its own per chunk (`database.read`), not in one read held
 * for the whole file: on SQLite a read holds one of the two read-only connections, and a 64 MiB
 * file's check held one for minutes, so every other request's reads queued on the last one (reads
 * waited minutes, and the waiting requests filled the heap). Checking against the state committed
 * when each chunk is looked up changes nothing at the commit: it re-checks the unique keys and fills
 * only what is still empty then.
 */
export async function runImport(database: DatabaseService, report: ImportReport, work: (stage: Stage) => Promise<void>, afterWork?: (m: EntityManager) => Promise<void>): Promise<ImportReport> {
  const own = spoolFolder.getStore() ? null : await mkdtemp(join(tmpdir(), `${SPOOL_PREFIX}${process.pid}-`));
  const stage = new StagedRows(own ?? spoolFolder.getStore()!);
  try {
    const started = performance.now();
    await work(stage); // no transaction held: each chunk reads the committed state in a short read
    stage.close();
    const checked = performance.now();
    report.items.sort((a, b) => a.row - b.row);
    if (!report.dryRun && !(report.atomic && report.refused > 0)) {
      await database.write(async (m) => {
        await stage.commit(m);
        if (afterWork) await afterWork(m);
      });
      report.committed = true;
      logger.log(
        `${report.format} import: ${report.rows} row(s) checked in ${Math.round(checked - started)} ms, ${stage.count} inserted in ${Math.round(performance.now() - checked)} ms (one transaction)`,
      );
      return report;
    }
  } finally {
    stage.close();
    if (own) await rm(own, { recursive: true, force: true });
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

/** "a; b" from { field: reason }. */
export function reasonOf(fields: Record<string, string> | undefined, fallback: string): string {
  return fields && Object.keys(fields).length
    ? Object.entries(fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')
    : fallback;
}
