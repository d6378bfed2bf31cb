/**
 * The demo's past: about sixteen months of appearances by the three demo offices at the demo
 * institutions of their region, each assessed by the real RiskService with the clock set to the
 * planning day before it (so every stored snapshot saw only what was recorded by then), then
 * debriefed, with the incidents aimed at the organisation and the reception entries that followed.
 *
 * Illustrative, not a record of what the named bodies did (see data-fixtures/demo/README.md).
 * Deterministic: a seeded pseudo-random generator, dates relative to the clock's "now". No names
 * in free text (notes and reasons come from the fixed phrases below and pass the privacy guard).
 */
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, In } from 'typeorm';
import { AppearanceRecruiter } from '../src/appearances/appearance-recruiter.entity';
import { Appearance } from '../src/appearances/appearance.entity';
import type { AppearanceKind, IncidentKind, OutcomeResult, Stance } from '../src/common/enums';
import { assertNoPersonalData } from '../src/common/privacy/privacy-guard';
import { Incident } from '../src/incidents/incident.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { ReceptionEntry } from '../src/reception/reception-entry.entity';
import { RISK_MITIGATIONS } from '../src/risk/mitigations';
import { RiskService } from '../src/risk/risk.service';

export interface SettableClock {
  now(): number;
  set(ms: number): void;
}

export type OfficeKey = 'cleveland' | 'nashville' | 'newyork';

export interface HistoryContext {
  offices: Record<OfficeKey, string>;
  /** The recruiter of each office (assigned, and the one who files the debrief). */
  recruiters: Record<OfficeKey, string>;
  coordinatorId: string;
}

export interface HistorySummary {
  appearances: number;
  assessments: number;
  outcomes: number;
  debriefsDue: number;
  incidents: number;
  reception: number;
  from: string;
}

const DAY = 86_400_000;
const MONTHS_BACK = 16;
/** Which states each office works in, and its zone. */
const REGIONS: Record<OfficeKey, { states: string[]; zone: string; perWeekday: number }> = {
  cleveland: { states: ['OH', 'PA'], zone: 'America/New_York', perWeekday: 0.32 },
  nashville: { states: ['TN'], zone: 'America/Chicago', perWeekday: 0.3 },
  newyork: { states: ['NY', 'NJ'], zone: 'America/New_York', perWeekday: 0.34 },
};

const SHAPES: Record<AppearanceKind, { title: string; venue: string; hours: [number, number]; attendance: [number, number]; audience: 'public' | 'invite_only' }> = {
  career_fair: { title: 'Career fair', venue: 'Student center hall', hours: [10, 14], attendance: [150, 600], audience: 'public' },
  info_session: { title: 'Careers information session', venue: 'Career services room', hours: [16, 17], attendance: [25, 120], audience: 'public' },
  campus_visit: { title: 'Campus visit', venue: 'Career services office', hours: [13, 15], attendance: [15, 60], audience: 'invite_only' },
  community_outreach: { title: 'Community outreach table', venue: 'Community center', hours: [11, 14], attendance: [30, 150], audience: 'public' },
  partnership_meeting: { title: 'Partnership meeting', venue: 'Department headquarters', hours: [9, 10], attendance: [4, 12], audience: 'invite_only' },
  training: { title: 'Joint training day', venue: 'Training room', hours: [9, 15], attendance: [10, 40], audience: 'invite_only' },
};

/** How often each kind meets a disruption in this illustrative past (before the trend and mitigations). */
const BASE_RATE: Record<AppearanceKind, number> = { career_fair: 0.08, info_session: 0.05, campus_visit: 0.03, community_outreach: 0.04, partnership_meeting: 0.015, training: 0.01 };

const NOTES: Record<OutcomeResult, string[]> = {
  as_planned: ['Steady traffic at the table all day.', 'Good questions about the application process.', 'Host staff were helpful; room as booked.', 'Quiet start, busy last hour.'],
  disrupted: [
    'A protest outside the room delayed the start; the session went ahead.',
    'The table was moved by the host after chanting near the entrance.',
    'Leaflets defaced at the table; staff stayed and finished.',
  ],
  ended_early: ['Left early on the advice of host security after the table was surrounded.', 'Ended an hour early when the crowd grew; exit plan used.'],
  cancelled_by_host: ['Host cancelled two days before, citing safety concerns.', 'Host withdrew the room the week before.'],
  cancelled_by_us: ['Cancelled by the office after the go / no-go review.'],
  moved_virtual: ['Moved to a virtual session at the host request; fewer attendees.'],
};

const RECEPTION_REASONS: Record<string, string[]> = {
  invitation_declined: ['No invitation for this term after student government objections.', 'Career office declined the booth request for the spring fair.'],
  partnership_declined: ['Declined a joint recruiting session because of the affiliation.', 'Declined to renew the shared training arrangement.'],
  access_restricted: ['Access to the career services building limited to virtual sessions.', 'Records requests now go through the general counsel office only.'],
  welcomed: ['Hosted the session again and asked for a return visit.', 'Career office confirmed the standing invitation.'],
  appearance_cancelled_by_host: ['Host cancelled the booked appearance, citing safety concerns.'],
};

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Inst {
  id: string;
  name: string;
  state: string;
  kind: string;
}

interface Plan {
  row: Appearance;
  office: OfficeKey;
  /** The planning day: created and first assessed then. */
  asOf: number;
  /** Ended yesterday and waits for its debrief (the debrief-request mail goes out on the first scheduler tick). */
  awaitingDebrief?: boolean;
}

type Pending = { at: number; incident?: Incident; reception?: ReceptionEntry };

export async function seedHistory(app: INestApplication, clock: SettableClock, ctx: HistoryContext): Promise<HistorySummary> {
  const ds = app.get(DataSource);
  const risk = app.get(RiskService);
  const now = clock.now();
  const rand = rng(20_201_026);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));

  const insts = ((await ds.query('SELECT id, name, state, kind FROM institutions ORDER BY name, id')) as Inst[]).filter((i) => Object.values(REGIONS).some((r) => r.states.includes(i.state)));
  const start = DateTime.fromMillis(now, { zone: 'UTC' }).minus({ months: MONTHS_BACK }).startOf('month');
  const plans: Plan[] = [];
  for (const [office, region] of Object.entries(REGIONS) as [OfficeKey, (typeof REGIONS)[OfficeKey]][]) {
    const pool = insts.filter((i) => region.states.includes(i.state));
    for (let day = start.setZone(region.zone); day.toMillis() < now - 2 * DAY; day = day.plus({ days: 1 })) {
      if (day.weekday > 5) continue;
      // Fewer appearances in summer and over the winter break; more in the fair seasons.
      const season = [0, 0.5, 1.2, 1.3, 1.1, 0.6, 0.3, 0.3, 0.9, 1.4, 1.4, 1.0, 0.4][day.month];
      if (rand() >= region.perWeekday * season) continue;
      const inst = pick(pool);
      const kind: AppearanceKind =
        inst.kind === 'university' || inst.kind === 'college'
          ? pick(['career_fair', 'career_fair', 'info_session', 'info_session', 'campus_visit'] as const)
          : inst.kind === 'community_organisation'
            ? 'community_outreach'
            : pick(['partnership_meeting', 'training'] as const);
      const shape = SHAPES[kind];
      const local = day.set({ hour: shape.hours[0], minute: rand() < 0.5 ? 0 : 30, second: 0, millisecond: 0 });
      const startsAt = local.toMillis();
      const endsAt = local.plus({ hours: shape.hours[1] - shape.hours[0] + 1.5 }).toMillis();
      // Planned on a Monday one to four weeks before (a weekly planning meeting, 14:00 UTC).
      const monday = DateTime.fromMillis(startsAt, { zone: 'UTC' })
        .startOf('week')
        .minus({ weeks: between(1, 4) })
        .set({ hour: 14 });
      const asOf = monday.toMillis();
      const inPerson = rand();
      const row = ds.getRepository(Appearance).create({
        id: randomUUID(),
        institutionId: inst.id,
        officeId: ctx.offices[office],
        kind,
        title: shape.title,
        startsAt,
        endsAt,
        timeZone: region.zone,
        venue: shape.venue,
        format: inPerson < 0.82 ? 'in_person' : inPerson < 0.92 ? 'hybrid' : 'virtual',
        audience: shape.audience,
        expectedAttendance: between(shape.attendance[0], shape.attendance[1]),
        visibleBranding: kind === 'career_fair' ? rand() < 0.7 : rand() < 0.3,
        ...pastDefaults(ctx, asOf),
      } as Partial<Appearance>);
      plans.push({ row, office, asOf });
    }
  }
  plans.push(yesterday(ds, now, insts, ctx));
  plans.sort((a, b) => a.asOf - b.asOf || a.row.startsAt - b.row.startsAt);

  // Every appearance exists from the start; the risk evidence only counts rows created (and
  // incidents recorded) by its as-of, so later rows do not leak into earlier snapshots.
  await chunked(
    ds,
    Appearance,
    plans.map((p) => p.row),
  );
  await chunked(
    ds,
    AppearanceRecruiter,
    plans.map((p) => ({ appearanceId: p.row.id, userId: ctx.recruiters[p.office] })),
  );

  const pending: Pending[] = [];
  const outcomes: Outcome[] = [];
  const updates: Appearance[] = [];
  let incidents = 0;
  let reception = 0;
  const flush = async (upTo: number) => {
    pending.sort((a, b) => a.at - b.at);
    let n = 0;
    while (n < pending.length && pending[n].at <= upTo) n++;
    const due = pending.splice(0, n);
    await chunked(
      ds,
      Incident,
      due.flatMap((d) => (d.incident ? [d.incident] : [])),
    );
    await chunked(
      ds,
      ReceptionEntry,
      due.flatMap((d) => (d.reception ? [d.reception] : [])),
    );
  };
  const incident = (p: Plan, kind: IncidentKind, o: { at: number; severity: number; impact: Incident['impact']; crowd: Incident['crowdSize']; inst: Inst }) => {
    const recordedAt = o.at + between(2, 30) * 3_600_000;
    incidents++;
    pending.push({
      at: recordedAt,
      incident: ds.getRepository(Incident).create({
        id: randomUUID(),
        institutionId: p.row.institutionId,
        state: o.inst.state,
        appearanceId: p.row.id,
        kind,
        occurredAt: o.at,
        recordedAt,
        severity: o.severity,
        crowdSize: o.crowd,
        impact: o.impact,
        target: 'organisation',
        source: 'first_hand',
        verification: rand() < 0.4 ? 'corroborated' : 'reported',
        description: null,
        recordedById: ctx.recruiters[p.office],
        createdAt: recordedAt,
        updatedAt: recordedAt,
      } as Partial<Incident>),
    });
  };
  const entry = (institutionId: string, kind: string, stance: Stance, effectiveAt: number) => {
    const recordedAt = effectiveAt + between(1, 5) * DAY;
    if (recordedAt >= now) return;
    reception++;
    const reason = pick(RECEPTION_REASONS[kind]);
    assertNoPersonalData({ reason });
    pending.push({
      at: recordedAt,
      reception: ds.getRepository(ReceptionEntry).create({
        id: randomUUID(),
        institutionId,
        kind: kind as ReceptionEntry['kind'],
        stance,
        reason,
        source: 'Office report',
        effectiveAt,
        recordedAt,
        recordedById: ctx.coordinatorId,
        supersedesId: null,
      } as Partial<ReceptionEntry>),
    });
  };
  const byId = new Map(insts.map((i) => [i.id, i]));
  const span = now - start.toMillis();
  let assessments = 0;
  let debriefsDue = 0;

  for (const p of plans) {
    await flush(p.asOf);
    clock.set(p.asOf);
    const view = await risk.assessAppearance(ds.manager, p.row.id, 'appearance_created', ctx.coordinatorId);
    assessments++;
    if (p.awaitingDebrief) {
      debriefsDue++;
      continue; // draws nothing from the seeded generator: the rest of the history is the same with it
    }
    const a = p.row;
    const inst = byId.get(a.institutionId) as Inst;
    // Mitigations actually used: some of those the snapshot recommended (or a common one).
    const recommended = view.mitigations.map((m) => m.id);
    const used = [...new Set((recommended.length ? recommended : RISK_MITIGATIONS.map((m) => m.id)).filter(() => rand() < 0.45))].slice(0, 4).sort();
    // What happened: drawn from the snapshot's own probability, a little worse as time goes on
    // (the trend the dashboard should show), a little better with each mitigation used.
    const drift = 0.6 + 0.9 * ((a.startsAt - start.toMillis()) / span);
    const exposure = (BASE_RATE[a.kind] + (a.visibleBranding ? 0.03 : 0)) * (a.format === 'virtual' ? 0.2 : 1);
    const q = Math.min(0.85, (0.6 * view.p + exposure) * drift * Math.pow(0.88, used.length));
    const hit = rand() < q;
    let result: OutcomeResult;
    if (hit) result = pick(['disrupted', 'disrupted', 'disrupted', 'ended_early', 'ended_early', 'cancelled_by_host'] as const);
    else result = rand() < 0.93 ? 'as_planned' : pick(['moved_virtual', 'cancelled_by_us'] as const);

    const recent = a.endsAt > now - 12 * DAY;
    if (result === 'cancelled_by_host' || result === 'cancelled_by_us') {
      a.status = 'cancelled';
      a.cancelReason = result === 'cancelled_by_host' ? 'Cancelled by the host' : 'Cancelled after the go / no-go review';
    }
    if (result === 'cancelled_by_host') {
      const at = a.startsAt - between(1, 6) * DAY;
      incident(p, 'host_cancelled', { at, severity: 2, impact: 'cancelled', crowd: 'unknown', inst });
      entry(a.institutionId, 'appearance_cancelled_by_host', rand() < 0.5 ? 'cautious' : 'restricted', at);
    } else if (result === 'disrupted' || result === 'ended_early') {
      a.disrupted = true;
      const at = a.startsAt + between(20, 90) * 60_000;
      const early = result === 'ended_early';
      const crowd = pick(['10_49', '10_49', '50_99', '100_499'] as const);
      incident(p, pick(['protest', 'protest', 'heckling', 'table_blocked', 'appearance_disrupted'] as const), {
        at,
        severity: early ? between(2, 3) : between(1, 2),
        impact: early ? 'ended_early' : pick(['delayed', 'relocated', 'none'] as const),
        crowd,
        inst,
      });
      if (rand() < 0.35) incident(p, pick(['heckling', 'materials_defaced'] as const), { at: at + 15 * 60_000, severity: 1, impact: 'none', crowd, inst });
      if (rand() < 0.3) entry(a.institutionId, pick(['invitation_declined', 'access_restricted'] as const), 'cautious', a.startsAt + between(20, 70) * DAY);
    }
    if (a.status !== 'completed' || a.disrupted) updates.push(a);
    // The last fortnight's appearances are partly still waiting for their debrief.
    if (recent && a.status === 'completed' && rand() < 0.6) {
      debriefsDue++;
      continue;
    }
    const held = result !== 'cancelled_by_host' && result !== 'cancelled_by_us';
    const attendance = held ? Math.round((a.expectedAttendance ?? 20) * (0.5 + rand() * 0.6) * (result === 'as_planned' ? 1 : 0.6)) : 0;
    const conversations = Math.round(attendance * (0.2 + rand() * 0.2));
    const leads = Math.round(conversations * (result === 'as_planned' ? 0.3 : 0.15) * (0.6 + rand() * 0.8));
    const notes = pick(NOTES[result]);
    assertNoPersonalData({ notes });
    const submittedAt = Math.min(now - 3_600_000, a.endsAt + between(4, 72) * 3_600_000);
    outcomes.push(
      ds.getRepository(Outcome).create({
        appearanceId: a.id,
        result,
        attendance: held ? attendance : null,
        conversations: held ? conversations : null,
        leads: held ? leads : 0,
        applicationsStarted: held ? Math.round(leads * (0.2 + rand() * 0.3)) : 0,
        mitigationsUsed: used,
        notes,
        submittedById: ctx.recruiters[p.office],
        submittedAt,
        updatedAt: submittedAt,
      }),
    );
  }
  // A few reception changes that no appearance caused: partnerships declined, access restricted,
  // and some institutions welcoming the offices back.
  const others = insts.filter((i) => i.kind !== 'university' && i.kind !== 'college');
  for (let k = 0; k < 14; k++) {
    const inst = k < 4 ? pick(others) : pick(insts);
    const kind = pick(['invitation_declined', 'partnership_declined', 'access_restricted', 'welcomed', 'welcomed'] as const);
    const stance: Stance = kind === 'welcomed' ? 'welcoming' : kind === 'invitation_declined' ? 'cautious' : rand() < 0.2 ? 'hostile' : 'restricted';
    entry(inst.id, kind, stance, start.toMillis() + Math.floor(rand() * (span - 10 * DAY)));
  }
  await flush(Number.MAX_SAFE_INTEGER);
  clock.set(now);

  // Set-based: one UPDATE per (status, reason, disrupted) combination.
  const groups = new Map<string, Appearance[]>();
  for (const u of updates) {
    const key = `${u.status}|${u.cancelReason}|${u.disrupted}`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  await ds.transaction(async (m) => {
    for (const g of groups.values()) {
      for (let i = 0; i < g.length; i += 500) {
        await m.update(Appearance, { id: In(g.slice(i, i + 500).map((u) => u.id)) }, { status: g[0].status, cancelReason: g[0].cancelReason, disrupted: g[0].disrupted });
      }
    }
  });
  await chunked(ds, Outcome, outcomes);
  return { appearances: plans.length, assessments, outcomes: outcomes.length, debriefsDue, incidents, reception, from: start.toISODate() ?? '' };
}

/** Multi-row INSERTs of at most 200 rows (well under SQLite's bound-parameter limit). */
async function chunked<T extends object>(ds: DataSource, entity: new () => T, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await ds.getRepository(entity).insert(rows.slice(i, i + 200) as never);
}

/**
 * One appearance that ended yesterday (whatever the weekday the demo starts on) and has no debrief
 * yet, so the Cleveland recruiter's debrief-request mail is among the first the demo writes.
 */
function yesterday(ds: DataSource, now: number, insts: Inst[], ctx: HistoryContext): Plan {
  const region = REGIONS.cleveland;
  const inst = insts.find((i) => i.name === 'Cleveland State University') ?? (insts.find((i) => region.states.includes(i.state)) as Inst);
  const local = DateTime.fromMillis(now, { zone: region.zone }).minus({ days: 1 }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  const shape = SHAPES.info_session;
  const asOf = local.minus({ days: 8 }).toMillis();
  const row = ds.getRepository(Appearance).create({
    id: randomUUID(),
    institutionId: inst.id,
    officeId: ctx.offices.cleveland,
    kind: 'info_session',
    title: 'Lunchtime information session',
    startsAt: local.toMillis(),
    endsAt: local.plus({ minutes: 90 }).toMillis(),
    timeZone: region.zone,
    venue: shape.venue,
    format: 'in_person',
    audience: shape.audience,
    expectedAttendance: 45,
    visibleBranding: false,
    ...pastDefaults(ctx, asOf),
  } as Partial<Appearance>);
  return { row, office: 'cleveland', asOf, awaitingDebrief: true };
}

/** What every past appearance of the history has alike: held (completed), planned by the coordinator on its planning day. */
function pastDefaults(ctx: HistoryContext, asOf: number): Partial<Appearance> {
  return {
    protestAnnounced: false,
    status: 'completed',
    version: 1,
    sequence: 0,
    briefingOffsets: null,
    disrupted: false,
    cancelReason: null,
    createdById: ctx.coordinatorId,
    createdAt: asOf,
    updatedAt: asOf,
  };
}
