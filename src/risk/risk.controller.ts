import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../common/auth';
import { ValidationFailedError } from '../common/errors';
import { page, Page, PageQuery } from '../common/pagination';
import { IdPipe } from '../common/validation';
import { RiskPreviewDto } from './dto/risk-preview.dto';
import { RiskService } from './risk.service';
import { LEVEL_DOC, RiskAssessmentView } from './risk.view';

function instant(field: string, v: string): number {
  const ms = new Date(v).getTime();
  if (!Number.isFinite(ms)) throw new ValidationFailedError('Request validation failed', { [field]: 'must be an ISO 8601 instant' });
  return ms;
}

@ApiTags('risk')
@ApiBearerAuth()
@Controller()
export class RiskController {
  constructor(private readonly risk: RiskService) {}

  @Get('appearances/:id/risk')
  @ApiOperation({
    summary: 'Latest risk assessment of an appearance (computed now if there is none yet)',
    description: `Probability of disruption p, of a severe one p_severe, the level, the reasons in plain words and the mitigation checklist. Levels — ${LEVEL_DOC}`,
  })
  @ApiOkResponse({ type: RiskAssessmentView })
  latest(@Param('id', new IdPipe()) id: string, @CurrentUser() user: AuthUser): Promise<RiskAssessmentView> {
    return this.risk.latestOrAssess(id, user?.id ?? null);
  }

  @Get('appearances/:id/risk/history')
  @ApiOperation({ summary: 'Every stored assessment of an appearance, newest first (immutable snapshots with their trigger)' })
  async history(@Param('id', new IdPipe()) id: string, @Query() q: PageQuery): Promise<Page<RiskAssessmentView>> {
    const { items, total } = await this.risk.history(id, q.pageSize, (q.page - 1) * q.pageSize);
    return page(items, total, q);
  }

  @Post('risk/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What-if: the risk of a hypothetical appearance (another date, virtual, no uniforms); nothing is saved',
    description: `Same model and evidence as a real assessment; optional asOf replays what was known then. Levels — ${LEVEL_DOC}`,
  })
  @ApiOkResponse({ type: RiskAssessmentView })
  preview(@Body() dto: RiskPreviewDto): Promise<RiskAssessmentView> {
    return this.risk.preview({
      institutionId: dto.institutionId,
      startsAt: instant('startsAt', dto.startsAt),
      kind: dto.kind,
      format: dto.format,
      audience: dto.audience,
      expectedAttendance: dto.expectedAttendance ?? null,
      visibleBranding: dto.visibleBranding,
      protestAnnounced: dto.protestAnnounced ?? false,
      asOf: dto.asOf === undefined ? undefined : instant('asOf', dto.asOf),
    });
  }
}
