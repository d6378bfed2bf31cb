import { Inject, Injectable, Logger, OnApplicationBootstrap, StreamableFile } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { stringify } from 'csv-stringify/sync';
import { randomUUID } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import { appConfig } from '../config/app.config';
import { safeCell } from '../common/csv';
import { removeStaleSpools, withSpooledUpload } from './csv-reader';
import { attachSink, ImportReport, ImportRowReport } from './import-report';

/** How long a full report stays downloadable. */
const REPORT_KEEP_MS = 7 * 86_400_000;
const REPORT_COLUMNS = ['row', 'status', 'id', 'reason', 'fields', 'note'];
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Items arrive in row order except within one chunk of the reader (500 rows): rows this far behind the newest are final. */
const ORDER_WINDOW = 1000;
const FLUSH_BYTES = 64 * 1024;

/**
 * The full per-row report of one import, written as CSV while the rows are counted (row order,
 * formula-protected cells), with bounded memory: a small reorder buffer and a 64 KiB write buffer.
 */
class ReportFile {
  private readonly fd: number;
  private pending: ImportRowReport[] = [];
  private newest = 0;
  private out = '';

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
    this.out = stringify([REPORT_COLUMNS]);
  }

  add(item: ImportRowReport): void {
    this.pending.push(item);
    if (item.row > this.newest) this.newest = item.row;
    if (this.pending.length >= 2 * ORDER_WINDOW) this.write(this.newest - ORDER_WINDOW);
  }

  /** Writes every buffered row numbered below `upTo`, in order. */
  private write(upTo: number): void {
    this.pending.sort((a, b) => a.row - b.row);
    const cut = this.pending.findIndex((i) => i.row >= upTo);
    const ready = cut === -1 ? this.pending : this.pending.slice(0, cut);
    this.pending = cut === -1 ? [] : this.pending.slice(cut);
    for (const i of ready) {
      const fields = i.fields
        ? Object.entries(i.fields)
            .map(([k, v]) => `${k}: ${v}`)
            .join('; ')
        : '';
      this.out += stringify([[i.row, i.status, i.id ?? '', i.reason ?? '', fields, i.note ?? ''].map(safeCell)]);
      if (this.out.length >= FLUSH_BYTES) this.flush();
    }
  }

  private flush(): void {
    if (this.out) writeSync(this.fd, this.out);
    this.out = '';
  }

  close(): void {
    this.write(Infinity);
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * The upload side of every import: receives the CSV into a private temporary file under
 * IMPORT_SPOOL_DIR (bounded by IMPORT_LIMIT_BYTES, removed afterwards, and at start-up when a killed process left one behind),
 * and keeps each import's full per-row report as a CSV under IMPORT_REPORT_DIR for a week, for its
 * author and admins to download (the answer itself lists the first rows of each outcome).
 */
@Injectable()
export class ImportUploads implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImportUploads.name);
  private readonly dir: string;

  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly clock: Clock,
  ) {
    this.dir = resolve(app.importReportDir);
  }

  get limitBytes(): number {
    return this.app.importLimit;
  }

  async onApplicationBootstrap(): Promise<void> {
    const removed = await removeStaleSpools(this.app.importSpoolDir);
    if (removed.length) this.logger.warn(`Removed ${removed.length} upload file(s) left by a stopped process`);
    await this.prune();
  }

  /**
   * Spools the upload, then runs `work` with a way to read it back; every row the import counts
   * goes to the report file, which is kept whether the import committed, was a dry run or was
   * refused (422 IMPORT_REFUSED carries the same reportUrl), and dropped when the file could not be
   * read at all.
   */
  async receive<T>(body: unknown, report: ImportReport, actor: AuthUser, work: (open: () => Readable) => Promise<T>): Promise<T> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const id = randomUUID();
    const file = new ReportFile(join(this.dir, `${id}.csv`));
    attachSink(report, file);
    report.reportUrl = `/imports/${id}/report.csv`;
    let keep = false;
    try {
      const out = await withSpooledUpload(body, this.app.importLimit, work, this.app.importSpoolDir);
      keep = true;
      return out;
    } catch (e) {
      keep = report.rows > 0 && (e as { code?: string }).code === 'IMPORT_REFUSED';
      if (!keep) report.reportUrl = null;
      throw e;
    } finally {
      file.close();
      if (keep) await writeFile(join(this.dir, `${id}.json`), JSON.stringify({ actorId: actor.id, createdAt: this.clock.now(), format: report.format }), { mode: 0o600 });
      else await rm(file.path, { force: true });
    }
  }

  /** The full report of an import: to the admin, or to whoever ran it. */
  async download(id: string, user: AuthUser): Promise<StreamableFile> {
    const meta = UUID_RE.test(id)
      ? await readFile(join(this.dir, `${id}.json`), 'utf8')
          .then((s) => JSON.parse(s) as { actorId: string; createdAt: number })
          .catch(() => null)
      : null;
    if (!meta || (user.role !== 'admin' && meta.actorId !== user.id) || this.clock.now() - meta.createdAt > REPORT_KEEP_MS) throw new NotFoundError('Import report', id);
    return new StreamableFile(createReadStream(join(this.dir, `${id}.csv`)), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="import-${id}.csv"` });
  }

  /** Removes reports older than a week. */
  private async prune(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(this.dir, name);
      const st = await stat(path).catch(() => null);
      if (st && Date.now() - st.mtimeMs > REPORT_KEEP_MS) await rm(path, { force: true });
    }
  }
}
