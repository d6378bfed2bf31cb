import type { AuthUser } from '../common/auth';
import { APPEARANCE_KINDS } from '../common/enums';
import type { DomainError } from '../common/errors';
import type { IncidentTrendReport } from '../reports/incident-trend.service';
import type { AccountabilityReport, MitigationsReport } from '../reports/model-report.service';
import type { OutcomesSummaryReport } from '../reports/outcomes-report.service';
import type { ReceptionTrendReport } from '../reports/reception-report.service';
import type { UpcomingRisk } from './dashboard-upcoming';
import { esc, fmt2, page, pct, table } from './html';
import { mitigationsContent, rate } from './dashboard-sections';
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

const KIND_LABELS: Record<string, string> = { career_fair: 'Career fair', info_session: 'Information session', campus_visit: 'Campus visit', community_outreach: 'Community outreach', partnership_meeting: 'Partnership meeting', training: 'Training' };

/** The window and filters form; a refused field gets its reason next to it (aria-describedby). */
export function filtersForm(v: FilterValues, offices: { id: string; name: string }[], user: AuthUser, errors: Record<string, string> = {}): string {
  const err = (k: string) => (errors[k] ? `<span class="field-error" id="${k}-error">${esc(errors[k])}</span>` : '');
  const aria = (k: string) => (errors[k] ? ` aria-invalid="true" aria-describedby="${k}-error"` : '');
  const officeOptions = [
    ...(user.role === 'coordinator' ? [] : [`<option value="">All offices</option>`]),
    ...offices.map((o) => `<option value="${esc(o.id)}"${o.id === v.officeId ? ' selected' : ''}>${esc(o.name)}</option>`),
  ].join('');
  const kindOptions = [`<option value="">All kinds</option>`, ...APPEARANCE_KINDS.map((k) => `<option value="${k}"${k === v.kind ? ' selected' : ''}>${esc(KIND_LABELS[k] ?? k)}</option>`)].join('');
  return `<form method="get" action="/dashboard" class="filters" aria-label="Window and filters">
<label for="from">From<input id="from" name="from" type="date" value="${esc(v.from)}"${aria('from')}>${err('from')}</label>
<label for="to">To (exclusive)<input id="to" name="to" type="date" value="${esc(v.to)}"${aria('to')}>${err('to')}</label>
<label for="officeId">Office<select id="officeId" name="officeId"${aria('officeId')}>${officeOptions}</select>${err('officeId')}</label>
<label for="state">State<input id="state" name="state" size="6" value="${esc(v.state)}"${aria('state')}>${err('state')}</label>
<label for="kind">Kind<select id="kind" name="kind"${aria('kind')}>${kindOptions}</select>${err('kind')}</label>
<button type="submit">Show</button>
</form>`;
}

function header(user: AuthUser): string {
  return `<header><h1>Forewarn — outcomes and trends</h1>
<form method="post" action="/dashboard/logout"><span class="muted">Signed in as ${esc(user.email)} (${esc(user.role)}) </span><button type="submit">Sign out</button></form></header>`;
}

/** The filters refused (400): the form again as typed, each reason next to its field, and a way back. */
export function renderRefusedFilters(user: AuthUser, v: FilterValues, offices: { id: string; name: string }[], e: DomainError): string {
  const fields = e.fields ?? {};
  return page(
    'Forewarn dashboard — check the filters',
    `${header(user)}<main><p class="error" role="alert">${esc(e.message)}${Object.keys(fields).length ? ': correct the marked field below.' : ''}</p>
${filtersForm(v, offices, user, fields)}<p><a href="/dashboard">Back to the default view</a></p></main>`,
  );
}

/** The dashboard page: four charts, each with its table, and CSV download links. */
export function renderDashboard(d: DashboardData): string {
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
    reception.worsenedMost.map((r) => [{ html: `<a href="/dashboard/institutions/${esc(r.institutionId)}">${esc(r.name)}</a>` }, r.state, words(r.institutionKind), r.stanceYearAgo ?? 'no record', r.stanceNow, r.steps, r.declinesInYear]),
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
    ['Kind', 'Appearances', 'Held', 'Completed', 'Disrupted', 'Ended early', 'Cancelled by host', 'Incidents', 'Incidents per appearance', 'Leads', 'Applications', 'Yield per debrief', 'Debriefs due'],
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

  const csv = (path: string, label: string) => `<li><a href="/dashboard/csv/${path}${path.includes('?') ? q : q.replace(/^&/, '?')}" download>${esc(label)}</a></li>`;
  const verdictClass = trend.direction === 'worse' ? 'worse' : trend.direction === 'better' ? 'better' : '';
  const officeName = w.officeId ? (d.offices.find((o) => o.id === w.officeId)?.name ?? 'one office') : 'all offices';
  const kindWords = w.kind ? `; ${(KIND_LABELS[w.kind] ?? w.kind).toLowerCase()}s only` : '';
  const up = d.upcoming;
  const upcomingTable = table(
    'table-upcoming',
    'High and Critical appearances in the next 30 days',
    ['Appearance', 'Institution', 'Starts (venue time)', 'Level'],
    up.serious.map((a) => [{ html: `<a href="/pages/appearances/${esc(a.id)}">${esc(a.title)}</a>` }, a.institutionName, a.startsLocal, a.level]),
  );
  const body = `
${header(d.user)}
<main>
${filtersForm({ from: w.from?.slice(0, 10) ?? '', to: toDateInput(w.to), officeId: w.officeId ?? '', state: w.state ?? '', kind: w.kind ?? '' }, d.offices, d.user)}
<p class="muted">Appearances from <time datetime="${esc(w.from)}">${esc(humanUtc(w.from))}</time> up to <time datetime="${esc(w.to)}">${esc(humanUtc(w.to))}</time>; ${esc(officeName)}${esc(kindWords)}. <strong id="debriefs-due">${outcomes.totals.debriefDue}</strong> debriefs due.</p>

<section aria-labelledby="h-upcoming"><h2 id="h-upcoming">Coming up: the next 30 days</h2>
<ul class="levels" id="upcoming-levels">${up.byLevel.map((l) => `<li><strong>${l.count}</strong> ${esc(l.level)}</li>`).join('')}</ul>
<p id="upcoming-unacknowledged">${up.unacknowledged === 0 ? 'Every High and Critical warning has been acknowledged.' : `<strong>${up.unacknowledged}</strong> ${up.unacknowledged === 1 ? 'appearance has a warning' : 'appearances have warnings'} nobody has acknowledged yet.`}</p>
${upcomingTable}</section>

<section aria-labelledby="h-trend"><h2 id="h-trend">Is it getting worse?</h2>
<p class="verdict ${verdictClass}" id="verdict">${esc(trend.verdict)}</p>
${trendChart}${trendTable}</section>

<section aria-labelledby="h-reception"><h2 id="h-reception">Reception by state</h2>
${receptionChart}${receptionTable}${worsenedTable}</section>

<section aria-labelledby="h-outcomes"><h2 id="h-outcomes">Outcomes by kind</h2>
${outcomesChart}${outcomesTable}</section>

<section aria-labelledby="h-model"><h2 id="h-model">Predicted vs observed, by level</h2>
<p class="muted">${model.notJudged} ended appearances had no assessment before they started and are not judged.</p>
${modelChart}${modelTable}${brierTable}</section>

<section aria-labelledby="h-mitigations"><h2 id="h-mitigations">Did the mitigations help?</h2>
${mitigationsContent(d.mitigations)}</section>

<section aria-labelledby="h-downloads"><h2 id="h-downloads">Download (CSV)</h2><ul class="downloads">
${csv('incident-trend', 'Incidents per appearance by month')}
${csv('reception-trend', 'Reception per quarter, state and institution kind')}
${csv('reception-trend?part=worsened', 'Institutions whose reception worsened most')}
${csv('outcomes?groupBy=kind', 'Outcomes by kind')}
${csv('outcomes?groupBy=month', 'Outcomes by month')}
${csv('outcomes?groupBy=office', 'Outcomes by office')}
${csv('outcomes?groupBy=state', 'Outcomes by state')}
${csv('outcomes?groupBy=institution', 'Outcomes by institution')}
${csv('model-accountability', 'Predicted vs observed by level')}
${csv('model-accountability?part=brier', 'Brier score by month')}
${csv('mitigations', 'Mitigations used vs not used')}
${csv('evidence', 'Evidence report: counts by institution kind and state')}
${csv('evidence?part=examples', 'Evidence report: examples')}
</ul></section>
</main>
<footer><p class="muted">Months are UTC calendar months. Protest context data where imported: Crowd Counting Consortium (Harvard Kennedy School / UConn). Forewarn records what happened to outreach, never who protested.</p></footer>`;
  return page('Forewarn dashboard', body);
}
