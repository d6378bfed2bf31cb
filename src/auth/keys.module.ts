import { Module } from '@nestjs/common';
import { KeyRing } from './key-ring';

/** The key ring on its own, so JwtModule's async options can inject it. */
@Module({ providers: [KeyRing], exports: [KeyRing] })
export class KeysModule {}
