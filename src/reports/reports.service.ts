import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { OutcomesSummaryQuery, ReportQuery } from './dto/report-query.dto';
import { EvidenceReportService } from './evidence-report.service';
import { IncidentTrendService } from './incident-trend.service';
import { ModelReportService } from './model-report.service';
import { OutcomesReportService } from './outcomes-report.service';
import { ReceptionReportService } from './reception-report.service';
import { AnyReport } from './report-csv';
import { resolveScope } from './report-scope';

export const REPORT_NAMES = ['outcomes', 'incident-trend', 'reception-trend', 'model-accountability', 'mitigations', 'evidence'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** Default window per report, in calendar months ending with the current one. */
const DEFAULT_MONTHS: Record<ReportName, number> = {
  outcomes: 12,
  'incident-trend': 12,
  'reception-trend': 24,
  'model-accountability': 12,
  mitigations: 12,
  evidence: 12,
};

/** Resolves the caller's scope (window, filters, office limit) and runs one report. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly clock: Clock,
    private readonly outcomes: OutcomesReportService,
    private readonly trend: IncidentTrendService,
    private readonly reception: ReceptionReportService,
    private readonly model: ModelReportService,
    private readonly evidence: EvidenceReportService,
  ) {}

  run(name: ReportName, q: ReportQuery, user: AuthUser): Promise<AnyReport> {
    const scope = resolveScope(q, user, this.clock.now(), DEFAULT_MONTHS[name]);
    switch (name) {
      case 'outcomes':
        return this.outcomes.summary(scope, (q as OutcomesSummaryQuery).groupBy ?? 'month');
      case 'incident-trend':
        return this.trend.report(scope);
      case 'reception-trend':
        return this.reception.report(scope);
      case 'model-accountability':
        return this.model.accountability(scope);
      case 'mitigations':
        return this.model.mitigations(scope);
      case 'evidence':
        return this.evidence.report(scope);
    }
  }
}
