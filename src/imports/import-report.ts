import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export type RowStatus = 'created' | 'matched' | 'refused';

export class ImportRowReport {
  @ApiProperty({ description: 'Spreadsheet row number (the header is row 1)' }) row: number;
  @ApiProperty({ enum: ['created', 'matched', 'refused'] }) status: RowStatus;
  @ApiPropertyOptional({ description: 'The created or matched record' }) id?: string;
  @ApiPropertyOptional({ description: 'How it matched (dedupe key, external id, import key, earlier row) or why it was refused' }) reason?: string;
  @ApiPropertyOptional({ description: 'Per-field reasons of a refusal', type: 'object', additionalProperties: { type: 'string' } }) fields?: Record<string, string>;
  @ApiPropertyOptional({ description: 'Something the import changed on the way in (e.g. description dropped by retention, topics set)' }) note?: string;
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
  @ApiPropertyOptional({ description: 'Incident imports: how the file\'s columns map onto topics (campus-protest format: flag → topic)', type: 'object', additionalProperties: { type: 'string' } })
  topicMapping?: Record<string, string>;
  @ApiPropertyOptional({ description: 'Incident imports: rows created per topic', type: 'object', additionalProperties: { type: 'number' } })
  topics?: Record<string, number>;
  @ApiProperty({ type: [ImportRowReport] }) items: ImportRowReport[];
}

export function emptyReport(format: string, dryRun: boolean, atomic: boolean): ImportReport {
  return { format, dryRun, atomic, committed: false, rows: 0, created: 0, matched: 0, refused: 0, items: [] };
}

export function tally(report: ImportReport, item: ImportRowReport): void {
  report.items.push(item);
  report.rows++;
  report[item.status]++;
}
