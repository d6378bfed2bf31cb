import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { IdPipe } from '../common/validation';
import { DebriefDueView, DueQuery, OutcomeView, PutOutcomeDto } from './dto/outcome.dto';
import { OutcomesService } from './outcomes.service';

@ApiTags('outcomes')
@ApiBearerAuth()
@Controller()
export class OutcomesController {
  constructor(private readonly outcomes: OutcomesService) {}

  @Put('appearances/:id/outcome')
  @Roles('recruiter', 'coordinator', 'admin')
  @ApiOperation({
    summary: 'File or edit the debrief of an appearance (assigned recruiter, office coordinator or admin; after it ends; editable for a set window)',
  })
  @ApiCreatedResponse({ type: OutcomeView, description: 'Filed' })
  @ApiOkResponse({ type: OutcomeView, description: 'Edited' })
  @ApiForbiddenResponse({ type: ErrorBody, description: 'Not assigned to this appearance and not its office coordinator' })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'APPEARANCE_NOT_ENDED, DEBRIEF_LOCKED or PERSONAL_DATA in notes' })
  async put(@Param('id', new IdPipe()) id: string, @Body() dto: PutOutcomeDto, @CurrentUser() actor: AuthUser, @Res({ passthrough: true }) reply: FastifyReply): Promise<OutcomeView> {
    const { view, created } = await this.outcomes.put(id, dto, actor);
    reply.status(created ? 201 : 200);
    return view;
  }

  @Get('appearances/:id/outcome')
  @ApiOperation({ summary: 'The debrief of an appearance (404 while none has been filed)' })
  @ApiOkResponse({ type: OutcomeView })
  get(@Param('id', new IdPipe()) id: string, @CurrentUser() actor: AuthUser): Promise<OutcomeView> {
    return this.outcomes.get(id, actor);
  }

  @Get('outcomes/due')
  @ApiOperation({
    summary: 'Appearances whose debrief is due: completed (or ended and not cancelled) without an outcome. Recruiters: their own; coordinators: their office.',
  })
  @ApiOkResponse({ type: [DebriefDueView] })
  due(@Query() q: DueQuery, @CurrentUser() actor: AuthUser): Promise<DebriefDueView[]> {
    return this.outcomes.due(q, actor);
  }
}
