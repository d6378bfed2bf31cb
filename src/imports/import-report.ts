import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export type RowStatus = 'created' | 'matched' | 'refused';

/** How many rows of each outcome the answer lists; the full per-row report is the CSV at reportUrl. */
export const REPORT_SAMPLE_ROWS = 100;

export class ImportRowReport {
  @ApiProperty({ description: 'Spreadsheet row number (the header is row 1)' }) row: number;
  @ApiProperty({ enum: ['created', 'matched', 'refused'] }) status: RowStatus;
  @ApiPropertyOptional({ description: 'The created or matched record' }) id?: string;
  @ApiPropertyOptional({ description: 'How it matched (dedupe key, external id, import key, earlier row) or why it was refused' }) reason?: string;
  @ApiPropertyOptional({ description: 'The stable code of a refusal: the one the API answers for the same record (e.g. RETENTION_EXPIRED, PERSONAL_DATA, VALIDATION_FAILED)' }) code?: string;
  @ApiPropertyOptional({ description: 'Per-field reasons of a refusal', type: 'object', additionalProperties: { type: 'string' } }) fields?: Record<string, string>;
  @ApiPropertyOptional({ description: 'Something the import changed on the way in (e.g. topics set)' }) note?: string;
  @ApiPropertyOptional({ description: 'Incident imports: the topics the row was given', type: [String] }) topics?: string[];
}

export class ImportReport {
  @ApiProperty({ example: 'scorecard' }) format: string;
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'All or nothing (default true)' }) atomic: boolean;
  @ApiProperty({ description: 'Whether anything was written' }) committed: boolean;
  @ApiProperty() rows: number;
  @ApiProperty() created: number;
  @ApiProperty() matched: number;
  @ApiProperty() refused: number;
  @ApiPropertyOptional({ description: 'Incident imports: rows whose institution was found' }) institutionsMatched?: number;
  @ApiPropertyOptional({ description: "Incident imports: how the file's columns map onto topics (campus-protest format: flag → topic)", type: 'object', additionalProperties: { type: 'string' } })
  topicMapping?: Record<string, string>;
  @ApiPropertyOptional({ description: 'Incident imports: rows created per topic', type: 'object', additionalProperties: { type: 'number' } })
  topics?: Record<string, number>;
  @ApiProperty({ type: [ImportRowReport], description: `The first ${REPORT_SAMPLE_ROWS} rows of each outcome, in row order (every row when itemsComplete)` }) items: ImportRowReport[];
  @ApiProperty({ description: 'Whether items lists every row' }) itemsComplete: boolean;
  @ApiProperty({ type: String, description: 'The full per-row report as CSV (GET, same sign-in; kept 7 days)', nullable: true, example: '/imports/0190e0b4-…/report.csv' }) reportUrl: string | null;
}

/** Receives every row's outcome (the full report file); set by the upload machinery. */
export interface ReportSink {
  add(item: ImportRowReport): void;
}

const sinks = new WeakMap<ImportReport, ReportSink>();
const sampled = new WeakMap<ImportReport, Record<RowStatus, number>>();

export function emptyReport(format: string, dryRun: boolean, atomic: boolean): ImportReport {
  const report: ImportReport = { format, dryRun, atomic, committed: false, rows: 0, created: 0, matched: 0, refused: 0, items: [], itemsComplete: true, reportUrl: null };
  sampled.set(report, { created: 0, matched: 0, refused: 0 });
  return report;
}

export function attachSink(report: ImportReport, sink: ReportSink): void {
  sinks.set(report, sink);
}

/**
 * Counts one row's outcome. The report keeps the first REPORT_SAMPLE_ROWS rows of each outcome (a
 * 64 MiB file has hundreds of thousands of rows: listing them all took more memory than the process
 * has); every row goes to the sink, the downloadable CSV.
 */
export function tally(report: ImportReport, item: ImportRowReport): void {
  report.rows++;
  report[item.status]++;
  const n = sampled.get(report);
  if (n && n[item.status] >= REPORT_SAMPLE_ROWS) report.itemsComplete = false;
  else {
    report.items.push(item);
    if (n) n[item.status]++;
  }
  sinks.get(report)?.add(item);
}
