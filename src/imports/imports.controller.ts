import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ApiCsvResponse } from '../common/openapi';
import { ImportUploads } from './import-uploads.service';

@ApiTags('import / export')
@ApiBearerAuth()
@Controller()
export class ImportsController {
  constructor(private readonly uploads: ImportUploads) {}

  @Get('imports/:id/report.csv')
  @Roles('admin', 'coordinator')
  @ApiProduces('text/csv')
  @ApiCsvResponse('The per-row report (row, status, id, reason, fields, note)')
  @ApiOperation({ summary: 'The full per-row report of an import as CSV (row, status, id, reason, fields, note): to whoever ran it and to admins, for a week' })
  importReport(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<StreamableFile> {
    return this.uploads.download(id, user);
  }
}
