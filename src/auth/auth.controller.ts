import { Body, Controller, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { AuthService } from './auth.service';
import { LoginDto, TokenView } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password; returns a bearer token (JWT). Rate-limited per address and per account.' })
  @ApiOkResponse({ type: TokenView })
  @ApiUnauthorizedResponse({ type: ErrorBody, description: 'Wrong email or password, or the account is disabled' })
  @ApiTooManyRequestsResponse({ type: ErrorBody, description: 'Too many attempts from this address or for this account' })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<TokenView> {
    return this.auth.login(dto, ip);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this session: the token stops working on every instance' })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(@Headers('authorization') header: string): Promise<void> {
    await this.auth.logout(header.replace(/^Bearer\s+/i, ''));
  }
}
