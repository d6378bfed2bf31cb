import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth';
import { ReportQuery } from '../reports/dto/report-query.dto';
import type { IncidentTrendReport } from '../reports/incident-trend.service';
import type { AccountabilityReport, MitigationsReport } from '../reports/model-report.service';
import type { OutcomesSummaryReport } from '../reports/outcomes-report.service';
import type { ReceptionTrendReport } from '../reports/reception-report.service';
import { ReportsService } from '../reports/reports.service';
import { renderDashboard } from './dashboard-page';

/** Runs the five reports the dashboard shows (one after another: SQLite has one connection) and renders the page. */
@Injectable()
export class DashboardService {
  constructor(private readonly reports: ReportsService) {}

  async render(q: ReportQuery, user: AuthUser): Promise<string> {
    const base: ReportQuery = { from: q.from, to: q.to, officeId: q.officeId, state: q.state };
    const trend = (await this.reports.run('incident-trend', base, user)) as IncidentTrendReport;
    const outcomes = (await this.reports.run('outcomes', { ...base, groupBy: 'kind' } as ReportQuery, user)) as OutcomesSummaryReport;
    const model = (await this.reports.run('model-accountability', base, user)) as AccountabilityReport;
    const mitigations = (await this.reports.run('mitigations', base, user)) as MitigationsReport;
    // Reception is shown as of the end of the same window (its own default looks back two years).
    const reception = (await this.reports.run('reception-trend', { to: q.to, state: q.state }, user)) as ReceptionTrendReport;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(base)) if (v) params.set(k, String(v));
    return renderDashboard({ user, trend, outcomes, model, mitigations, reception, filterQuery: params.toString() });
  }
}
