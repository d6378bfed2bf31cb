import { Module } from '@nestjs/common';
import { ImportsModule } from '../imports/imports.module';
import { RiskModule } from '../risk/risk.module';
import { InstitutionExportService } from './institution-export.service';
import { InstitutionImportController } from './institution-import.controller';
import { InstitutionImportService } from './institution-import.service';
import { InstitutionsController } from './institutions.controller';
import { InstitutionsService } from './institutions.service';

@Module({
  imports: [RiskModule, ImportsModule],
  controllers: [InstitutionsController, InstitutionImportController],
  providers: [InstitutionsService, InstitutionImportService, InstitutionExportService],
  exports: [InstitutionsService],
})
export class InstitutionsModule {}
