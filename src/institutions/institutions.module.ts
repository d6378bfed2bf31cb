import { Module } from '@nestjs/common';
import { ImportsModule } from '../imports/imports.module';
import { RiskModule } from '../risk/risk.module';
import { InstitutionExportService } from './institution-export.service';
import { InstitutionImportController } from './institution-import.controller';
import { InstitutionImportService } from './institution-import.service';
import { InstitutionsController } from './institutions.controller';
import { InstitutionsService } from './institutions.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Institution } from './institution.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Institution]), RiskModule, ImportsModule],
  controllers: [InstitutionsController, InstitutionImportController],
  providers: [InstitutionsService, InstitutionImportService, InstitutionExportService],
  exports: [InstitutionsService],
})
export class InstitutionsModule {}
