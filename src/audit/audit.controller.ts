import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditPage } from './dto/audit-entry.dto';
import { Roles } from '../common/auth';
import { AuditService } from './audit.service';
import { AuditQuery } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin', 'hr')
  @ApiOperation({ summary: 'The append-only audit log (admin, hr): who did what to which record, when, with the change' })
  @ApiOkResponse({ type: AuditPage })
  list(@Query() q: AuditQuery) {
    return this.audit.list(q);
  }
}
