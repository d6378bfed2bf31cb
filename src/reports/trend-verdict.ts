import { magnitudePct, pText, ratePair, signedPct } from './report-format';
import { quasiPoissonTrend, QuasiPoissonTrend } from './trend-fit';

/**
 * "Is it getting worse?" in plain words. Input: per month, the appearances held (exposure) and the
 * incidents aimed at the organisation. Every incident in the window counts: a month without
 * appearances passes its incidents to the next month that had some (the last such months to the
 * one before). The trend is a quasi-Poisson regression with a likelihood-ratio test (trend-fit.ts),
 * so months that vary more than chance (protests cluster) widen the range instead of reading as a
 * trend, and a sudden onset — quiet months, then a burst — is called a rise with its p-value.
 *
 * The academic calendar: June to August are quiet on campus, and a lull late in the window pulls
 * the line down (early in it, up). So a fall called with summer months in the later part of the
 * window (a rise with them in the earlier part) is re-tested without the summer months and only
 * called when it holds there too. A rise into summer — an onset in June — is not second-guessed.
 */

export interface MonthCount {
  month: string; // YYYY-MM
  appearances: number;
  incidents: number;
}

export type TrendDirection = 'worse' | 'better' | 'no_clear_change' | 'too_variable' | 'not_enough_data';

export interface TrendFit {
  /** Multiplicative change of the rate per month, minus 1 (0.1 = +10% a month); null = unbounded (an onset). */
  monthlyChange: number | null;
  /** Ends of its 95% range; null where the data do not bound that side. */
  monthlyChangeLow: number | null;
  monthlyChangeHigh: number | null;
  /** Quasi-likelihood F-test p-value of "no change". */
  p: number;
  /** How many times more than Poisson the months vary around the fit (Pearson X² / df); the range allows for max(1, this). */
  dispersion: number;
  /** Months (after carrying) the call rests on, and how many incidents were carried from months without appearances. */
  monthsUsed: number;
  incidentsCarried: number;
  /** Summer months left out of the call (see the module comment). */
  summerMonthsSetAside: string[];
  /** exp(intercept + slope·t) for each month with appearances: the fitted rate per appearance (empty for an onset). */
  fitted: Array<{ month: string; rate: number }>;
}

interface HalfSummary {
  months: string[];
  appearances: number;
  incidents: number;
  rate: number | null;
}

export interface HalvesComparison {
  firstHalf: HalfSummary;
  secondHalf: HalfSummary;
  rateRatio: number | null;
}

export interface TrendVerdict {
  direction: TrendDirection;
  verdict: string;
  fit: TrendFit | null;
  halves: HalvesComparison | null;
}

/** Below these, the report says it cannot tell. */
export const MIN_MONTHS_WITH_APPEARANCES = 4;
export const MIN_INCIDENTS = 5;
/** Calendar months (1–12) of the campus summer lull. */
export const SUMMER_MONTHS: readonly number[] = [6, 7, 8];

interface Period {
  month: string;
  t: number;
  n: number;
  y: number;
}

/** Months with appearances, each carrying the incidents of the empty months before it (trailing ones go to the last). */
export function periodsOf(months: MonthCount[]): { periods: Period[]; carried: number } {
  const periods: Period[] = [];
  let pending = 0;
  let carried = 0;
  months.forEach((m, t) => {
    if (m.appearances > 0) {
      periods.push({ month: m.month, t, n: m.appearances, y: m.incidents + pending });
      pending = 0;
    } else {
      pending += m.incidents;
      carried += m.incidents;
    }
  });
  if (pending > 0 && periods.length) periods[periods.length - 1].y += pending;
  return { periods, carried: periods.length ? carried : 0 };
}

export function compareHalves(months: MonthCount[]): HalvesComparison | null {
  const { periods } = periodsOf(months);
  if (periods.length < 2) return null;
  const mid = Math.floor(periods.length / 2);
  const sum = (xs: Period[]): HalfSummary => {
    const appearances = xs.reduce((s, m) => s + m.n, 0);
    const incidents = xs.reduce((s, m) => s + m.y, 0);
    return { months: xs.map((m) => m.month), appearances, incidents, rate: appearances > 0 ? incidents / appearances : null };
  };
  const firstHalf = sum(periods.slice(0, periods.length - mid));
  const secondHalf = sum(periods.slice(periods.length - mid));
  const rateRatio = firstHalf.rate && secondHalf.rate !== null ? secondHalf.rate / firstHalf.rate : null;
  return { firstHalf, secondHalf, rateRatio };
}

const isSummer = (month: string) => SUMMER_MONTHS.includes(Number(month.slice(5, 7)));
const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
const change = (b: number): number | null => (Number.isFinite(b) ? Math.exp(b) - 1 : b > 0 ? null : -1);

function directionOf(f: QuasiPoissonTrend): 'worse' | 'better' | 'none' {
  if (f.low > 0) return 'worse';
  if (f.high < 0) return 'better';
  return 'none';
}

function rangeWords(f: QuasiPoissonTrend): string {
  const lo = Number.isFinite(f.low) ? signedPct(Math.exp(f.low) - 1) : null;
  const hi = Number.isFinite(f.high) ? signedPct(Math.exp(f.high) - 1) : null;
  if (lo !== null && hi !== null) return `95% range ${lo} to ${hi} a month`;
  if (lo !== null) return `95% range ${lo} a month or more`;
  if (hi !== null) return `95% range ${hi} a month or less`;
  return '95% range unbounded';
}

/** "from about 0.19 to 0.31 per appearance" along the fitted line, first to last month used. */
function alongTheLine(f: QuasiPoissonTrend, periods: Period[]): string {
  const first = Math.exp(f.intercept + f.slope * periods[0].t);
  const last = Math.exp(f.intercept + f.slope * periods[periods.length - 1].t);
  const [a, b] = ratePair(first, last);
  return `from about ${a} to ${b} per appearance along the fitted line`;
}

/** The onset (or its mirror): the data sit at one end, so the line is a step; say what happened. */
function stepWords(periods: Period[], rising: boolean): string {
  const edge = rising ? periods[periods.length - 1] : periods[0];
  const rest = periods.filter((p) => p !== edge);
  const restN = rest.reduce((s, p) => s + p.n, 0);
  return rising
    ? `${plural(edge.y, 'incident')} in ${plural(edge.n, 'appearance')} in ${edge.month}, none in the ${plural(restN, 'appearance')} before`
    : `${plural(edge.y, 'incident')} in ${plural(edge.n, 'appearance')} in ${edge.month}, none in the ${plural(restN, 'appearance')} after`;
}

/** The summer months, when they sit on the side of the window where a lull would produce this direction. */
function lullSide(periods: Period[], dir: 'worse' | 'better'): Period[] {
  const summer = periods.filter((p) => isSummer(p.month));
  if (!summer.length) return [];
  const centre = (xs: Period[]) => xs.reduce((s, p) => s + p.t, 0) / xs.length;
  const late = centre(summer) > centre(periods);
  const early = centre(summer) < centre(periods);
  return (dir === 'better' && late) || (dir === 'worse' && early) ? summer : [];
}

/** The plain-words verdict on the monthly series (months in order, zeros included). */
export function trendVerdict(months: MonthCount[], confidence = 0.95): TrendVerdict {
  const { periods: all, carried } = periodsOf(months);
  const incidents = all.reduce((s, m) => s + m.y, 0);
  const halves = compareHalves(months);
  const span = months.length ? `${months[0].month} to ${months[months.length - 1].month}` : 'the window';
  const carriedWords = carried ? ` ${plural(carried, 'incident')} in months without appearances ${carried === 1 ? 'is' : 'are'} counted with the next month that had appearances.` : '';
  const thin = (periods: Period[]) => periods.length < MIN_MONTHS_WITH_APPEARANCES || periods.reduce((s, m) => s + m.y, 0) < MIN_INCIDENTS;
  if (thin(all)) {
    return {
      direction: 'not_enough_data',
      verdict:
        `Not enough data to say: ${plural(incidents, 'incident')} aimed at us over ${plural(all.length, 'month')} ` +
        `with appearances (${span}). A trend needs at least ${MIN_INCIDENTS} incidents over ${MIN_MONTHS_WITH_APPEARANCES} months; widen the window or wait.${carriedWords}`,
      fit: null,
      halves,
    };
  }
  const fitOn = (periods: Period[]) => quasiPoissonTrend(periods, confidence);
  let periods = all;
  let f = fitOn(periods) as QuasiPoissonTrend; // not null: ≥ 4 months with appearances and ≥ 5 incidents
  let setAside: Period[] = [];
  let dir = directionOf(f);
  if (dir !== 'none') {
    const edge = lullSide(all, dir);
    if (edge.length) {
      const rest = all.filter((p) => !edge.includes(p));
      const g = thin(rest) ? null : fitOn(rest);
      if (!g || directionOf(g) !== dir) {
        const without = g ? `; without them the trend is ${signedPct(Math.exp(g.slope) - 1)} a month (${rangeWords(g)})` : '; without them there is too little to call';
        const seen = dir === 'better' ? 'fall' : 'rise';
        return {
          direction: 'no_clear_change',
          verdict:
            `No clear change outside the summer lull: the ${seen} over ${span} rests on ${edge.map((p) => p.month).join(', ')} ` +
            `(June to August, when campuses are quiet)${without}.${carriedWords}`,
          fit: fitOf(g ?? f, g ? rest : all, carried, edge),
          halves,
        };
      }
      periods = rest;
      f = g;
      setAside = edge;
      dir = directionOf(g);
    }
  }
  const fit = fitOf(f, periods, carried, setAside);
  const noise = f.dispersion > 1.5 ? ` Months vary about ${f.dispersion.toFixed(1)} times more than chance alone would make them; the range allows for it.` : '';
  const aside = setAside.length ? ` The summer months (${setAside.map((p) => p.month).join(', ')}) are left out of the call: a lull there would pull the line the same way.` : '';
  const tail = `${noise}${aside}${carriedWords}`;
  const step = !Number.isFinite(f.slope);
  const evidence = `(${rangeWords(f)}; ${pText(f.p)})`;
  if (dir === 'worse') {
    const verdict = step
      ? `Getting worse: a sudden rise over ${span}, ${stepWords(periods, true)} ${evidence}.${tail}`
      : `Getting worse: incidents aimed at us per appearance rose by about ${magnitudePct(Math.exp(f.slope) - 1)} a month over ${span}, ${alongTheLine(f, periods)} ${evidence}.${tail}`;
    return { direction: 'worse', verdict, fit, halves };
  }
  if (dir === 'better') {
    const verdict = step
      ? `Getting better: incidents aimed at us dropped away over ${span}, ${stepWords(periods, false)} ${evidence}.${tail}`
      : `Getting better: incidents aimed at us per appearance fell by about ${magnitudePct(Math.exp(f.slope) - 1)} a month over ${span}, ${alongTheLine(f, periods)} ${evidence}.${tail}`;
    return { direction: 'better', verdict, fit, halves };
  }
  const estimate = step ? 'a step at one end' : `${signedPct(Math.exp(f.slope) - 1)} a month`;
  if (f.dispersionP < 0.05) {
    return {
      direction: 'too_variable',
      verdict:
        `Too variable to call over ${span}: month to month, incidents aimed at us per appearance vary about ${f.dispersion.toFixed(1)} times more than chance alone ` +
        `would make them, which swamps any trend (estimated ${estimate}, ${rangeWords(f)}).${aside}${carriedWords}`,
      fit,
      halves,
    };
  }
  return {
    direction: 'no_clear_change',
    verdict: `No clear change over ${span}: the estimated trend is ${estimate}, but the ${rangeWords(f)} includes no change.${tail}`,
    fit,
    halves,
  };
}

function fitOf(f: QuasiPoissonTrend, periods: Period[], carried: number, setAside: Period[]): TrendFit {
  return {
    monthlyChange: change(f.slope),
    monthlyChangeLow: Math.exp(f.low) - 1,
    monthlyChangeHigh: Number.isFinite(f.high) ? Math.exp(f.high) - 1 : null,
    p: f.p,
    dispersion: f.dispersion,
    monthsUsed: periods.length,
    incidentsCarried: carried,
    summerMonthsSetAside: setAside.map((p) => p.month),
    fitted: Number.isFinite(f.slope) ? periods.map((p) => ({ month: p.month, rate: Math.exp(f.intercept + f.slope * p.t) })) : [],
  };
}
