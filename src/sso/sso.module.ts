import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { SsoService } from './sso.service';

/** OpenID Connect sign-in (the pages module serves its two routes). */
@Module({ imports: [UsersModule], providers: [SsoService], exports: [SsoService] })
export class SsoModule {}
