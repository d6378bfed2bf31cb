import { Module } from '@nestjs/common';
import { KeyRing } from './key-ring';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppSecret } from './app-secret.entity';

/** The key ring on its own, so JwtModule's async options can inject it. */
@Module({ imports: [TypeOrmModule.forFeature([AppSecret])], providers: [KeyRing], exports: [KeyRing] })
export class KeysModule {}
