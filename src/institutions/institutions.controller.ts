import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { IdPipe } from '../common/validation';
import { CreateInstitutionDto, InstitutionPage, InstitutionQuery, InstitutionView, UpdateInstitutionDto } from './dto/institution.dto';
import { etag, expectedVersion } from '../common/expected-version';
import { InstitutionsService, toInstitutionView } from './institutions.service';

@ApiTags('institutions')
@ApiBearerAuth()
@Controller('institutions')
export class InstitutionsController {
  constructor(private readonly institutions: InstitutionsService) {}

  @Get()
  @ApiOperation({ summary: 'Search institutions by name (case- and punctuation-insensitive), kind, state, city; paginated with total' })
  @ApiOkResponse({ type: InstitutionPage })
  list(@Query() q: InstitutionQuery): Promise<InstitutionPage> {
    return this.institutions.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One institution (ETag = version)' })
  @ApiOkResponse({ type: InstitutionView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async get(@Param('id', new IdPipe()) id: string, @Res({ passthrough: true }) res: FastifyReply): Promise<InstitutionView> {
    const view = { ...toInstitutionView(await this.institutions.get(id)), reception: await this.institutions.reception(id) };
    res.header('ETag', etag(view.version));
    return view;
  }

  @Post()
  @Roles('admin', 'coordinator', 'recruiter')
  @ApiOperation({ summary: 'Add an institution (admin, coordinator, recruiter); a duplicate (same normalised name, city, state) is 409 with details.existingId' })
  @ApiCreatedResponse({ type: InstitutionView })
  @ApiConflictResponse({ type: ErrorBody, description: 'DUPLICATE_INSTITUTION: details.existingId names the existing record' })
  async create(@Body() dto: CreateInstitutionDto, @CurrentUser() actor: AuthUser, @Res({ passthrough: true }) res: FastifyReply): Promise<InstitutionView> {
    const view = await this.institutions.create(dto, actor);
    res.header('ETag', etag(view.version));
    return view;
  }

  @Patch(':id')
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: 'Change an institution (admin, coordinator); send If-Match or body.version to avoid overwriting a newer change' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you read, e.g. "3"' })
  @ApiOkResponse({ type: InstitutionView })
  @ApiConflictResponse({ type: ErrorBody, description: 'STALE_VERSION or DUPLICATE_INSTITUTION' })
  async update(
    @Param('id', new IdPipe()) id: string,
    @Body() dto: UpdateInstitutionDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() actor: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<InstitutionView> {
    const view = await this.institutions.update(id, dto, expectedVersion(ifMatch, dto.version), actor);
    res.header('ETag', etag(view.version));
    return view;
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an institution nothing refers to (admin); 409 INSTITUTION_IN_USE otherwise' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ErrorBody })
  async remove(@Param('id', new IdPipe()) id: string, @CurrentUser() actor: AuthUser): Promise<void> {
    await this.institutions.remove(id, actor);
  }
}
