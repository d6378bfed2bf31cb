import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { PRIVACY_RULE } from '../common/privacy/privacy-guard';
import { ImportQuery } from '../imports/dto/import.dto';
import { CSV_BODY, IMPORT_RULES } from '../imports/import-docs';
import { ImportReport } from '../imports/import-report';
import { IncidentImportService } from './incident-import.service';

@ApiTags('import / export')
@ApiBearerAuth()
@Controller()
export class IncidentImportController {
  constructor(private readonly incidents: IncidentImportService) {}

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
      'Each row meets the rules of POST /incidents and is refused with the same code and field (report items carry `code`): a description for an incident older than the retention period is RETENTION_EXPIRED; a dispute needs its dispute_statement. ' +
      PRIVACY_RULE +
      ' ' +
      IMPORT_RULES,
  })
  @ApiOkResponse({ type: ImportReport })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'IMPORT_REFUSED (atomic import with refused rows; nothing written)' })
  importIncidents(@Body() body: unknown, @Query() q: ImportQuery, @CurrentUser() actor: AuthUser): Promise<ImportReport> {
    return this.incidents.import(body, { dryRun: q.dryRun ?? false, atomic: q.atomic ?? true }, actor);
  }
}
