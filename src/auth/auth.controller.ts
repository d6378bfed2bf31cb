import { Body, Controller, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
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
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password; returns a bearer token (JWT). Rate-limited per address.' })
  @ApiUnauthorizedResponse({ type: ErrorBody, description: 'Wrong email or password, or the account is disabled' })
  @ApiTooManyRequestsResponse({ type: ErrorBody, description: 'Too many attempts from this address' })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<TokenView> {
    return this.auth.login(dto, ip);
  }
}
