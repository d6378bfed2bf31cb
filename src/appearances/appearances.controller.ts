import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { IdPipe } from '../common/validation';
import { etag, expectedVersion } from '../common/expected-version';
import { AppearanceReader } from './appearance-reader';
import { AppearancesService } from './appearances.service';
import { AppearanceDetailView, AppearancePage, AppearanceQuery, CancelAppearanceDto, ClashView, CreateAppearanceDto, StatusChangeDto, UpdateAppearanceDto } from './dto/appearance.dto';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag you read, e.g. "3"; a mismatch is 409 STALE_VERSION' };

@ApiTags('appearances')
@ApiExtraModels(ClashView)
@ApiBearerAuth()
@ApiBadRequestResponse({ type: ErrorBody, description: 'Validation failed: fields names each bad field' })
@Controller('appearances')
export class AppearancesController {
  constructor(
    private readonly appearances: AppearancesService,
    private readonly reader: AppearanceReader,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List appearances: window (from/to, overlap), office, institution, recruiter, status, kind; sorted by start; paginated with total' })
  @ApiOkResponse({ type: AppearancePage })
  list(@Query() q: AppearanceQuery): Promise<AppearancePage> {
    return this.reader.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One appearance with its latest risk assessment (ETag = version)' })
  @ApiOkResponse({ type: AppearanceDetailView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async get(@Param('id', new IdPipe()) id: string, @Res({ passthrough: true }) res: FastifyReply): Promise<AppearanceDetailView> {
    return this.withEtag(res, await this.appearances.get(id));
  }

  @Post()
  @Roles('admin', 'coordinator', 'recruiter')
  @ApiOperation({
    summary: 'Plan an appearance (admin, coordinator, recruiter of the office). Times: startsAt/endsAt with offset, or startsLocal/endsLocal in timeZone. The answer carries a fresh risk assessment.',
  })
  @ApiCreatedResponse({ type: AppearanceDetailView })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'An id names nothing; fields names which' })
  @ApiConflictResponse({
    description: 'DOUBLE_BOOKED: the message names the person and the local times; details.clashes lists each clash (ClashView)',
    schema: {
      allOf: [
        { $ref: getSchemaPath(ErrorBody) },
        { type: 'object', properties: { details: { type: 'object', properties: { clashes: { type: 'array', items: { $ref: getSchemaPath(ClashView) } } } } } },
      ],
    },
  })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: "RECRUITER_NOT_ASSIGNABLE, or ADVANCE_NOTICE naming the host's deadline (send allowShortNotice to book anyway)" })
  @ApiForbiddenResponse({ type: ErrorBody, description: 'Another office' })
  async create(@Body() dto: CreateAppearanceDto, @CurrentUser() actor: AuthUser, @Res({ passthrough: true }) res: FastifyReply): Promise<AppearanceDetailView> {
    return this.withEtag(res, await this.appearances.create(dto, actor));
  }

  @Patch(':id')
  @Roles('admin', 'coordinator', 'recruiter')
  @ApiOperation({ summary: 'Change an appearance of your office; `date` moves it keeping local wall-clock times. Send If-Match or body.version.' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AppearanceDetailView })
  @ApiConflictResponse({ type: ErrorBody, description: 'STALE_VERSION, DOUBLE_BOOKED or APPEARANCE_CLOSED' })
  async update(
    @Param('id', new IdPipe()) id: string,
    @Body() dto: UpdateAppearanceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<AppearanceDetailView> {
    return this.withEtag(res, await this.appearances.update(id, dto, expectedVersion(ifMatch, dto.version), actor));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('admin', 'coordinator', 'recruiter')
  @ApiOperation({ summary: 'planned → confirmed' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AppearanceDetailView })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'ILLEGAL_TRANSITION' })
  async confirm(
    @Param('id', new IdPipe()) id: string,
    @Body() dto: StatusChangeDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<AppearanceDetailView> {
    return this.withEtag(res, await this.appearances.transition(id, 'confirmed', expectedVersion(ifMatch, dto.version), actor));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('admin', 'coordinator', 'recruiter')
  @ApiOperation({ summary: 'planned/confirmed → cancelled (recipients get a calendar cancellation)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AppearanceDetailView })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'ILLEGAL_TRANSITION' })
  async cancel(
    @Param('id', new IdPipe()) id: string,
    @Body() dto: CancelAppearanceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<AppearanceDetailView> {
    return this.withEtag(res, await this.appearances.transition(id, 'cancelled', expectedVersion(ifMatch, dto.version), actor, dto.reason));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles('admin', 'coordinator', 'recruiter')
  @ApiOperation({ summary: 'confirmed → completed (after it started)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AppearanceDetailView })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'ILLEGAL_TRANSITION or NOT_STARTED' })
  async complete(
    @Param('id', new IdPipe()) id: string,
    @Body() dto: StatusChangeDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<AppearanceDetailView> {
    return this.withEtag(res, await this.appearances.transition(id, 'completed', expectedVersion(ifMatch, dto.version), actor));
  }

  private withEtag(res: FastifyReply, view: AppearanceDetailView): AppearanceDetailView {
    res.header('ETag', etag(view.version));
    return view;
  }
}
