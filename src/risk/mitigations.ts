import { DateTime } from 'luxon';

/**
 * The mitigation catalogue: stable ids (stored in assessments and in outcomes' `mitigationsUsed`)
 * with the plain words a recruiter reads in a briefing checklist. Never rename an id; add new ones.
 */
export interface Mitigation {
  id: string;
  text: string;
}

export const RISK_MITIGATIONS = [
  { id: 'civilian_dress', text: 'Wear civilian dress and keep agency branding off the table; bring a small, neutral sign instead.' },
  { id: 'host_short_notice_consent', text: 'Confirm with the host in writing that they accept the short notice — the room, the time and their security arrangements — before you travel.' },
  { id: 'host_written_reconfirmation', text: 'Ask the host for a written reconfirmation of the invitation, the room and the time before you travel.' },
  { id: 'host_security_plan', text: 'Ask the host for their security plan: who is on site, who to call, and where campus police will be.' },
  { id: 'exit_plan', text: 'Agree an exit plan: a second way out of the room, where the car is, and when you leave without discussion.' },
  { id: 'buddy_system', text: 'Never staff the table alone; go in pairs and keep each other in sight.' },
  { id: 'senior_go_no_go', text: 'Get a go / no-go decision from a senior coordinator 24 hours before, in writing.' },
  { id: 'virtual_alternative', text: 'Prepare a virtual session as a fallback and tell the host it is available.' },
  { id: 'smaller_footprint', text: 'Use a smaller footprint: one table, fewer staff, no display that draws a crowd.' },
  { id: 'invite_only_format', text: 'Consider an invite-only info session instead of an open-floor fair.' },
  { id: 'brief_on_de_escalation', text: 'Re-read the de-escalation guidance: do not engage with protesters, stay calm, leave if asked by the host.' },
  { id: 'check_local_news', text: 'Check campus and local news the day before for announced actions.' },
  { id: 'confirm_with_host_contact', text: 'Confirm the event with your host contact a week before.' },
] as const satisfies readonly Mitigation[];

export type MitigationId = (typeof RISK_MITIGATIONS)[number]['id'];

export const MITIGATION_IDS: readonly MitigationId[] = RISK_MITIGATIONS.map((m) => m.id);

const BY_ID = new Map<string, Mitigation>(RISK_MITIGATIONS.map((m) => [m.id, m]));

export function isMitigationId(id: string): id is MitigationId {
  return BY_ID.has(id);
}

export function mitigation(id: MitigationId): Mitigation {
  return BY_ID.get(id) as Mitigation;
}

/**
 * The checklist a stored snapshot names. Snapshots store mitigation ids only (the catalogue's words
 * are the same for every snapshot; they were ~800 of the ~1,960 bytes of a High or Critical row,
 * ~190 bytes of the 1,888 on average in the risk bench); snapshots written before that
 * store { id, text } objects, which are kept as they are. An id the catalogue no longer has is shown
 * by its id rather than dropped.
 */
export function expandMitigations(stored: unknown): Mitigation[] {
  if (!Array.isArray(stored)) return [];
  const out: Mitigation[] = [];
  for (const m of stored) {
    if (typeof m === 'string') out.push(BY_ID.get(m) ?? { id: m, text: m.replace(/_/g, ' ') });
    else if (m && typeof m === 'object' && typeof (m as Mitigation).id === 'string' && typeof (m as Mitigation).text === 'string') out.push({ id: (m as Mitigation).id, text: (m as Mitigation).text });
  }
  return out;
}

/** When a checklist is read: now, and the appearance's start in its venue's zone. */
export interface ChecklistMoment {
  now: number;
  startsAt: number;
  timeZone: string;
}

/**
 * Items that name a moment before the start: by when they can be done as written, and what can
 * still be done once that moment has passed (the same id, so a tick or a debrief still counts the
 * same mitigation in the outcomes report).
 */
const TIMED: Partial<Record<MitigationId, { by: (startsAt: number, zone: string) => number; late: string }>> = {
  // "a week before": seven calendar days before the start, in the venue's zone
  confirm_with_host_contact: {
    by: (startsAt, zone) => DateTime.fromMillis(startsAt, { zone }).minus({ days: 7 }).toMillis(),
    late: 'Confirm the event with your host contact now, by phone if you can: it is less than a week away.',
  },
  // "the day before": until the start's own day begins, in the venue's zone
  check_local_news: {
    by: (startsAt, zone) => DateTime.fromMillis(startsAt, { zone }).startOf('day').toMillis(),
    late: 'Check campus and local news for announced actions before you leave.',
  },
  senior_go_no_go: {
    by: (startsAt) => startsAt - 24 * 3_600_000,
    late: 'Get a go / no-go decision from a senior coordinator, in writing, before you travel.',
  },
};

/**
 * The checklist as it can still be done at `now`: an item whose moment ("a week before", "24 hours
 * before", "the day before") has passed reads as what replaces it. Once the appearance has started
 * the checklist is a record of what was recommended (ticked afterwards, counted in the debrief) and
 * keeps the catalogue's words. Pure; the stored snapshot is never changed.
 */
export function stillDoable(list: readonly Mitigation[], at: ChecklistMoment): Mitigation[] {
  if (at.now >= at.startsAt) return [...list];
  return list.map((m) => {
    const timed = TIMED[m.id as MitigationId];
    return timed && at.now > timed.by(at.startsAt, at.timeZone) ? { id: m.id, text: timed.late } : m;
  });
}
