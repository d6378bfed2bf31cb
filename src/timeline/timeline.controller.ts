import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, INCIDENT_READERS, Roles } from '../common/auth';
import { IdPipe } from '../common/validation';
import { TimelinePage, TimelineQuery } from './dto/timeline.dto';
import { TimelineService } from './timeline.service';

@ApiTags('reception')
@ApiBearerAuth()
@Controller()
export class TimelineController {
  constructor(private readonly timelines: TimelineService) {}

  @Get('institutions/:id/timeline')
  @Roles(...INCIDENT_READERS)
  @ApiOperation({ summary: 'Reception entries, incidents and appearances of one institution merged in time order, paginated (the read is audited: it shows incidents)' })
  @ApiOkResponse({ type: TimelinePage })
  timeline(@Param('id', new IdPipe()) id: string, @Query() q: TimelineQuery, @CurrentUser() actor: AuthUser): Promise<TimelinePage> {
    return this.timelines.timeline(id, q, actor);
  }
}
