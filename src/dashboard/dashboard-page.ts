import type { AuthUser } from '../common/auth';
import { APPEARANCE_KINDS } from '../common/enums';
import type { DomainError } from '../common/errors';
import type { IncidentTrendReport } from '../reports/incident-trend.service';
import type { AccountabilityReport, MitigationsReport } from '../reports/model-report.service';
import type { OutcomesSummaryReport } from '../reports/outcomes-report.service';
import type { ReceptionTrendReport } from '../reports/reception-report.service';
import type { UpcomingRisk } from './dashboard-upcoming';
import { fmt2, markup, pct, table } from './dashboard-views';
import { mitigationsTable, rate } from './dashboard-sections';
import { barChart, stackedBarChart } from './svg-charts';

export interface DashboardData {
  user: AuthUser;
  trend: IncidentTrendReport;
  reception: ReceptionTrendReport;
  outcomes: OutcomesSummaryReport;
  model: AccountabilityReport;
  mitigations: MitigationsReport;
  upcoming: UpcomingRisk;
  /** Offices the user may pick (coordinators: their own). */
  offices: { id: string; name: string }[];
  /** Query string (without '?') that reproduces the window and filters, for links. */
  filterQuery: string;
  /** The sign-out form's CSRF token. */
  csrf: string;
}

// Colours chosen for ≥ 4.5:1 contrast against white where they carry text, and distinguishable in greyscale.
const BLUE = '#1f4e79';
const ORANGE = '#b35900';
const RED = '#a50026';
const GREY = '#595959';
const STANCE_COLORS: Record<string, string> = { welcoming: '#1b7837', neutral: '#7a7a7a', cautious: '#b8860b', restricted: '#d45500', hostile: '#a50026' };
/**
 * Every colour a chart fills with, for the contrast check (each ≥ 3:1 against the white page; bars
 * stand apart from their neighbours by white gaps — grouped bars by spacing, stacked segments by a
 * 2 px white separator — so no two fills touch, and the legend names each).
 */
export const CHART_COLOURS = [BLUE, ORANGE, RED, GREY, ...Object.values(STANCE_COLORS)];
const words = (s: string) => s.replace(/_/g, ' ');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The "to" date field: the window's end date, or the next day when the end is not a UTC midnight
 * (the default end is now), so pressing Show again keeps today in the window.
 */
export function toDateInput(isoString: string | null | undefined): string {
  if (!isoString) return '';
  const t = Date.parse(isoString);
  if (Number.isNaN(t)) return '';
  const day = 86_400_000;
  return new Date(t % day === 0 ? t : t - (t % day) + day).toISOString().slice(0, 10);
}

/** "1 Dec 2025", or "16 Nov 2026, 15:00 UTC" when the instant is not midnight UTC (the default `to` is now). */
export function humanUtc(isoString: string | null | undefined): string {
  if (!isoString) return '—';
  const d = new Date(isoString);
  if (Number.isNaN(d.getTime())) return isoString;
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  const midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
  return midnight ? day : `${day}, ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

/** What the filter form shows (as typed). */
export interface FilterValues {
  from: string;
  to: string;
  officeId: string;
  state: string;
  kind: string;
}

const KIND_LABELS: Record<string, string> = {
  career_fair: 'Career fair',
  info_session: 'Information session',
  campus_visit: 'Campus visit',
  community_outreach: 'Community outreach',
  partnership_meeting: 'Partnership meeting',
  training: 'Training',
};

export interface FilterField {
  value: string;
  error: string | null;
}

/** What the filter form partial (views/_filters.hbs) reads: each field as typed with its refusal, and the choices. */
export interface FiltersView {
  from: FilterField;
  to: FilterField;
  officeId: FilterField;
  state: FilterField;
  kind: FilterField;
  officeOptions: { value: string; label: string; selected: boolean }[];
  kindOptions: { value: string; label: string; selected: boolean }[];
}

/** The window and filters form; a refused field gets its reason next to it (aria-describedby). */
export function filtersView(v: FilterValues, offices: { id: string; name: string }[], user: AuthUser, errors: Record<string, string> = {}): FiltersView {
  const field = (k: keyof FilterValues): FilterField => ({ value: v[k], error: errors[k] ?? null });
  return {
    from: field('from'),
    to: field('to'),
    officeId: field('officeId'),
    state: field('state'),
    kind: field('kind'),
    officeOptions: [
      ...(user.role === 'coordinator' ? [] : [{ value: '', label: 'All offices', selected: false }]),
      ...offices.map((o) => ({ value: o.id, label: o.name, selected: o.id === v.officeId })),
    ],
    kindOptions: [{ value: '', label: 'All kinds', selected: false }, ...APPEARANCE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] ?? k, selected: k === v.kind }))],
  };
}

/** The filters refused (400): the form again as typed, each reason next to its field, and a way back (views/refused-filters.hbs). */
export function refusedFiltersView(user: AuthUser, v: FilterValues, offices: { id: string; name: string }[], e: DomainError, csrf: string): object {
  const fields = e.fields ?? {};
  return { title: 'Forewarn dashboard — check the filters', user, csrf, message: e.message, hasFields: Object.keys(fields).length > 0, filters: filtersView(v, offices, user, fields) };
}

/** The dashboard page (views/dashboard.hbs): the forward look, four charts each with its table, and CSV download links. */
export function dashboardView(d: DashboardData): object {
  const { trend, reception, outcomes, model } = d;
  const q = d.filterQuery ? `&${d.filterQuery}` : '';
  const w = trend.window;

  const trendChart = barChart({
    id: 'chart-incidents',
    title: 'Incidents aimed at us per appearance, by month',
    desc: `Bars: incidents per appearance each month with a 95% range (wider where several incidents hit one appearance); dashed line: the fitted trend. ${trend.verdict}`,
    categories: trend.months.map((m) => m.month),
    series: [{ name: 'Incidents per appearance', color: BLUE, values: trend.months.map((m) => m.rate), intervals: trend.months.map((m) => ({ low: m.low, high: m.high })) }],
    line: trend.trend ? { name: 'Trend', color: ORANGE, values: trend.months.map((m) => m.fitted) } : undefined,
    yLabel: 'per appearance',
  });
  const trendTable = table(
    'table-incidents',
    'Incidents aimed at us per appearance, by month',
    ['Month', 'Appearances', 'Incidents', 'Severe', 'Per appearance', '95% range', 'Trend'],
    trend.months.map((m) => [m.month, m.appearances, m.incidents, m.severe, rate(m.rate), m.low === null ? '—' : `${rate(m.low)}–${rate(m.high)}`, rate(m.fitted)]),
  );

  const states = reception.byState.slice(0, 25);
  const receptionChart = stackedBarChart({
    id: 'chart-reception',
    title: 'Reception by state: institutions by their current stance',
    desc: `${reception.byState.reduce((s, r) => s + r.institutions, 0)} institutions with a recorded reception, in ${reception.byState.length} states; the ${states.length} with most institutions are shown.`,
    categories: states.map((s) => s.state || '(none)'),
    stacks: (['welcoming', 'neutral', 'cautious', 'restricted', 'hostile'] as const).map((st) => ({ name: st, color: STANCE_COLORS[st], values: states.map((s) => s[st]) })),
  });
  const receptionTable = table(
    'table-reception',
    'Institutions by current stance, per state',
    ['State', 'Institutions', 'Welcoming', 'Neutral', 'Cautious', 'Restricted', 'Hostile'],
    reception.byState.map((s) => [s.state || '(none)', s.institutions, s.welcoming, s.neutral, s.cautious, s.restricted, s.hostile]),
  );
  const worsenedTable = table(
    'table-worsened',
    'Institutions whose reception worsened most in the last year',
    ['Institution', 'State', 'Kind', 'A year ago', 'Now', 'Steps worse', 'Declines in the year'],
    reception.worsenedMost.map((r) => [
      { text: r.name, href: `/dashboard/institutions/${r.institutionId}` },
      r.state,
      words(r.institutionKind),
      r.stanceYearAgo ?? 'no record',
      r.stanceNow,
      r.steps,
      r.declinesInYear,
    ]),
  );

  const kinds = outcomes.rows;
  const outcomesChart = barChart({
    id: 'chart-outcomes',
    title: 'Outcomes by appearance kind',
    desc: `Held appearances, and those disrupted, ended early or cancelled by the host, per kind of appearance, ${w.from?.slice(0, 10)} to ${w.to?.slice(0, 10)}.`,
    categories: kinds.map((k) => words(k.label)),
    series: [
      { name: 'Held', color: BLUE, values: kinds.map((k) => k.held) },
      { name: 'Disrupted', color: RED, values: kinds.map((k) => k.disrupted) },
      { name: 'Ended early', color: ORANGE, values: kinds.map((k) => k.endedEarly) },
      { name: 'Cancelled by host', color: GREY, values: kinds.map((k) => k.cancelledByHost) },
    ],
    yLabel: 'appearances',
  });
  const outcomesTable = table(
    'table-outcomes',
    'Outcomes by appearance kind',
    [
      'Kind',
      'Appearances',
      'Held',
      'Completed',
      'Disrupted',
      'Ended early',
      'Cancelled by host',
      'Incidents',
      'Incidents per appearance',
      'Leads',
      'Applications',
      'Yield per debrief',
      'Debriefs due',
    ],
    [...kinds, outcomes.totals].map((k) => [
      k.key === 'total' ? 'All kinds' : words(k.label),
      k.appearances,
      k.held,
      k.completed,
      k.disrupted,
      k.endedEarly,
      k.cancelledByHost,
      k.incidents,
      fmt2(k.incidentsPerAppearance),
      k.leads,
      k.applications,
      fmt2(k.yieldPerAppearance),
      k.debriefDue,
    ]),
  );

  const modelChart = barChart({
    id: 'chart-model',
    title: 'Predicted vs observed disruption, by predicted level',
    desc: `For each level: the mean predicted probability and the share of appearances actually disrupted (95% range). Brier score ${fmt2(model.brier.brier)} over ${model.brier.appearances} appearances.`,
    categories: model.levels.map((l) => l.level),
    series: [
      { name: 'Predicted (mean p)', color: GREY, values: model.levels.map((l) => l.meanPredicted) },
      { name: 'Observed', color: BLUE, values: model.levels.map((l) => l.observedRate), intervals: model.levels.map((l) => ({ low: l.observedLow, high: l.observedHigh })) },
    ],
    yLabel: 'share disrupted',
    yMax: 1,
    format: (v) => `${Math.round(v * 100)}%`,
  });
  const modelTable = table(
    'table-model',
    'Predicted level against what happened',
    ['Level', 'Appearances', 'Disrupted', 'Not disrupted', 'Mean predicted', 'Observed', '95% range', 'Incidents per appearance'],
    model.levels.map((l) => [
      l.level,
      l.appearances,
      l.disrupted,
      l.notDisrupted,
      pct(l.meanPredicted),
      pct(l.observedRate),
      l.observedLow === null ? '—' : `${pct(l.observedLow)}–${pct(l.observedHigh)}`,
      fmt2(l.incidentsPerAppearance.rate),
    ]),
  );
  const brierTable = table(
    'table-brier',
    'Brier score by month (lower is better; reference = always predicting the base rate)',
    ['Month', 'Appearances', 'Brier', 'Reference', 'Skill'],
    [...model.brierByMonth, model.brier].map((b) => [b.month === 'all' ? 'Whole window' : b.month, b.appearances, fmt2(b.brier), fmt2(b.reference), fmt2(b.skill)]),
  );

  const csv = (path: string, label: string) => ({ href: `/dashboard/csv/${path}${path.includes('?') ? q : q.replace(/^&/, '?')}`, label });
  const verdictClass = trend.direction === 'worse' ? 'worse' : trend.direction === 'better' ? 'better' : '';
  const officeName = w.officeId ? (d.offices.find((o) => o.id === w.officeId)?.name ?? 'one office') : 'all offices';
  const kindWords = w.kind ? `; ${(KIND_LABELS[w.kind] ?? w.kind).toLowerCase()}s only` : '';
  const up = d.upcoming;
  const upcomingTable = table(
    'table-upcoming',
    'High and Critical appearances in the next 30 days',
    ['Appearance', 'Institution', 'Starts (venue time)', 'Level'],
    up.serious.map((a) => [{ text: a.title, href: `/pages/appearances/${a.id}` }, a.institutionName, a.startsLocal, a.level]),
  );
  const mitigations = mitigationsTable(d.mitigations);
  return {
    title: 'Forewarn dashboard',
    user: d.user,
    csrf: d.csrf,
    filters: filtersView({ from: w.from?.slice(0, 10) ?? '', to: toDateInput(w.to), officeId: w.officeId ?? '', state: w.state ?? '', kind: w.kind ?? '' }, d.offices, d.user),
    window: { from: w.from ?? '', to: w.to ?? '', fromWords: humanUtc(w.from), toWords: humanUtc(w.to), officeName, kindWords },
    debriefsDue: outcomes.totals.debriefDue,
    upcoming: {
      byLevel: up.byLevel,
      unacknowledged: up.unacknowledged,
      unacknowledgedWords: up.unacknowledged === 1 ? 'appearance has a warning' : 'appearances have warnings',
    },
    verdict: { class: verdictClass, text: trend.verdict },
    notJudged: model.notJudged,
    mitigationsWarning: d.mitigations.warning,
    charts: { trend: markup(trendChart), reception: markup(receptionChart), outcomes: markup(outcomesChart), model: markup(modelChart) },
    tables: {
      upcoming: upcomingTable,
      trend: trendTable,
      reception: receptionTable,
      worsened: worsenedTable,
      outcomes: outcomesTable,
      model: modelTable,
      brier: brierTable,
      mitigations,
    },
    downloads: [
      csv('incident-trend', 'Incidents per appearance by month'),
      csv('reception-trend', 'Reception per quarter, state and institution kind'),
      csv('reception-trend?part=worsened', 'Institutions whose reception worsened most'),
      csv('outcomes?groupBy=kind', 'Outcomes by kind'),
      csv('outcomes?groupBy=month', 'Outcomes by month'),
      csv('outcomes?groupBy=office', 'Outcomes by office'),
      csv('outcomes?groupBy=state', 'Outcomes by state'),
      csv('outcomes?groupBy=institution', 'Outcomes by institution'),
      csv('model-accountability', 'Predicted vs observed by level'),
      csv('model-accountability?part=brier', 'Brier score by month'),
      csv('mitigations', 'Mitigations used vs not used'),
      csv('evidence', 'Evidence report: counts by institution kind and state'),
      csv('evidence?part=examples', 'Evidence report: examples'),
    ],
  };
}
