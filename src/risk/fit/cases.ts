/**
 * The cases a fit learns from and a back-test judges (RISK_MODEL §1, §7), built from a History:
 *  - exposures: every university or college × every third day of the context period, a reference
 *    appearance (in person, public, no branding, no attendance figure) at noon UTC, labelled by
 *    whether a relevant incident happened there that day or the day either side. This is how
 *    imported context (e.g. campus protests) teaches the context and institution coefficients;
 *  - appearances: the organisation's own past appearances (debriefed or cancelled after a hit),
 *    labelled the same way from their venue-local day, or by an incident aimed at us attached to it.
 * Each is predicted as of `leadMs` before its start, from what was recorded by then.
 */
import { DateTime } from 'luxon';
import type { RelationMasks } from '../evidence-sql';
import type { AppearanceAttributes, RiskEvidence } from '../model';
import { DAY } from '../model';
import type { RiskParams } from '../params';
import { evidenceFor, History, HistInstitution, isRelevant } from './history';

export interface Case {
  source: 'exposure' | 'appearance';
  institutionId: string;
  startsAt: number;
  asOf: number;
  attrs: AppearanceAttributes;
  y: 0 | 1;
  /** Whether any incident at all happened there in the same window (the activity outlook's event). */
  yAny: 0 | 1;
  /** Case weight (negatives of a thinned exposure set weigh 1/q). */
  w: number;
  evidence: RiskEvidence;
}

export interface CaseOptions {
  from: number;
  to: number;
  leadMs: number;
  params: RiskParams;
  masks: RelationMasks;
  relations: RiskEvidence['relations'];
  /** Keep at most this many exposures: every positive, and negatives thinned evenly (weighted). */
  maxExposures?: number;
  /** Which institutions get exposures (default: universities and colleges). */
  exposureInstitutions?: (i: HistInstitution) => boolean;
  withAppearances?: boolean;
  withExposures?: boolean;
}

const HOUR = 3_600_000;
const utcDay = (t: number) => Math.floor(t / DAY) * DAY;

/** Sorted times of relevant incidents per institution, for labels. */
export function relevantTimes(h: History, masks: RelationMasks | null): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const x of h.incidents) {
    if (masks && !isRelevant(x, masks)) continue;
    const list = out.get(x.institutionId) ?? [];
    list.push(x.occurredAt);
    out.set(x.institutionId, list);
  }
  for (const l of out.values()) l.sort((a, b) => a - b);
  return out;
}

/** Whether a sorted list has a time in [lo, hi). */
export function anyIn(sorted: number[] | undefined, lo: number, hi: number): boolean {
  if (!sorted?.length) return false;
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (sorted[mid] < lo) a = mid + 1;
    else b = mid;
  }
  return a < sorted.length && sorted[a] < hi;
}

/** The reference appearance of an exposure at an institution. */
export function referenceAttributes(i: HistInstitution): AppearanceAttributes {
  return {
    kind: 'campus_visit',
    format: 'in_person',
    audience: 'public',
    expectedAttendance: null,
    visibleBranding: false,
    protestAnnounced: false,
    limitsImmigrationCooperation: i.limitsImmigrationCooperation,
    ownership: i.ownership,
    highestDegree: i.highestDegree,
    state: i.state,
    reference: true,
  };
}

export const isCampus = (i: HistInstitution) => i.kind === 'university' || i.kind === 'college';

/** Deterministic pseudo-random in [0, 1) from a string (thinning negatives reproducibly). */
export function hash01(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return ((h >>> 0) % 1_000_003) / 1_000_003;
}

export function buildCases(h: History, o: CaseOptions): Case[] {
  const relevant = relevantTimes(h, o.masks);
  const any = relevantTimes(h, null);
  const hits = new Set(h.incidents.filter((x) => x.appearanceId && x.target === 'organisation' && isRelevant(x, o.masks)).map((x) => x.appearanceId as string));
  const pending: Omit<Case, 'evidence'>[] = [];
  if (o.withExposures !== false) {
    const insts = [...h.institutions.values()].filter(o.exposureInstitutions ?? isCampus);
    const exposures: Omit<Case, 'evidence'>[] = [];
    for (let d = utcDay(o.from); d < o.to; d += 3 * DAY) {
      const startsAt = d + 12 * HOUR;
      for (const i of insts) {
        const y = anyIn(relevant.get(i.id), d - DAY, d + 2 * DAY) ? 1 : 0;
        const yAny = anyIn(any.get(i.id), d - DAY, d + 2 * DAY) ? 1 : 0;
        exposures.push({ source: 'exposure', institutionId: i.id, startsAt, asOf: startsAt - o.leadMs, attrs: referenceAttributes(i), y, yAny, w: 1 });
      }
    }
    const max = o.maxExposures ?? Infinity;
    if (exposures.length > max) {
      const pos = exposures.filter((c) => c.y === 1).length;
      const q = Math.max(0.001, (max - pos) / (exposures.length - pos));
      for (const c of exposures) {
        if (c.y === 1) pending.push(c);
        else if (hash01(`${c.institutionId}|${c.startsAt}`) < q) pending.push({ ...c, w: 1 / q });
      }
    } else for (const c of exposures) pending.push(c);
  }
  if (o.withAppearances !== false) {
    for (const a of h.appearances) {
      if (a.startsAt < o.from || a.startsAt >= o.to) continue;
      const hit = hits.has(a.id);
      if (a.status === 'cancelled' && !hit) continue;
      if (a.status === 'planned' || a.status === 'confirmed') continue;
      const local = DateTime.fromMillis(a.startsAt, { zone: a.timeZone }).startOf('day');
      const lo = local.minus({ days: 1 }).toMillis();
      const hi = local.plus({ days: 2 }).toMillis();
      const y = hit || anyIn(relevant.get(a.institutionId), lo, hi) ? 1 : 0;
      const yAny = y || anyIn(any.get(a.institutionId), lo, hi) ? 1 : 0;
      pending.push({ source: 'appearance', institutionId: a.institutionId, startsAt: a.startsAt, asOf: a.startsAt - o.leadMs, attrs: a.attrs, y, yAny, w: 1 });
    }
  }
  const evidence = evidenceFor(
    h,
    pending.map((c) => ({ institutionId: c.institutionId, asOf: c.asOf })),
    o.params,
    o.masks,
    o.relations,
  );
  return pending.map((c, i) => ({ ...c, evidence: evidence[i] }));
}
