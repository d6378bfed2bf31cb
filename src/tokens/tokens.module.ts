import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiToken } from './api-token.entity';
import { ApiTokenUse } from './api-token-use.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensScheduler } from './api-tokens.scheduler';
import { ApiTokensService } from './api-tokens.service';
import { TokenUseCounter } from './token-use-counter';

/** Personal and service API tokens; global because the one auth guard checks them. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ApiToken, ApiTokenUse])],
  controllers: [ApiTokensController],
  providers: [ApiTokensService, ApiTokensScheduler, TokenUseCounter],
  exports: [ApiTokensService],
})
export class TokensModule {}
