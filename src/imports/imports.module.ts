import { Module } from '@nestjs/common';
import { RiskModule } from '../risk/risk.module';
import { ImportsController } from './imports.controller';
import { ImportUploads } from './import-uploads.service';
import { IncidentImportService } from './incident-import.service';
import { InstitutionExportService } from './institution-export.service';
import { InstitutionImportService } from './institution-import.service';

/** CSV in (institutions, incidents) and out (institutions); incident and ledger exports live with their lists. */
@Module({
  imports: [RiskModule],
  controllers: [ImportsController],
  providers: [ImportUploads, InstitutionImportService, IncidentImportService, InstitutionExportService],
})
export class ImportsModule {}
