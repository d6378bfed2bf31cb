import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { AttentionService } from './attention.service';
import { AttentionQuery, AttentionView } from './dto/attention.dto';

@ApiTags('attention')
@ApiBearerAuth()
@Controller('attention')
export class AttentionController {
  constructor(private readonly attention: AttentionService) {}

  @Get()
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary: 'What needs a coordinator: unacknowledged High/Critical warnings (who, when it escalates), the next 14 days by level, debriefs overdue, advance-notice deadlines at risk',
  })
  @ApiOkResponse({ type: AttentionView })
  @ApiForbiddenResponse({ type: ErrorBody, description: 'Another office, or not a coordinator or admin' })
  get(@Query() q: AttentionQuery, @CurrentUser() user: AuthUser): Promise<AttentionView> {
    return this.attention.forOffice(q, user);
  }
}
