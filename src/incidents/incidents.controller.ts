import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, INCIDENT_READERS, INCIDENT_VERIFIERS, INCIDENT_WRITERS, Roles } from '../common/auth';
import { Clock } from '../common/clock';
import { ErrorBody } from '../common/error-body';
import { PRIVACY_RULE } from '../common/privacy/privacy-guard';
import { IdPipe } from '../common/validation';
import { csvFile, wantsCsv } from '../common/csv';
import { expectedVersion } from '../common/expected-version';
import { CreateIncidentDto, IncidentPage, IncidentQuery, IncidentView, UpdateIncidentDto, VerificationDto } from './dto/incident.dto';
import { INCIDENT_CSV_COLUMNS } from './incident-view';
import { IncidentsService } from './incidents.service';
import { RetentionResult, RetentionService } from './retention.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly retention: RetentionService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles(...INCIDENT_WRITERS)
  @ApiOperation({
    summary: 'Record an incident (admin, coordinator, recruiter)',
    description:
      "Re-assesses the institution's upcoming appearances in the same transaction. An incident linked to an appearance must be at that " +
      "appearance's institution; one aimed at the organisation marks the appearance disrupted. " +
      PRIVACY_RULE,
  })
  @ApiOkResponse({ type: IncidentView })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'PERSONAL_DATA, APPEARANCE_AT_OTHER_INSTITUTION, RETENTION_EXPIRED' })
  create(@Body() dto: CreateIncidentDto, @CurrentUser() actor: AuthUser): Promise<IncidentView> {
    return this.incidents.create(dto, actor);
  }

  @Get()
  @Roles(...INCIDENT_READERS)
  @ApiOperation({
    summary: 'List and filter incidents (admin, coordinator, recruiter, hr); every read is audited with its filter',
    description: "Send `Accept: text/csv` for a CSV export of every matching incident (cells starting with = + - @ tab or CR are prefixed with ' against formula injection).",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: IncidentPage })
  @ApiForbiddenResponse({ type: ErrorBody })
  list(@Query() q: IncidentQuery, @Headers('accept') accept: string | undefined, @CurrentUser() actor: AuthUser): Promise<IncidentPage> | StreamableFile {
    if (wantsCsv(accept)) return csvFile('incidents.csv', INCIDENT_CSV_COLUMNS, this.incidents.exportRows(q, actor));
    return this.incidents.list(q, actor);
  }

  @Post('retention')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the retention job now (admin): blank descriptions older than RETENTION_MONTHS; structured facts stay; audited' })
  @ApiOkResponse({ type: RetentionResult })
  runRetention(): Promise<RetentionResult> {
    return this.retention.expireDescriptions(this.clock.now());
  }

  @Get(':id')
  @Roles(...INCIDENT_READERS)
  @ApiOperation({ summary: 'One incident (admin, coordinator, recruiter, hr); the read is audited' })
  @ApiOkResponse({ type: IncidentView })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('id', new IdPipe()) id: string, @CurrentUser() actor: AuthUser): Promise<IncidentView> {
    return this.incidents.get(id, actor);
  }

  @Patch(':id')
  @Roles(...INCIDENT_WRITERS)
  @ApiOperation({ summary: "Correct an incident's facts (admin, coordinator, recruiter); audited with before and after; send If-Match or version", description: PRIVACY_RULE })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: IncidentView })
  @ApiConflictResponse({ type: ErrorBody, description: 'STALE_VERSION' })
  update(@Param('id', new IdPipe()) id: string, @Body() dto: UpdateIncidentDto, @Headers('if-match') ifMatch: string | undefined, @CurrentUser() actor: AuthUser): Promise<IncidentView> {
    return this.incidents.update(id, dto, expectedVersion(ifMatch, dto.version), actor);
  }

  @Post(':id/verification')
  @Roles(...INCIDENT_VERIFIERS)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Corroborate or dispute an incident (admin, coordinator)',
    description: "reported → corroborated or disputed; corroborated → disputed; disputed → corroborated. A dispute keeps the institution's statement, who recorded it and when. " + PRIVACY_RULE,
  })
  @ApiOkResponse({ type: IncidentView })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'ILLEGAL_TRANSITION or PERSONAL_DATA' })
  verify(@Param('id', new IdPipe()) id: string, @Body() dto: VerificationDto, @Headers('if-match') ifMatch: string | undefined, @CurrentUser() actor: AuthUser): Promise<IncidentView> {
    return this.incidents.setVerification(id, dto, expectedVersion(ifMatch, dto.version), actor);
  }
}
