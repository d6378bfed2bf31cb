import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { IdPipe } from '../common/validation';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { CreateOfficeDto, OfficeView, UpdateOfficeDto } from './dto/office.dto';
import { OfficesService, toOfficeView } from './offices.service';

@ApiTags('offices')
@ApiBearerAuth()
@Controller('offices')
export class OfficesController {
  constructor(private readonly offices: OfficesService) {}

  @Get()
  @ApiOperation({ summary: 'All offices (any signed-in user)' })
  @ApiOkResponse({ type: [OfficeView] })
  list(): Promise<OfficeView[]> {
    return this.offices.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One office' })
  @ApiOkResponse({ type: OfficeView })
  async get(@Param('id', new IdPipe()) id: string): Promise<OfficeView> {
    return toOfficeView(await this.offices.get(id));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create an office (admin)' })
  @ApiCreatedResponse({ type: OfficeView })
  create(@Body() dto: CreateOfficeDto, @CurrentUser() actor: AuthUser): Promise<OfficeView> {
    return this.offices.create(dto, actor);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change an office (admin)' })
  @ApiOkResponse({ type: OfficeView })
  update(@Param('id', new IdPipe()) id: string, @Body() dto: UpdateOfficeDto, @CurrentUser() actor: AuthUser): Promise<OfficeView> {
    return this.offices.update(id, dto, actor);
  }
}
