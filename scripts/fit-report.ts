/** The back-test report in words and tables (what `npm run backtest` and `npm run risk:fit` print). */
import type { FittedSet } from '../src/risk/fit/fit';
import type { Comparison, JudgeReport } from '../src/risk/fit/judge';
import { BASELINES } from '../src/risk/fit/judge';

const f4 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'undefined' : Math.abs(x) < 0.01 && x !== 0 ? x.toPrecision(3) : x.toFixed(4));
const pc = (x: number | null) => (x === null ? '    —  ' : `${(x * 100).toFixed(2).padStart(6)}%`);
const ci = (i: { estimate: number | null; low: number | null; high: number | null }) => `${f4(i.estimate)} [${f4(i.low)}, ${f4(i.high)}]`;
const NAMES: Record<string, string> = {
  model: 'model',
  baseRate: 'base rate',
  anyPrior: 'any prior protest',
  priorCount: 'count of prior protests',
  recencyCount: 'recency-weighted count (180 d)',
};

function comparison(title: string, c: Comparison): string[] {
  const out = [`### ${title}`];
  const m = c.scores.model;
  out.push(`cases ${m.n}, positive ${m.positives} (${((m.positives / (m.n || 1)) * 100).toFixed(2)}%)`);
  out.push(`${'forecaster'.padEnd(32)} ${'AUC [95% bootstrap]'.padEnd(28)} ${'log loss'.padEnd(9)} ${'Brier'.padEnd(9)} BSS vs base rate`);
  for (const k of ['model', ...BASELINES] as const) {
    const s = c.scores[k];
    out.push(`${NAMES[k].padEnd(32)} ${ci(c.auc95[k]).padEnd(28)} ${f4(s.logLoss).padEnd(9)} ${f4(s.brier).padEnd(9)} ${f4(s.brierSkill)}`);
  }
  out.push('model − baseline, 95% bootstrap interval over institutions (log loss and Brier: below 0 favours the model; AUC: above 0):');
  for (const b of BASELINES) {
    const key = `model−${b}`;
    out.push(`  vs ${NAMES[b].padEnd(30)} log loss ${ci(c.differences.logLoss[key])}   Brier ${ci(c.differences.brier[key])}   AUC ${ci(c.differences.auc[key])}`);
  }
  out.push('reliability (model): predicted bin, count, mean predicted, observed');
  for (const b of c.reliability) if (b.count) out.push(`  ${b.bin.padEnd(14)} ${String(b.count).padStart(7)}  ${pc(b.predicted)}  ${pc(b.observed)}`);
  out.push(`beats every baseline on AUC and log loss: ${c.beatsEveryBaseline ? 'yes' : 'no'}`);
  return out;
}

export function formatFit(f: FittedSet): string {
  const out = [`## Fit of ${f.params.version}`];
  out.push(
    `cases: ${f.cases.total} (${f.cases.exposures} reference exposures, ${f.cases.appearances} own appearances), ${f.cases.positives} positive; Fisher scoring ${f.fit.converged ? 'converged' : 'did NOT converge'} in ${f.fit.iterations} iterations; mean log loss ${f4(f.fit.logLoss)}`,
  );
  out.push(
    `prior strengths: m_state ${f.priorStrengths.mState}, m_institution ${f.priorStrengths.mInstitution} (${f.priorStrengths.source === 'estimated' ? `estimated from ${f.priorStrengths.institutionsWithRecord} institutions with an own record` : 'defaults: too little own record to estimate them'})`,
  );
  out.push(`${'coefficient'.padEnd(30)} ${'prior OR'.padEnd(9)} ${'fitted OR'.padEnd(10)} ${'sd(β)'.padEnd(8)} data share`);
  for (const t of f.table) out.push(`${t.id.padEnd(30)} ${t.priorOddsRatio.toFixed(3).padEnd(9)} ${t.oddsRatio.toFixed(3).padEnd(10)} ${t.sd.toFixed(3).padEnd(8)} ${(t.dataShare * 100).toFixed(0)}%`);
  out.push('(data share 0%: the data said nothing about it, so it stays at its prior)');
  return out.join('\n');
}

export function formatJudge(r: JudgeReport): string {
  const out = [`## Back-test of ${r.version}`];
  out.push(`fit on ${r.split.fit}; held out ${r.split.heldOut}; every case predicted ${r.split.leadHours} h before its start from what was recorded by then.`);
  out.push('');
  out.push(...comparison('(a) appearance level: reference appearances every third day at every campus (+ own appearances)', r.appearanceLevel));
  out.push('observed rate per level (held out): level, cases, positives, mean predicted, observed');
  for (const l of r.appearanceLevel.byLevel) out.push(`  ${l.level.padEnd(9)} ${String(l.count).padStart(7)} ${String(l.positives).padStart(5)}  ${pc(l.meanPredicted)}  ${pc(l.observed)}`);
  out.push('');
  const i = r.institutionLevel;
  out.push(
    `(b) institution level, ${i.institutions} institutions; calibration fitted at origin ${r.split.institutionOrigins.fit}, judged at origin ${r.split.institutionOrigins.heldOut} (${i.horizonDays} days ahead)`,
  );
  out.push(...comparison('relevant protest (our affiliation or activity topics) in the horizon', i.relevant));
  out.push(...comparison('any protest in the horizon', i.anyProtest));
  out.push('');
  out.push('Protest data: Crowd Counting Consortium (Harvard Kennedy School / UConn); institutions: College Scorecard.');
  out.push(r.verdict);
  return out.join('\n');
}
