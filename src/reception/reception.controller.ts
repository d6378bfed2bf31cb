import { Body, Controller, Get, Headers, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiCsvResponse } from '../common/openapi';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { PRIVACY_RULE } from '../common/privacy/privacy-guard';
import { IdPipe } from '../common/validation';
import { csvFile, wantsCsv } from '../common/csv';
import { CreateReceptionEntryDto, ReceptionEntryView, ReceptionExportQuery, ReceptionPage, ReceptionQuery } from './dto/reception.dto';
import { ReceptionSummaryView } from '../institutions/dto/institution.dto';
import { RECEPTION_CSV_COLUMNS, ReceptionService } from './reception.service';
import { ReceptionSummary } from './reception-summary';

@ApiTags('reception')
@ApiBearerAuth()
@Controller()
export class ReceptionController {
  constructor(private readonly reception: ReceptionService) {}

  @Post('institutions/:id/reception')
  @Roles('admin', 'coordinator', 'recruiter')
  @ApiOperation({
    summary: 'Append a reception entry (admin, coordinator, recruiter)',
    description:
      'The ledger is append-only: nothing is edited in place. To correct an entry, append a new one with supersedesId; the old one stays, marked ' +
      "superseded, and no longer counts for the derived stance. Re-assesses the institution's upcoming appearances. " +
      PRIVACY_RULE,
  })
  @ApiOkResponse({ type: ReceptionEntryView })
  @ApiConflictResponse({ type: ErrorBody, description: 'ALREADY_SUPERSEDED' })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'PERSONAL_DATA or SUPERSEDES_OTHER_INSTITUTION' })
  append(@Param('id', new IdPipe()) id: string, @Body() dto: CreateReceptionEntryDto, @CurrentUser() actor: AuthUser): Promise<ReceptionEntryView> {
    return this.reception.append(id, dto, actor);
  }

  @Get('institutions/:id/reception')
  @ApiOperation({ summary: "An institution's reception ledger, newest first (superseded entries included and marked)", description: 'Send `Accept: text/csv` for the CSV export.' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ReceptionPage })
  @ApiNotFoundResponse({ type: ErrorBody })
  list(@Param('id', new IdPipe()) id: string, @Query() q: ReceptionQuery, @Headers('accept') accept: string | undefined): Promise<ReceptionPage> | StreamableFile {
    if (wantsCsv(accept)) return csvFile('reception.csv', RECEPTION_CSV_COLUMNS, this.reception.exportRows({ institutionId: id }));
    return this.reception.list(id, q);
  }

  @Get('institutions/:id/reception/summary')
  @ApiOperation({ summary: 'Derived current stance, when it last changed, and the 12-month trend (better / same / worse)' })
  @ApiOkResponse({ type: ReceptionSummaryView })
  summary(@Param('id', new IdPipe()) id: string): Promise<ReceptionSummary> {
    return this.reception.summary(id);
  }

  @Get('reception')
  @ApiOperation({ summary: 'The whole reception ledger as CSV (Accept: text/csv), optionally for one institution or state; formula-injection protected' })
  @ApiCsvResponse()
  @ApiProduces('text/csv')
  exportAll(@Query() q: ReceptionExportQuery): StreamableFile {
    return csvFile('reception.csv', RECEPTION_CSV_COLUMNS, this.reception.exportRows(q));
  }
}
