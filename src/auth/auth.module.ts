import { Global, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { authConfig } from '../config';
import { AttemptLimiter } from './attempt-limiter';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { KeyRing } from './key-ring';
import { KeysModule } from './keys.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttemptCounter } from './attempt-counter.entity';
import { RevokedSession } from './revoked-session.entity';

@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([AttemptCounter, RevokedSession]),
    KeysModule,
    JwtModule.registerAsync({
      imports: [KeysModule],
      inject: [authConfig.KEY, KeyRing],
      useFactory: (c: ConfigType<typeof authConfig>, keys: KeyRing) => ({
        // Asked at every sign and verify: the key ring is loaded after the migrations, not at wiring time.
        secretOrKeyProvider: () => keys.tokenKey,
        signOptions: { expiresIn: c.jwtTtlSeconds, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AttemptLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AttemptLimiter, KeysModule],
})
export class AuthModule {}
