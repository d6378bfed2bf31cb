import { randomUUID } from 'node:crypto';
import type { RiskLevel } from '../src/common/enums';
import { Outcome } from '../src/outcomes/outcome.entity';
import { RiskAssessment } from '../src/risk/risk-assessment.entity';
import type { TestApp } from './helpers/test-app';

/**
 * A small hand-made history whose report numbers are worked out by hand in
 * test/reports.e2e-spec.ts. The clock is REPORTS_NOW (2026-07-01 12:00 UTC).
 *
 *  #  starts      office inst kind                 status     debrief            org incidents        assessment before start
 *  1  2026-01-10  A      U1   career_fair          completed  as_planned 10/2    -                    low 0.10 (older: moderate 0.3)
 *  2  2026-02-10  A      U1   career_fair          completed  disrupted 2/0      protest s2, table s3 high 0.60 (after start: critical)
 *  3  2026-03-10  B      U2   info_session         completed  ended_early 1/1    heckling s1          moderate 0.30
 *  4  2026-04-10  B      P1   partnership_meeting  cancelled  cancelled_by_host  -                    moderate 0.25
 *  5  2026-05-10  A      U2   info_session         completed  (due)              -                    low 0.05
 *  6  2026-06-10  B      U1   career_fair          confirmed  (due)              peer-recruiter only  none
 *  7  2026-06-20  A      P1   training             cancelled  -                  -                    -
 *  + an incident aimed at us at U1 on 2026-03-20 (severity 4, no appearance) and one on 2025-06-01 (outside every window).
 */
export const REPORTS_NOW = Date.UTC(2026, 6, 1, 12);
const DAY = 86_400_000;
const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 15);

export async function seedReportsHistory(t: TestApp) {
  const f = t.factories;
  const officeA = await f.office({ name: `Cleveland ${randomUUID().slice(0, 6)}` });
  const officeB = await f.office({ name: `Detroit ${randomUUID().slice(0, 6)}` });
  const u1 = await f.institution({ name: `Kent State University ${randomUUID().slice(0, 6)}`, kind: 'university', state: 'OH' });
  const u2 = await f.institution({ name: `=SUM(1+1) College ${randomUUID().slice(0, 6)}`, kind: 'college', state: 'MI', city: 'Ann Arbor' });
  const p1 = await f.institution({ name: `Akron Police Department ${randomUUID().slice(0, 6)}`, kind: 'police_department', state: 'OH', city: 'Akron' });
  const recruiter = await f.user('recruiter', { officeId: officeA.id });
  const hr = await f.user('hr', { officeId: null });
  const coordinatorA = await f.user('coordinator', { officeId: officeA.id });

  const mk = (n: number, o: { startsAt: number; officeId: string; institutionId: string; kind: string; status: string; disrupted?: boolean }) =>
    f.appearance({
      title: `Appearance ${n}`,
      startsAt: o.startsAt,
      officeId: o.officeId,
      institutionId: o.institutionId,
      kind: o.kind as never,
      status: o.status as never,
      disrupted: o.disrupted ?? false,
      recruiterIds: [recruiter.id],
    });
  const a1 = await mk(1, { startsAt: at(2026, 1, 10), officeId: officeA.id, institutionId: u1.id, kind: 'career_fair', status: 'completed' });
  const a2 = await mk(2, { startsAt: at(2026, 2, 10), officeId: officeA.id, institutionId: u1.id, kind: 'career_fair', status: 'completed', disrupted: true });
  const a3 = await mk(3, { startsAt: at(2026, 3, 10), officeId: officeB.id, institutionId: u2.id, kind: 'info_session', status: 'completed' });
  const a4 = await mk(4, { startsAt: at(2026, 4, 10), officeId: officeB.id, institutionId: p1.id, kind: 'partnership_meeting', status: 'cancelled' });
  const a5 = await mk(5, { startsAt: at(2026, 5, 10), officeId: officeA.id, institutionId: u2.id, kind: 'info_session', status: 'completed' });
  const a6 = await mk(6, { startsAt: at(2026, 6, 10), officeId: officeB.id, institutionId: u1.id, kind: 'career_fair', status: 'confirmed' });
  const a7 = await mk(7, { startsAt: at(2026, 6, 20), officeId: officeA.id, institutionId: p1.id, kind: 'training', status: 'cancelled' });

  const outcome = (a: { id: string; endsAt: number }, result: Outcome['result'], leads: number, apps: number, mitigations: string[] = []) =>
    t.db.getRepository(Outcome).insert({
      appearanceId: a.id,
      result,
      attendance: 50,
      conversations: 20,
      leads,
      applicationsStarted: apps,
      mitigationsUsed: [...mitigations].sort(),
      notes: '',
      submittedById: recruiter.id,
      submittedAt: a.endsAt + DAY,
      updatedAt: a.endsAt + DAY,
    });
  await outcome(a1, 'as_planned', 10, 2, ['civilian_dress']);
  await outcome(a2, 'disrupted', 2, 0, ['exit_plan']);
  await outcome(a3, 'ended_early', 1, 1);
  await outcome(a4, 'cancelled_by_host', 0, 0);

  const seqs = new Map<string, number>();
  const assess = (a: { id: string; startsAt: number }, level: RiskLevel, p: number, offsetMs = -7 * DAY) =>
    t.db.getRepository(RiskAssessment).insert({
      id: randomUUID(),
      appearanceId: a.id,
      seq: seqs.set(a.id, (seqs.get(a.id) ?? 0) + 1).get(a.id),
      asOf: a.startsAt + offsetMs,
      trigger: 'test',
      modelVersion: 'test',
      p,
      pSevere: p / 4,
      level,
      intervalLow: p / 2,
      intervalHigh: Math.min(1, p * 1.5),
      detail: {},
      createdAt: a.startsAt + offsetMs,
    });
  await assess(a1, 'moderate', 0.3, -20 * DAY);
  await assess(a1, 'low', 0.1);
  await assess(a2, 'high', 0.6);
  await assess(a2, 'critical', 0.9, 3_600_000); // after the start: must be ignored
  await assess(a3, 'moderate', 0.3);
  await assess(a4, 'moderate', 0.25);
  await assess(a5, 'low', 0.05);

  await f.incident({ institutionId: u1.id, appearanceId: a2.id, kind: 'protest', severity: 2, occurredAt: a2.startsAt + 3_600_000, recordedAt: a2.startsAt + DAY });
  await f.incident({ institutionId: u1.id, appearanceId: a2.id, kind: 'table_blocked', severity: 3, occurredAt: a2.startsAt + 3_600_000, recordedAt: a2.startsAt + DAY });
  await f.incident({ institutionId: u2.id, appearanceId: a3.id, kind: 'heckling', severity: 1, occurredAt: a3.startsAt + 3_600_000, recordedAt: a3.startsAt + DAY });
  await f.incident({ institutionId: u1.id, appearanceId: a6.id, kind: 'protest', severity: 2, target: 'peer_recruiters', occurredAt: a6.startsAt + 3_600_000, recordedAt: a6.startsAt + DAY });
  await f.incident({ institutionId: u1.id, kind: 'threat', severity: 4, occurredAt: at(2026, 3, 20), recordedAt: at(2026, 3, 21) });
  await f.incident({ institutionId: u2.id, kind: 'protest', severity: 2, occurredAt: at(2025, 6, 1), recordedAt: at(2025, 6, 2) });

  const rec = (institutionId: string, kind: string, stance: string, effectiveAt: number, o: { reason?: string; supersedesId?: string } = {}) =>
    f.reception({ institutionId, kind: kind as never, stance: stance as never, effectiveAt, recordedAt: effectiveAt + DAY, reason: o.reason ?? '', supersedesId: o.supersedesId ?? null });
  await rec(u1.id, 'welcomed', 'welcoming', at(2025, 3, 1));
  await rec(u1.id, 'invitation_declined', 'cautious', at(2026, 2, 1), { reason: 'Career office declined the spring fair invitation' });
  await rec(u1.id, 'partnership_declined', 'hostile', at(2026, 5, 1), { reason: 'Student senate resolution against federal recruiting' });
  await rec(u2.id, 'welcomed', 'neutral', at(2025, 6, 1));
  const wrong = await rec(u2.id, 'access_restricted', 'restricted', at(2026, 3, 15));
  await rec(u2.id, 'access_restricted', 'cautious', at(2026, 3, 16), { supersedesId: wrong.id, reason: 'Corrected: only the library is closed to us' });
  await rec(p1.id, 'appearance_cancelled_by_host', 'restricted', at(2026, 4, 5), { reason: 'Chief cancelled the joint meeting because of the affiliation' });

  return { officeA, officeB, u1, u2, p1, recruiter, hr, coordinatorA, appearances: [a1, a2, a3, a4, a5, a6, a7] };
}
