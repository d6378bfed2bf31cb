import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
export class ReportsModule implements OnModuleInit {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Reports read tens of thousands of rows; SQLite's default page cache (2 MiB) makes every warm
   * report re-read its pages from the OS (bench/reports.bench.ts: system time dominated). 64 MiB
   * keeps them. TypeORM's sqlite driver holds one connection, so this applies to all of it.
   */
  async onModuleInit(): Promise<void> {
    if (this.db.options.type !== 'sqlite') return;
    await this.db.query('PRAGMA cache_size = -65536');
    new Logger(ReportsModule.name).debug('SQLite page cache set to 64 MiB for reports');
  }
}
