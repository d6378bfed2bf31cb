/**
 * Rolling-origin back-test of the risk model (RISK_MODEL §7), shared by `npm run backtest` and the
 * campus-2024 recipe. Each appearance is predicted with only what was recorded before its briefing
 * time (start − lead), by the same set-based SQL the service uses; its label is whether an incident
 * aimed at the organisation (a disruptive kind) was ever recorded against it.
 */
import { DataSource } from 'typeorm';
import { DISRUPTIVE_KINDS } from '../src/common/enums';
import { gatherEvidence } from '../src/risk/evidence';
import { attributesFromRow } from '../src/risk/risk-targets';
import { AppearanceAttributes, assessRisk, RiskEvidence } from '../src/risk/model';
import { OddsRatios, RiskParams, withOddsRatios } from '../src/risk/params';

const HOUR = 3_600_000;
type Row = Record<string, unknown>;

export interface BacktestCase {
  appearanceId: string;
  institutionId: string;
  startsAt: number;
  asOf: number;
  y: 0 | 1;
  attrs: AppearanceAttributes;
  evidence: RiskEvidence;
  /** Baseline 1: overall base rate known at asOf (Laplace-smoothed). */
  baseRate: number;
  /** Baseline 2: rate for "institution had a prior incident" or not, known at asOf. */
  priorIncident: number;
}

export interface BuildOptions {
  from: number;
  to: number;
  leadMs: number;
  params: RiskParams;
  /** Labels from elsewhere (e.g. the campus recipe's context-only variant) instead of incidents aimed at us. */
  labels?: Map<string, 0 | 1>;
}

/** Loads the appearances to judge and gathers their evidence, one evidence pass per distinct as-of hour. */
export async function buildCases(ds: DataSource, o: BuildOptions): Promise<BacktestCase[]> {
  const kinds = DISRUPTIVE_KINDS.map((k) => `'${k}'`).join(', ');
  const apps = (await ds.query(
    `SELECT a.id, a.institution_id, i.state, i.limits_immigration_cooperation, a.kind, a.format, a.audience, a.expected_attendance,
            a.visible_branding, a.protest_announced, a.starts_at, a.created_at, a.status,
            (SELECT MIN(x.recorded_at) FROM incidents x WHERE x.appearance_id = a.id AND x.target = 'organisation' AND x.kind IN (${kinds})) AS hit_recorded_at
     FROM appearances a JOIN institutions i ON i.id = a.institution_id`,
  )) as Row[];
  const unattached = (await ds.query(
    `SELECT x.institution_id, x.recorded_at FROM incidents x WHERE x.appearance_id IS NULL AND x.target = 'organisation' AND x.kind IN (${kinds})`,
  )) as Row[];
  const all = apps.map((r) => ({
    id: String(r.id),
    institutionId: String(r.institution_id),
    state: String(r.state ?? ''),
    startsAt: Number(r.starts_at),
    createdAt: Number(r.created_at),
    cancelled: r.status === 'cancelled',
    hitAt: r.hit_recorded_at === null || r.hit_recorded_at === undefined ? null : Number(r.hit_recorded_at),
    row: r,
  }));
  const loose = unattached.map((r) => ({ institutionId: String(r.institution_id), recordedAt: Number(r.recorded_at) }));
  const judged = all.filter((a) => a.startsAt >= o.from && a.startsAt < o.to && (!a.cancelled || a.hitAt !== null));

  const byAsOf = new Map<number, typeof judged>();
  for (const a of judged) {
    const asOf = Math.floor((a.startsAt - o.leadMs) / HOUR) * HOUR;
    const list = byAsOf.get(asOf) ?? [];
    list.push(a);
    byAsOf.set(asOf, list);
  }
  const cases: BacktestCase[] = [];
  for (const [asOf, list] of [...byAsOf].sort((x, y) => x[0] - y[0])) {
    const insts = [...new Map(list.map((a) => [a.institutionId, a.state])).entries()].map(([id, state]) => ({ id, state }));
    const ev = (await gatherEvidence(ds.manager, asOf, insts, o.params)).byInstitution;

    // Baselines from what was known at asOf: past appearances (hit known if recorded by asOf) + loose incidents.
    const past = all.filter((a) => a.startsAt <= asOf && a.createdAt <= asOf && (!a.cancelled || (a.hitAt !== null && a.hitAt <= asOf)));
    const hitKnown = (a: (typeof all)[number]) => a.hitAt !== null && a.hitAt <= asOf;
    const looseKnown = loose.filter((l) => l.recordedAt <= asOf);
    const flagged = new Set<string>([...past.filter(hitKnown).map((a) => a.institutionId), ...looseKnown.map((l) => l.institutionId)]);
    const n = past.length + looseKnown.length;
    const k = past.filter(hitKnown).length + looseKnown.length;
    const base = (k + 1) / (n + 2);
    const inG = past.filter((a) => flagged.has(a.institutionId));
    const outG = past.filter((a) => !flagged.has(a.institutionId));
    const looseIn = looseKnown.length; // loose incidents are all at flagged institutions
    const pHi = (inG.filter(hitKnown).length + looseIn + base * 2) / (inG.length + looseIn + 2);
    const pLo = (outG.filter(hitKnown).length + base * 2) / (outG.length + 2);

    for (const a of list) {
      const r = a.row;
      cases.push({
        appearanceId: a.id,
        institutionId: a.institutionId,
        startsAt: a.startsAt,
        asOf,
        y: o.labels ? (o.labels.get(a.id) ?? 0) : a.hitAt !== null ? 1 : 0,
        attrs: attributesFromRow(r),
        evidence: ev.get(a.institutionId) as RiskEvidence,
        baseRate: base,
        priorIncident: flagged.has(a.institutionId) ? pHi : pLo,
      });
    }
  }
  return cases;
}

// ---- scoring ---------------------------------------------------------------------------------

export interface Scores {
  n: number;
  positives: number;
  brier: number;
  brierSkill: number;
  logLoss: number;
  auc: number;
}

const EPS = 1e-6;

export function scores(p: number[], y: number[], refBrier?: number): Scores {
  const n = p.length;
  let brier = 0;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    brier += (p[i] - y[i]) ** 2;
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]));
    ll -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  brier /= n || 1;
  ll /= n || 1;
  return { n, positives: y.filter((v) => v === 1).length, brier, brierSkill: refBrier ? 1 - brier / refBrier : 0, logLoss: ll, auc: auc(p, y) };
}

/** AUC by the rank-sum (Mann–Whitney) statistic with average ranks for ties. */
export function auc(p: number[], y: number[]): number {
  const idx = p.map((v, i) => [v, y[i]] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && idx[j][0] === idx[i][0]) j++;
    const avg = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) {
      if (idx[t][1] === 1) {
        rankSum += avg;
        pos++;
      }
    }
    i = j;
  }
  const neg = idx.length - pos;
  if (!pos || !neg) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export const BINS = [0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 1.0001];

export function reliability(p: number[], y: number[]) {
  return BINS.slice(0, -1).map((lo, b) => {
    const hi = BINS[b + 1];
    const ix = p.map((v, i) => i).filter((i) => p[i] >= lo && p[i] < hi);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);
    return { bin: `${lo.toFixed(2)}–${Math.min(1, hi).toFixed(2)}`, count: ix.length, predicted: mean(ix.map((i) => p[i])), observed: mean(ix.map((i) => y[i])) };
  });
}

export interface Report {
  window: { from: string; to: string; leadHours: number };
  modelVersion: string;
  model: Scores;
  baselines: { baseRate: Scores; priorIncident: Scores };
  beatsBothOnLogLoss: boolean;
  reliability: ReturnType<typeof reliability>;
  byLevel: { level: string; count: number; observed: number | null; meanPredicted: number | null }[];
}

export function evaluate(cases: BacktestCase[], params: RiskParams, window: { from: number; to: number; leadMs: number }): Report {
  const results = cases.map((c) => assessRisk(c.evidence, c.attrs, params, c.startsAt - c.asOf));
  const p = results.map((r) => r.p);
  const y = cases.map((c) => c.y);
  const base = scores(
    cases.map((c) => c.baseRate),
    y,
  );
  const model = scores(p, y, base.brier);
  const prior = scores(
    cases.map((c) => c.priorIncident),
    y,
    base.brier,
  );
  const byLevel = ['low', 'moderate', 'high', 'critical'].map((level) => {
    const ix = results.map((r, i) => i).filter((i) => results[i].level === level);
    return {
      level,
      count: ix.length,
      observed: ix.length ? ix.reduce((s, i) => s + y[i], 0) / ix.length : null,
      meanPredicted: ix.length ? ix.reduce((s, i) => s + p[i], 0) / ix.length : null,
    };
  });
  return {
    window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(), leadHours: window.leadMs / HOUR },
    modelVersion: params.version,
    model,
    baselines: { baseRate: base, priorIncident: prior },
    beatsBothOnLogLoss: model.logLoss < base.logLoss && model.logLoss < prior.logLoss,
    reliability: reliability(p, y),
    byLevel,
  };
}

/**
 * Penalised maximum likelihood for some odds ratios: minimise mean log loss + λ·Σ(β − β₀)² (β = ln OR,
 * β₀ = the starting values as priors) by coordinate search on β. Evidence is fixed, so only the pure
 * model is re-run. `minOddsRatio` bounds odds ratios from below (a projected search: a step that
 * would cross the bound stops on it), e.g. 1 for signals that can only add risk.
 */
export function fitOddsRatios(
  cases: BacktestCase[],
  base: RiskParams,
  keys: (keyof OddsRatios)[],
  lambda: number,
  version: string,
  minOddsRatio: Partial<Record<keyof OddsRatios, number>> = {},
): RiskParams {
  const y = cases.map((c) => c.y);
  const beta0 = Object.fromEntries(keys.map((k) => [k, Math.log(base.oddsRatios[k])])) as Record<string, number>;
  const lower = Object.fromEntries(keys.map((k) => [k, minOddsRatio[k] === undefined ? -Infinity : Math.log(minOddsRatio[k] as number)])) as Record<string, number>;
  // start from the priors, moved onto the bound where they violate it (the penalty stays centred on the priors)
  const beta = Object.fromEntries(keys.map((k) => [k, Math.max(lower[k], beta0[k])])) as Record<string, number>;
  const loss = (b: Record<string, number>) => {
    const prm = withOddsRatios(base, Object.fromEntries(keys.map((k) => [k, Math.exp(b[k])])), version);
    const p = cases.map((c) => assessRisk(c.evidence, c.attrs, prm, c.startsAt - c.asOf).p);
    return scores(p, y).logLoss + lambda * keys.reduce((s, k) => s + (b[k] - beta0[k]) ** 2, 0);
  };
  let best = loss(beta);
  for (const step of [1, 0.5, 0.25, 0.1, 0.05, 0.02]) {
    let improved = true;
    let rounds = 0;
    while (improved && rounds++ < 20) {
      improved = false;
      for (const k of keys) {
        for (const dir of [1, -1]) {
          const next = Math.max(lower[k], beta[k] + dir * step);
          if (next === beta[k]) continue;
          const trial = { ...beta, [k]: next };
          const l = loss(trial);
          if (l < best - 1e-9) {
            best = l;
            Object.assign(beta, trial);
            improved = true;
          }
        }
      }
    }
  }
  return withOddsRatios(base, Object.fromEntries(keys.map((k) => [k, Math.round(Math.exp(beta[k]) * 1000) / 1000])), version);
}

// ---- printing --------------------------------------------------------------------------------

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '  n/a ');
const pc = (x: number | null) => (x === null ? '   —  ' : `${(x * 100).toFixed(1).padStart(5)}%`);

export function formatReport(title: string, r: Report): string {
  const lines: string[] = [];
  lines.push(`## ${title}`);
  lines.push(`window ${r.window.from.slice(0, 10)} → ${r.window.to.slice(0, 10)}, briefing ${r.window.leadHours} h before start, model ${r.modelVersion}`);
  lines.push(`appearances ${r.model.n}, with an incident ${r.model.positives} (${((r.model.positives / (r.model.n || 1)) * 100).toFixed(2)}%)`);
  lines.push('                         Brier    BSS(vs base)  log loss   AUC');
  const row = (name: string, s: Scores) => lines.push(`${name.padEnd(24)} ${f4(s.brier)}   ${f4(s.brierSkill).padStart(8)}      ${f4(s.logLoss)}   ${f4(s.auc)}`);
  row('model', r.model);
  row('baseline: base rate', r.baselines.baseRate);
  row('baseline: prior incident', r.baselines.priorIncident);
  lines.push(
    r.beatsBothOnLogLoss
      ? 'VERDICT: the model beats both baselines on log loss.'
      : 'VERDICT: the model does NOT beat both baselines on log loss.',
  );
  lines.push('reliability (model): bin, count, mean predicted, observed');
  for (const b of r.reliability) if (b.count) lines.push(`  ${b.bin.padEnd(10)} ${String(b.count).padStart(6)}  ${pc(b.predicted)}  ${pc(b.observed)}`);
  lines.push('observed incident rate per level: level, count, mean predicted, observed');
  for (const l of r.byLevel) lines.push(`  ${l.level.padEnd(9)} ${String(l.count).padStart(6)}  ${pc(l.meanPredicted)}  ${pc(l.observed)}`);
  return lines.join('\n');
}
