import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseLocal } from '../common/local-time';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ValidationFailedError } from '../common/errors';
import { page, Page, PageQuery } from '../common/pagination';
import { IdPipe } from '../common/validation';
import { ActivationView, ParameterSetView, RiskAssessmentPage, TopicRelationsChangeView, TopicRelationsView } from './dto/risk-admin.view';
import { ActivateQuery, RiskPreviewDto, TopicRelationsDto } from './dto/risk-preview.dto';
import { RiskPreviewService } from './risk-preview.service';
import { RiskService } from './risk.service';
import { LEVEL_DOC, PreviewResult, RiskAssessmentView } from './risk.view';

function instant(field: string, v: string): number {
  const ms = new Date(v).getTime();
  if (!Number.isFinite(ms)) throw new ValidationFailedError('Request validation failed', { [field]: 'must be an ISO 8601 instant' });
  return ms;
}

function previewStart(dto: RiskPreviewDto): number | undefined {
  if (dto.startsAt !== undefined && dto.startsLocal !== undefined)
    throw new ValidationFailedError('Request validation failed', { startsLocal: 'give startsAt or startsLocal with timeZone, not both' });
  if (dto.startsLocal !== undefined) {
    if (!dto.timeZone) throw new ValidationFailedError('Request validation failed', { timeZone: 'required with startsLocal' });
    return parseLocal('startsLocal', dto.startsLocal, dto.timeZone);
  }
  if (dto.timeZone !== undefined) throw new ValidationFailedError('Request validation failed', { timeZone: 'only with startsLocal' });
  return dto.startsAt === undefined ? undefined : instant('startsAt', dto.startsAt);
}

@ApiTags('risk')
@ApiBearerAuth()
@Controller()
export class RiskController {
  constructor(
    private readonly risk: RiskService,
    private readonly previews: RiskPreviewService,
  ) {}

  @Get('appearances/:id/risk')
  @ApiOperation({
    summary: 'Latest risk assessment of an appearance (computed now if there is none yet)',
    description: `Probability p, of a severe disruption p_severe, the level, the reasons in plain words and the mitigation checklist. ${LEVEL_DOC}`,
  })
  @ApiOkResponse({ type: RiskAssessmentView })
  latest(@Param('id', new IdPipe()) id: string, @CurrentUser() user: AuthUser): Promise<RiskAssessmentView> {
    return this.risk.latestOrAssess(id, user?.id ?? null);
  }

  @Get('appearances/:id/risk/history')
  @ApiOperation({ summary: 'Every stored assessment of an appearance, newest first (immutable snapshots with their trigger and model version)' })
  @ApiOkResponse({ type: RiskAssessmentPage })
  async history(@Param('id', new IdPipe()) id: string, @Query() q: PageQuery): Promise<Page<RiskAssessmentView>> {
    const { items, total } = await this.risk.history(id, q.pageSize, (q.page - 1) * q.pageSize);
    return page(items, total, q);
  }

  @Post('risk/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What-if: the risk of a hypothetical appearance (another date, virtual, no uniforms); nothing is saved',
    description:
      'Same model and evidence as a real assessment. With appearanceId, the appearance is the starting point and the other fields override it; ' +
      'the answer carries the difference from its latest assessment. startsAt (instant) or startsLocal + timeZone (wall-clock in the venue zone). ' +
      `dateMakesNoDifference says when another date would give the same p. Optional asOf replays what was known then. ${LEVEL_DOC}`,
  })
  @ApiOkResponse({ type: PreviewResult })
  preview(@Body() dto: RiskPreviewDto): Promise<PreviewResult> {
    return this.previews.preview({
      appearanceId: dto.appearanceId,
      institutionId: dto.institutionId,
      startsAt: previewStart(dto),
      kind: dto.kind,
      format: dto.format,
      audience: dto.audience,
      expectedAttendance: dto.expectedAttendance,
      visibleBranding: dto.visibleBranding,
      protestAnnounced: dto.protestAnnounced,
      asOf: dto.asOf === undefined ? undefined : instant('asOf', dto.asOf),
    });
  }

  @Get('risk/parameters')
  @Roles('admin', 'hr')
  @ApiOperation({
    summary: 'Parameter sets of the risk model with their back-test figures (the shipped default and every set written by `npm run risk:fit`)',
    description: 'Each set is immutable; at most one is active (none: the shipped default). Snapshots keep the version they were made with.',
  })
  @ApiOkResponse({ type: [ParameterSetView] })
  parameters(): Promise<ParameterSetView[]> {
    return this.risk.parameterSets();
  }

  @Post('risk/parameters/:version/activate')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Put a parameter set in force (audited); every upcoming appearance is re-assessed with it',
    description:
      "A set that did not beat every baseline on its held-out back-test is refused (422 PARAMETERS_NOT_PROVEN) unless force=true. The shipped default's version deactivates every stored set.",
  })
  @ApiOkResponse({ type: ActivationView })
  activate(@Param('version') version: string, @Query() q: ActivateQuery, @CurrentUser() user: AuthUser): Promise<ActivationView> {
    return this.risk.activateParameters(version, user.id, q.force === 'true');
  }

  @Get('risk/topic-relations')
  @ApiOperation({ summary: 'How each incident topic relates to the organisation (affiliation, activity, context): what the model counts as evidence about us' })
  @ApiOkResponse({ schema: TopicRelationsView.schema as never })
  topicRelations(): Promise<Record<string, string>> {
    return this.risk.topicRelations();
  }

  @Put('risk/topic-relations')
  @Roles('admin')
  @ApiOperation({ summary: 'Change how topics relate to the organisation (audited); every upcoming appearance is re-assessed' })
  @ApiOkResponse({ type: TopicRelationsChangeView })
  setTopicRelations(@Body() dto: TopicRelationsDto, @CurrentUser() user: AuthUser): Promise<TopicRelationsChangeView> {
    return this.risk.setTopicRelations(dto.relations, user.id);
  }
}
