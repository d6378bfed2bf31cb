import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { DashboardController } from './dashboard.controller';
import { DashboardSessionGuard } from './dashboard-session';
import { DashboardService } from './dashboard.service';

/** The read-only HR dashboard (server-rendered HTML + SVG, cookie sign-in). */
@Module({
  imports: [ReportsModule],
  controllers: [DashboardController],
  providers: [DashboardService, DashboardSessionGuard],
})
export class DashboardModule {}
