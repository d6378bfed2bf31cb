import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth';
import { DomainError } from '../common/errors';
import { validateDto } from '../common/validation';
import { ReportQuery } from '../reports/dto/report-query.dto';
import type { IncidentTrendReport } from '../reports/incident-trend.service';
import type { AccountabilityReport, MitigationsReport } from '../reports/model-report.service';
import type { OutcomesSummaryReport } from '../reports/outcomes-report.service';
import type { ReceptionTrendReport } from '../reports/reception-report.service';
import { ReportsService } from '../reports/reports.service';
import { dashboardView, FilterValues, refusedFiltersView } from './dashboard-page';
import { DashboardViews } from './dashboard-views';
import { DashboardUpcoming } from './dashboard-upcoming';

const FILTER_KEYS = ['from', 'to', 'officeId', 'state', 'kind'] as const;

/** Runs the five reports the dashboard shows (one after another: SQLite has one connection) and renders the page. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly reports: ReportsService,
    private readonly upcoming: DashboardUpcoming,
    private readonly views: DashboardViews,
  ) {}

  /** The page for the raw query: the dashboard, or (400) the form again with the refused field named; `csrf` is the sign-out form's token. */
  async page(raw: Record<string, unknown>, user: AuthUser, csrf: string): Promise<{ status: number; html: string }> {
    const values: FilterValues = Object.fromEntries(FILTER_KEYS.map((k) => [k, typeof raw[k] === 'string' ? (raw[k] as string) : ''])) as unknown as FilterValues;
    const offices = await this.upcoming.offices(user);
    try {
      const q = validateDto(ReportQuery, Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')));
      await this.upcoming.checkState(q.state);
      return { status: 200, html: await this.render(q, user, offices, csrf) };
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 400) throw e;
      return { status: 400, html: this.views.render('refused-filters', refusedFiltersView(user, values, offices, e, csrf)) };
    }
  }

  private async render(q: ReportQuery, user: AuthUser, offices: { id: string; name: string }[], csrf: string): Promise<string> {
    const base: ReportQuery = { from: q.from, to: q.to, officeId: q.officeId, state: q.state, kind: q.kind };
    const trend = (await this.reports.run('incident-trend', base, user)) as IncidentTrendReport;
    const outcomes = (await this.reports.run('outcomes', { ...base, groupBy: 'kind' } as ReportQuery, user)) as OutcomesSummaryReport;
    const model = (await this.reports.run('model-accountability', base, user)) as AccountabilityReport;
    const mitigations = (await this.reports.run('mitigations', base, user)) as MitigationsReport;
    // Reception is shown as of the end of the same window (its own default looks back two years).
    const reception = (await this.reports.run('reception-trend', { to: q.to, state: q.state }, user)) as ReceptionTrendReport;
    const upcoming = await this.upcoming.upcoming({ officeId: q.officeId, state: q.state, kind: q.kind }, user);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(base)) if (v) params.set(k, String(v));
    return this.views.render('dashboard', dashboardView({ user, trend, outcomes, model, mitigations, reception, upcoming, offices, filterQuery: params.toString(), csrf }));
  }
}
