import { applyDecorators, Controller, Get, Headers, Query, Res, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { OutcomesSummaryQuery, ReportQuery } from './dto/report-query.dto';
import { AccountabilityReportView, EvidenceReportView, IncidentTrendReportView, MitigationsReportView, OutcomesReportView, ReceptionTrendReportView } from './dto/report-views.dto';
import { AnyReport, reportCsv } from './report-csv';
import { ReportName, ReportsService } from './reports.service';

/** Sends CSV when the client asks for text/csv, JSON otherwise. */
export function wantsCsv(accept: string | undefined): boolean {
  return /\btext\/csv\b/i.test(accept ?? '');
}

export function sendCsv(reply: FastifyReply, report: AnyReport, part?: string): string {
  const { filename, body } = reportCsv(report, part);
  reply.header('Content-Type', 'text/csv; charset=utf-8');
  reply.header('Content-Disposition', `attachment; filename="${filename}"`);
  return body;
}

/** The report as JSON (its schema), or one of its tables as CSV with Accept: text/csv. */
function ReportResponse(view: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(view),
    ApiOkResponse({
      description: 'The report as JSON; with `Accept: text/csv`, one of its tables as CSV (`part`)',
      content: { 'application/json': { schema: { $ref: getSchemaPath(view) } }, 'text/csv': { schema: { type: 'string' } } },
    }),
  );
}

const CSV_NOTE = ' JSON by default; CSV with `Accept: text/csv` (`part` picks the table). hr, admin, and coordinators (own office).';

@ApiTags('reports')
@ApiBearerAuth()
@Roles('hr', 'admin', 'coordinator')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  private async answer(name: ReportName, q: ReportQuery, user: AuthUser, accept: string | undefined, reply: FastifyReply): Promise<AnyReport | string> {
    const report = await this.reports.run(name, q, user);
    return wantsCsv(accept) ? sendCsv(reply, report, q.part) : report;
  }

  @Get('outcomes')
  @ApiOperation({ summary: 'Outcomes summary grouped by institution, state, office, kind or month.' + CSV_NOTE })
  @ReportResponse(OutcomesReportView)
  outcomes(@Query() q: OutcomesSummaryQuery, @CurrentUser() u: AuthUser, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('outcomes', q, u, accept, reply);
  }

  @Get('incident-trend')
  @ApiOperation({ summary: '"Is it getting worse?": monthly incidents aimed at us per appearance, with intervals and a verdict.' + CSV_NOTE })
  @ReportResponse(IncidentTrendReportView)
  incidentTrend(@Query() q: ReportQuery, @CurrentUser() u: AuthUser, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('incident-trend', q, u, accept, reply);
  }

  @Get('reception-trend')
  @ApiOperation({ summary: 'Reception trend: stance changes and declines per quarter by state and institution kind; who worsened most.' + CSV_NOTE })
  @ReportResponse(ReceptionTrendReportView)
  receptionTrend(@Query() q: ReportQuery, @CurrentUser() u: AuthUser, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('reception-trend', q, u, accept, reply);
  }

  @Get('model-accountability')
  @ApiOperation({ summary: 'Predicted level vs observed outcome, Brier score by month, observed rate per level.' + CSV_NOTE })
  @ReportResponse(AccountabilityReportView)
  modelAccountability(@Query() q: ReportQuery, @CurrentUser() u: AuthUser, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('model-accountability', q, u, accept, reply);
  }

  @Get('mitigations')
  @ApiOperation({ summary: 'Each mitigation: appearances that used it vs comparable ones (same level) that did not.' + CSV_NOTE })
  @ReportResponse(MitigationsReportView)
  mitigations(@Query() q: ReportQuery, @CurrentUser() u: AuthUser, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('mitigations', q, u, accept, reply);
  }

  @Get('evidence')
  @ApiOperation({ summary: 'Whole-organisation evidence: declined partnerships, restricted access, cancellations, disruptions, by institution kind and state.' + CSV_NOTE })
  @ReportResponse(EvidenceReportView)
  evidence(@Query() q: ReportQuery, @CurrentUser() u: AuthUser, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('evidence', q, u, accept, reply);
  }
}
