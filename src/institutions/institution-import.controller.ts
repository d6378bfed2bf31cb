import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ApiCsvResponse } from '../common/openapi';
import { ErrorBody } from '../common/error-body';
import { csvFile } from '../common/csv';
import { ImportQuery } from '../imports/dto/import.dto';
import { CSV_BODY, IMPORT_RULES } from '../imports/import-docs';
import { ImportReport } from '../imports/import-report';
import { InstitutionExportService } from './institution-export.service';
import { INSTITUTION_CSV_COLUMNS, InstitutionImportService } from './institution-import.service';

@ApiTags('import / export')
@ApiBearerAuth()
@Controller()
export class InstitutionImportController {
  constructor(
    private readonly institutions: InstitutionImportService,
    private readonly institutionExport: InstitutionExportService,
  ) {}

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
