import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { IdPipe } from '../common/validation';
import { ApiTokensService } from './api-tokens.service';
import { ApiTokenUseView, ApiTokenView, CreatedApiTokenView, CreatePersonalTokenDto, CreateServiceTokenDto, ScopeView } from './dto/api-token.dto';

const SIGNED_IN = 'Tokens are managed signed in (POST /auth/login or single sign-on), never with another API token.';

@ApiTags('tokens')
@ApiBearerAuth()
@ApiForbiddenResponse({ type: ErrorBody, description: 'Called with an API token, or the role may not do this' })
@Controller()
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get('tokens/scopes')
  @ApiOperation({ summary: 'The scopes an API token can have, and which roles can hold each', description: 'A token never does more than its role allows: scopes only narrow it.' })
  @ApiOkResponse({ type: [ScopeView] })
  scopes(): ScopeView[] {
    return this.tokens.scopes();
  }

  @Post('me/tokens')
  @ApiOperation({ summary: 'Make a personal API token (shown once)', description: `Acts as you, with your role at each request, limited to its scopes. ${SIGNED_IN}` })
  @ApiCreatedResponse({ type: CreatedApiTokenView, description: 'The token is in `token`, this once; Forewarn keeps only its hash' })
  createMine(@CurrentUser() user: AuthUser, @Body() dto: CreatePersonalTokenDto): Promise<CreatedApiTokenView> {
    return this.tokens.createPersonal(user, dto);
  }

  @Get('me/tokens')
  @ApiOperation({ summary: 'My personal API tokens (never the tokens themselves)', description: SIGNED_IN })
  @ApiOkResponse({ type: [ApiTokenView] })
  listMine(@CurrentUser() user: AuthUser): Promise<ApiTokenView[]> {
    return this.tokens.listMine(user);
  }

  @Delete('me/tokens/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of my personal API tokens: it stops working at once, on every instance', description: SIGNED_IN })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'No such token of yours' })
  async revokeMine(@CurrentUser() user: AuthUser, @Param('id', new IdPipe()) id: string): Promise<void> {
    await this.tokens.revoke(id, user, 'mine');
  }

  @Get('me/tokens/:id/uses')
  @ApiOperation({ summary: "My personal token's uses, per minute, route and result", description: SIGNED_IN })
  @ApiOkResponse({ type: [ApiTokenUseView] })
  usesMine(@CurrentUser() user: AuthUser, @Param('id', new IdPipe()) id: string): Promise<ApiTokenUseView[]> {
    return this.tokens.uses(id, user, 'mine');
  }

  @Post('tokens')
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: 'Make a service API token (shown once)',
    description: `Admins choose its role (coordinator, hr or admin; a coordinator token belongs to an office); coordinators make coordinator tokens for their own office. ${SIGNED_IN}`,
  })
  @ApiCreatedResponse({ type: CreatedApiTokenView, description: 'The token is in `token`, this once; Forewarn keeps only its hash' })
  createService(@CurrentUser() user: AuthUser, @Body() dto: CreateServiceTokenDto): Promise<CreatedApiTokenView> {
    return this.tokens.createService(user, dto);
  }

  @Get('tokens')
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: "Service API tokens (admins: all; coordinators: their office's)", description: SIGNED_IN })
  @ApiOkResponse({ type: [ApiTokenView] })
  listService(@CurrentUser() user: AuthUser): Promise<ApiTokenView[]> {
    return this.tokens.listService(user);
  }

  @Delete('tokens/:id')
  @Roles('admin', 'coordinator')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke a token: admins any (a leaked personal one too), coordinators their office's service tokens", description: SIGNED_IN })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'No such token you may manage' })
  async revoke(@CurrentUser() user: AuthUser, @Param('id', new IdPipe()) id: string): Promise<void> {
    await this.tokens.revoke(id, user, 'service');
  }

  @Get('tokens/:id/uses')
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: "A token's uses, per minute, route and result", description: SIGNED_IN })
  @ApiOkResponse({ type: [ApiTokenUseView] })
  uses(@CurrentUser() user: AuthUser, @Param('id', new IdPipe()) id: string): Promise<ApiTokenUseView[]> {
    return this.tokens.uses(id, user, 'service');
  }
}
