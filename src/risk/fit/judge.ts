/**
 * The back-test of a parameter set on history it did not see (RISK_MODEL §7), at two levels:
 *  (a) appearance level: each held-out case (reference appearances every third day at every
 *      campus, and the organisation's own appearances) predicted as of a day before its start;
 *  (b) institution level: at the held-out origin, which campuses see a relevant protest (our
 *      affiliation's or activity's topics) — and any protest — before the end of the data.
 * Each beside four baselines computed on the same split, every one turned into a probability by a
 * one-feature logistic calibration on the fit period only: base rate, any prior protest at the
 * institution, count of prior protests, recency-weighted count (half-life 180 days).
 * The verdict: the set beats every baseline on held-out AUC and log loss, at both levels. Pure.
 */
import { DAY, levelFor } from '../model';
import type { RiskParams } from '../params';
import type { RelationMasks } from '../evidence-sql';
import type { RiskEvidence } from '../model';
import { buildCases, Case, isCampus, referenceAttributes } from './cases';
import { predictCases, predictOutlook } from './fit';
import { evidenceFor, History, isRelevant } from './history';
import { bootstrap, brierSkill, calibrate, Interval, reliability, ReliabilityBin, scores, Scores } from './scores';

export const BASELINES = ['baseRate', 'anyPrior', 'priorCount', 'recencyCount'] as const;
export type Baseline = (typeof BASELINES)[number];
const RECENCY_HALF_LIFE_DAYS = 180;

export interface Split {
  /** Fit period [fitFrom, origin); held out [origin, testTo). */
  fitFrom: number;
  origin: number;
  testTo: number;
  leadMs: number;
  /** Institution level: how far ahead (default 28 days), the same at the fit and the held-out origin. */
  horizonDays?: number;
}

export interface Comparison {
  scores: Record<'model' | Baseline, Scores & { brierSkill: number | null }>;
  auc95: Record<string, Interval>;
  /** model − baseline, 95% bootstrap interval (units: institutions). Negative log loss / Brier and positive AUC favour the model. */
  differences: { logLoss: Record<string, Interval>; brier: Record<string, Interval>; auc: Record<string, Interval> };
  reliability: ReliabilityBin[];
  beatsEveryBaseline: boolean;
}

export interface JudgeReport {
  version: string;
  split: { fit: string; heldOut: string; leadHours: number; institutionOrigins: { fit: string; heldOut: string } };
  appearanceLevel: Comparison & { byLevel: { level: string; count: number; positives: number; observed: number | null; meanPredicted: number | null }[] };
  institutionLevel: { relevant: Comparison; anyProtest: Comparison; institutions: number; horizonDays: number };
  beatsEveryBaseline: boolean;
  verdict: string;
}

type Counts = { any: boolean; count: number; recency: number };

/** Prior protests (any incident at the institution, known by as-of) for the count baselines. */
function priorCounts(h: History, queries: { institutionId: string; asOf: number }[]): Counts[] {
  const by = new Map<string, { known: number; at: number }[]>();
  for (const x of h.incidents) {
    const l = by.get(x.institutionId) ?? [];
    l.push({ known: Math.max(x.recordedAt, x.occurredAt), at: x.occurredAt });
    by.set(x.institutionId, l);
  }
  const lambda = Math.LN2 / (RECENCY_HALF_LIFE_DAYS * DAY);
  return queries.map((q) => {
    let count = 0;
    let recency = 0;
    for (const x of by.get(q.institutionId) ?? []) {
      if (x.known > q.asOf) continue;
      count++;
      recency += Math.exp(-lambda * (q.asOf - x.at));
    }
    return { any: count > 0, count, recency };
  });
}

const baselineScore = (c: Counts, b: Baseline) => (b === 'baseRate' ? 0 : b === 'anyPrior' ? (c.any ? 1 : 0) : b === 'priorCount' ? Math.log1p(c.count) : Math.log1p(c.recency));

function compare(test: { y: number[]; units: number[]; model: number[]; baselines: Record<Baseline, number[]> }): Comparison {
  const forecasts: Record<string, number[]> = { model: test.model, ...test.baselines };
  const names = ['model', ...BASELINES] as const;
  const base = scores(test.baselines.baseRate, test.y);
  const sc = Object.fromEntries(
    names.map((n) => {
      const s = scores(forecasts[n], test.y);
      return [n, { ...s, brierSkill: brierSkill(s.brier, base.brier) }];
    }),
  ) as Comparison['scores'];
  const pairs = BASELINES.map((b) => ['model', b] as [string, string]);
  const boot = bootstrap(test.units, test.y, forecasts, ['logLoss', 'brier', 'auc'], pairs);
  const [bLog, bBrier, bAuc] = [boot.logLoss, boot.brier, boot.auc];
  const beats = BASELINES.every((b) => sc.model.logLoss < sc[b].logLoss && (sc.model.auc ?? 0) > (sc[b].auc ?? 0.5));
  return {
    scores: sc,
    auc95: bAuc.single,
    differences: { logLoss: bLog.diff, brier: bBrier.diff, auc: bAuc.diff },
    reliability: reliability(test.model, test.y),
    beatsEveryBaseline: beats,
  };
}

export interface JudgeInput {
  history: History;
  params: RiskParams;
  masks: RelationMasks;
  relations: RiskEvidence['relations'];
  split: Split;
  /** Fit-period cases already built (reused), and the held-out ones. */
  fitCases: Case[];
  testCases?: Case[];
  /** Institutions judged at institution level (default: every university and college). */
  universe?: Set<string>;
}

export function judge(input: JudgeInput): JudgeReport {
  const { history: h, params, masks, relations, split } = input;
  const test = input.testCases ?? buildCases(h, { from: split.origin, to: split.testTo, leadMs: split.leadMs, params, masks, relations });
  const unitOf = new Map<string, number>();
  const unit = (id: string) => {
    if (!unitOf.has(id)) unitOf.set(id, unitOf.size);
    return unitOf.get(id) as number;
  };

  // (a) appearance level
  const trainCounts = priorCounts(h, input.fitCases);
  const testCounts = priorCounts(h, test);
  const trainY = input.fitCases.map((c) => c.y);
  const trainW = input.fitCases.map((c) => c.w);
  const baselinesA = Object.fromEntries(
    BASELINES.map((b) => {
      const cal = calibrate(
        trainCounts.map((c) => baselineScore(c, b)),
        trainY,
        trainW,
      );
      return [b, testCounts.map((c) => cal(baselineScore(c, b)))];
    }),
  ) as Record<Baseline, number[]>;
  const pA = predictCases(test, params);
  const yA = test.map((c) => c.y);
  const a = compare({ y: yA, units: test.map((c) => unit(c.institutionId)), model: pA, baselines: baselinesA });
  const byLevel = (['low', 'moderate', 'high', 'critical'] as const).map((level) => {
    const ix = pA.map((_, i) => i).filter((i) => levelFor(pA[i], pA[i] * 0.1, params) === level);
    const pos = ix.reduce((s, i) => s + yA[i], 0);
    return { level, count: ix.length, positives: pos, observed: ix.length ? pos / ix.length : null, meanPredicted: ix.length ? ix.reduce((s, i) => s + pA[i], 0) / ix.length : null };
  });

  // (b) institution level: fit origin halfway through the fit period, held-out origin = split.origin
  const campuses = [...h.institutions.values()].filter((i) => isCampus(i) && (!input.universe || input.universe.has(i.id)));
  const incidentsOf = new Map<string, History['incidents']>();
  for (const x of h.incidents) {
    const l = incidentsOf.get(x.institutionId);
    if (l) l.push(x);
    else incidentsOf.set(x.institutionId, [x]);
  }
  // the same horizon at both origins, so a calibration fitted on the first applies to the second
  const horizon = Math.min(split.horizonDays ?? 28, Math.floor((split.origin - split.fitFrom) / DAY) - 14) * DAY;
  const fitOrigin = split.origin - horizon;
  const level = (origin: number, until: number) => {
    const ev = evidenceFor(
      h,
      campuses.map((i) => ({ institutionId: i.id, asOf: origin })),
      params,
      masks,
      relations,
    );
    // the model's chance of at least one relevant incident in the horizon, window by window (3 days)
    const windows: Case[] = [];
    campuses.forEach((i, k) => {
      for (let d = origin; d < until; d += 3 * DAY)
        windows.push({ source: 'exposure', institutionId: i.id, startsAt: d + 1.5 * DAY, asOf: origin, attrs: referenceAttributes(i), y: 0, yAny: 0, w: 1, evidence: ev[k] });
    });
    const pw = predictCases(windows, params);
    const pwAny = predictOutlook(windows, params);
    const none = new Map<string, number>();
    const noneAny = new Map<string, number>();
    windows.forEach((w, j) => {
      none.set(w.institutionId, (none.get(w.institutionId) ?? 1) * (1 - pw[j]));
      noneAny.set(w.institutionId, (noneAny.get(w.institutionId) ?? 1) * (1 - pwAny[j]));
    });
    const relevantY: number[] = [];
    const anyY: number[] = [];
    for (const i of campuses) {
      const xs = (incidentsOf.get(i.id) ?? []).filter((x) => x.occurredAt >= origin && x.occurredAt < until);
      relevantY.push(xs.some((x) => isRelevant(x, masks)) ? 1 : 0);
      anyY.push(xs.length ? 1 : 0);
    }
    const counts = priorCounts(
      h,
      campuses.map((i) => ({ institutionId: i.id, asOf: origin })),
    );
    const clip = (x: number) => Math.min(1 - 1e-9, Math.max(1e-9, x));
    const model = campuses.map((i) => clip(1 - (none.get(i.id) ?? 1)));
    const modelAny = campuses.map((i) => clip(1 - (noneAny.get(i.id) ?? 1)));
    return { model, modelAny, counts, relevantY, anyY };
  };
  const fitL = level(fitOrigin, split.origin);
  const testL = level(split.origin, Math.min(split.testTo, split.origin + horizon));
  const units = campuses.map((i) => unit(i.id));
  const institutionComparison = (label: 'relevantY' | 'anyY') => {
    const baselines = Object.fromEntries(
      BASELINES.map((b) => {
        const cal = calibrate(
          fitL.counts.map((c) => baselineScore(c, b)),
          fitL[label],
        );
        return [b, testL.counts.map((c) => cal(baselineScore(c, b)))];
      }),
    ) as Record<Baseline, number[]>;
    // the model's own probabilities (p for relevant protests, the activity outlook for any protest): never re-calibrated on the held-out part
    return compare({ y: testL[label], units, model: label === 'relevantY' ? testL.model : testL.modelAny, baselines });
  };
  const relevant = institutionComparison('relevantY');
  const anyProtest = institutionComparison('anyY');
  const beats = a.beatsEveryBaseline && relevant.beatsEveryBaseline && anyProtest.beatsEveryBaseline;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const verdict = beats
    ? `VERDICT: ${params.version} beats every baseline (base rate, any prior protest, count, recency-weighted count) on held-out AUC and log loss at both levels.`
    : `VERDICT: ${params.version} does NOT beat every baseline on held-out AUC and log loss (appearance level ${a.beatsEveryBaseline ? 'yes' : 'no'}, institutions/relevant ${relevant.beatsEveryBaseline ? 'yes' : 'no'}, institutions/any protest ${anyProtest.beatsEveryBaseline ? 'yes' : 'no'}).`;
  return {
    version: params.version,
    split: {
      fit: `${day(split.fitFrom)} to ${day(split.origin - 1)}`,
      heldOut: `${day(split.origin)} to ${day(split.testTo - 1)}`,
      leadHours: split.leadMs / 3_600_000,
      institutionOrigins: { fit: `${day(fitOrigin)} (labels to ${day(split.origin - 1)})`, heldOut: `${day(split.origin)} (labels to ${day(Math.min(split.testTo, split.origin + horizon) - 1)})` },
    },
    appearanceLevel: { ...a, byLevel },
    institutionLevel: { relevant, anyProtest, institutions: campuses.length, horizonDays: Math.round(horizon / DAY) },
    beatsEveryBaseline: beats,
    verdict,
  };
}
