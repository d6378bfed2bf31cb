import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthContributors } from './health-contributors';
import { HealthController } from './health.controller';

@Global()
@Module({ imports: [TerminusModule], controllers: [HealthController], providers: [HealthContributors], exports: [HealthContributors] })
export class HealthModule {}
