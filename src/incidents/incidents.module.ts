import { Module } from '@nestjs/common';
import { AppearancesModule } from '../appearances/appearances.module';
import { ImportsModule } from '../imports/imports.module';
import { RiskModule } from '../risk/risk.module';
import { IncidentImportController } from './incident-import.controller';
import { IncidentImportService } from './incident-import.service';
import { IncidentStateListener } from './incident-state.listener';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { RetentionService } from './retention.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Incident } from './incident.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Incident]), RiskModule, AppearancesModule, ImportsModule],
  controllers: [IncidentsController, IncidentImportController],
  providers: [IncidentsService, RetentionService, IncidentStateListener, IncidentImportService],
  exports: [IncidentsService, RetentionService],
})
export class IncidentsModule {}
