import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { Page } from '../common/pagination';
import { IdPipe } from '../common/validation';
import { CreateUserDto, MeView, UpdateUserDto, UserPage, UserQuery, UserView } from './dto/user.dto';
import { toUserView, UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'Who am I: my account, office, role and calendar feed URL' })
  @ApiOkResponse({ type: MeView })
  me(@CurrentUser() user: AuthUser): Promise<MeView> {
    return this.users.me(user.id);
  }

  @Post('me/calendar-token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate my secret calendar feed URL: the old one stops working (changing the password does this too)' })
  @ApiOkResponse({ type: MeView })
  rotateCalendarToken(@CurrentUser() user: AuthUser): Promise<MeView> {
    return this.users.rotateCalendarToken(user.id);
  }

  @Get('users')
  @ApiOperation({ summary: 'List users (any signed-in user: planning needs colleagues)' })
  @ApiOkResponse({ type: UserPage })
  list(@Query() q: UserQuery): Promise<Page<UserView>> {
    return this.users.list(q);
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserView })
  async get(@Param('id', new IdPipe()) id: string): Promise<UserView> {
    return toUserView(await this.users.get(id));
  }

  @Post('users')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserView })
  create(@Body() dto: CreateUserDto, @CurrentUser() actor: AuthUser): Promise<UserView> {
    return this.users.create(dto, actor);
  }

  @Patch('users/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a user: role, office, password, or disable (admin)' })
  @ApiOkResponse({ type: UserView })
  update(@Param('id', new IdPipe()) id: string, @Body() dto: UpdateUserDto, @CurrentUser() actor: AuthUser): Promise<UserView> {
    return this.users.update(id, dto, actor);
  }
}
