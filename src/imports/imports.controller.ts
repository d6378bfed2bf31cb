import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiCsvResponse } from '../common/openapi';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { PRIVACY_RULE } from '../common/privacy/privacy-guard';
import { csvFile } from './csv';
import { ImportQuery } from './dto/import.dto';
import { ImportUploads } from './import-uploads.service';
import { IncidentImportService } from './incident-import.service';
import { ImportReport } from './import-report';
import { InstitutionExportService } from './institution-export.service';
import { INSTITUTION_CSV_COLUMNS, InstitutionImportService } from './institution-import.service';

const CSV_BODY = { required: true, schema: { type: 'string', format: 'binary' }, description: 'The CSV file itself (Content-Type: text/csv), streamed' };
const IMPORT_RULES =
  'The upload is received in full first (streamed to a temporary file, at most IMPORT_LIMIT_BYTES, deleted afterwards), then read and checked row by row against the committed data (no transaction held), ' +
  'and the rows to create are inserted in one short transaction at the end. `?dryRun=true` checks and reports without writing. Atomic by default: if any row is refused nothing is written ' +
  '(422 IMPORT_REFUSED, details.report has the report); `?atomic=false` imports the rows that pass. If someone creates one of the same records meanwhile, nothing is written (409 IMPORT_CONFLICT: send it again). Re-importing the same file creates nothing. ' +
  'The report counts the rows created, matched (with the existing id) and refused (with the reason) and lists the first 100 of each (spreadsheet numbering, header = row 1); ' +
  'every row is in the CSV at reportUrl (GET /imports/{id}/report.csv, for a week).';

@ApiTags('import / export')
@ApiBearerAuth()
@Controller()
export class ImportsController {
  constructor(
    private readonly institutions: InstitutionImportService,
    private readonly incidents: IncidentImportService,
    private readonly institutionExport: InstitutionExportService,
    private readonly uploads: ImportUploads,
  ) {}

  @Get('imports/:id/report.csv')
  @Roles('admin', 'coordinator')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The full per-row report of an import as CSV (row, status, id, reason, fields, note): to whoever ran it and to admins, for a week' })
  @ApiCsvResponse('The per-row report (row, status, id, reason, fields, note)')
  importReport(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<StreamableFile> {
    return this.uploads.download(id, user);
  }

  @Post('institutions/import')
  @Roles('admin', 'coordinator')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOperation({
    summary: 'Import institutions from CSV (admin, coordinator)',
    description:
      'Two formats, told apart by the header. Forewarn: the columns of GET /institutions/export (name, kind, city, state, country, time_zone, external_id, ownership, ' +
      'limits_immigration_cooperation, requires_advance_notice, advance_notice_days; id and current_stance are ignored; time_zone may be left empty for US rows). ' +
      'College Scorecard: name, city, state, ownership, highest_degree (or the raw INSTNM, CITY, STABBR, UNITID, CONTROL, HIGHDEG); the time zone comes from the state ' +
      '(multi-zone states use their main zone except for a few known cities). Matching: normalised name + city + state, or external id. ' +
      IMPORT_RULES,
  })
  @ApiOkResponse({ type: ImportReport })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'IMPORT_REFUSED (atomic import with refused rows; nothing written)' })
  importInstitutions(@Body() body: unknown, @Query() q: ImportQuery, @CurrentUser() actor: AuthUser): Promise<ImportReport> {
    return this.institutions.import(body, { dryRun: q.dryRun ?? false, atomic: q.atomic ?? true }, actor);
  }

  @Post('incidents/import')
  @Roles('admin', 'coordinator')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOperation({
    summary: 'Import incidents from CSV (admin, coordinator)',
    description:
      'Forewarn format: date (YYYY-MM-DD = local noon at the institution, or ISO-8601 with offset), institution_id or institution + city + state, kind, severity (1-4), ' +
      'target, source, and optionally crowd_size, impact, verification (reported | corroborated | disputed, with dispute_statement), description, import_key. ' +
      'Campus-protest format (Crowd Counting Consortium compilation: date, institution, city, state, kind, size, about_recruiting, …): context incidents — ' +
      'about recruiting → target peer_recruiters, otherwise general_activism; kind protest, severity 1, source news, no description. ' +
      'Institutions match by normalised name + city + state, then by name + state when that is unique; report.institutionsMatched counts them. ' +
      'Descriptions older than the retention period are dropped (noted per row). ' +
      PRIVACY_RULE +
      ' ' +
      IMPORT_RULES,
  })
  @ApiOkResponse({ type: ImportReport })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'IMPORT_REFUSED (atomic import with refused rows; nothing written)' })
  importIncidents(@Body() body: unknown, @Query() q: ImportQuery, @CurrentUser() actor: AuthUser): Promise<ImportReport> {
    return this.incidents.import(body, { dryRun: q.dryRun ?? false, atomic: q.atomic ?? true }, actor);
  }

  @Get('institutions/export')
  @ApiOperation({ summary: 'Every institution as CSV (the Forewarn import format plus id and the derived current_stance); formula-injection protected' })
  @ApiCsvResponse()
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'kind', required: false })
  exportInstitutions(@Query('state') state?: string, @Query('kind') kind?: string): StreamableFile {
    return csvFile('institutions.csv', INSTITUTION_CSV_COLUMNS, this.institutionExport.rows({ state, kind }));
  }
}
