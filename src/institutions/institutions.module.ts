import { Module } from '@nestjs/common';
import { RiskModule } from '../risk/risk.module';
import { InstitutionsController } from './institutions.controller';
import { InstitutionsService } from './institutions.service';

@Module({ imports: [RiskModule], controllers: [InstitutionsController], providers: [InstitutionsService], exports: [InstitutionsService] })
export class InstitutionsModule {}
