import { Module } from '@nestjs/common';
import { EvidenceReportService } from './evidence-report.service';
import { IncidentTrendService } from './incident-trend.service';
import { ModelReportService } from './model-report.service';
import { OutcomesReportService } from './outcomes-report.service';
import { ReceptionReportService } from './reception-report.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** HR reports: set-based SQL in the services, arithmetic in pure functions beside them. */
@Module({
  controllers: [ReportsController],
  providers: [ReportsService, OutcomesReportService, IncidentTrendService, ReceptionReportService, ModelReportService, EvidenceReportService],
  exports: [ReportsService],
})
export class ReportsModule {}
