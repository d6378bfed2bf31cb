import { Global, Module } from '@nestjs/common';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensScheduler } from './api-tokens.scheduler';
import { ApiTokensService } from './api-tokens.service';
import { TokenUseCounter } from './token-use-counter';

/** Personal and service API tokens; global because the one auth guard checks them. */
@Global()
@Module({ controllers: [ApiTokensController], providers: [ApiTokensService, ApiTokensScheduler, TokenUseCounter], exports: [ApiTokensService] })
export class TokensModule {}
