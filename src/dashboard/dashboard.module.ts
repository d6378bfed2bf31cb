import { Module } from '@nestjs/common';
import { AppearancesModule } from '../appearances/appearances.module';
import { AttentionModule } from '../attention/attention.module';
import { PageViews } from '../pages/page-views';
import { TimelineModule } from '../timeline/timeline.module';
import { ReportsModule } from '../reports/reports.module';
import { DashboardUpcoming } from './dashboard-upcoming';
import { InstitutionDrillDown } from './institution-drill-down';
import { DashboardController } from './dashboard.controller';
import { DashboardCsrf, DashboardSessionGuard } from '../pages/dashboard-session';
import { DashboardService } from './dashboard.service';
import { DashboardHtmlFilter } from './dashboard-html.filter';
import { DashboardViews } from './dashboard-views';

/** The read-only HR dashboard (server-rendered HTML + SVG, cookie sign-in). */
@Module({
  imports: [ReportsModule, AppearancesModule, AttentionModule, TimelineModule],
  controllers: [DashboardController],
  providers: [
    DashboardService,
    DashboardSessionGuard,
    DashboardCsrf,
    DashboardUpcoming,
    InstitutionDrillDown,
    DashboardViews,
    DashboardHtmlFilter,
    { provide: PageViews, useFactory: () => new PageViews() },
  ],
})
export class DashboardModule {}
