import { ICalAlarmType, ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime, IANAZone } from 'luxon';
import { APPEARANCE_FORMATS } from '../common/enums';
import { buildVTimezone, isRepeatedWallClock, ZoneRange } from './vtimezone';

/** What an .ics needs of an appearance: the AppearanceView fields (H4 passes the same view). */
export interface IcsAppearance {
  id: string;
  title: string;
  kind: string;
  institution: { name: string; city: string; state: string };
  startsAt: string;
  endsAt: string;
  startsAtLocal: string;
  endsAtLocal: string;
  timeZone: string;
  venue: string;
  format: (typeof APPEARANCE_FORMATS)[number];
  audience: string;
  status: string;
  sequence: number;
  riskLevel?: string | null;
  createdAt: string;
  updatedAt: string;
}

export type IcsMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

export interface IcsOptions {
  method: IcsMethod;
  /** DTSTAMP: when this calendar object was produced (the injected clock), epoch ms. */
  stampAt: number;
  /** Calendar name shown by clients (X-WR-CALNAME), e.g. for a personal feed. */
  name?: string;
  /** Base URL for links back to the appearance, e.g. http://localhost:3000 */
  publicUrl?: string;
  /** iTIP REQUEST/CANCEL need an organizer and attendees. */
  organizer?: { name: string; email: string };
  attendees?: { name: string; email: string }[];
  /** Reminders (VALARM) this many minutes before the start (none on a cancellation or a cancelled appearance). */
  alarmMinutes?: number[];
  /** A feed's refresh hint in seconds (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
  refreshSeconds?: number;
  /** The feed's own URL (URL and SOURCE of the calendar). */
  sourceUrl?: string;
}

/** The calendar UID of an appearance: the same in every feed, download, invitation and cancellation. */
export function appearanceUid(appearanceId: string): string {
  return `${appearanceId}@forewarn`;
}

const STATUS: Record<string, ICalEventStatus> = {
  planned: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  completed: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
};

const words = (s: string) => s.replace(/_/g, ' ');

/** The location line: venue, institution, city and state. */
export function icsLocation(a: IcsAppearance): string {
  const place = [a.institution.city, a.institution.state].filter(Boolean).join(', ');
  return [a.venue, a.institution.name, place].filter(Boolean).join(', ');
}

export function icsSummary(a: IcsAppearance): string {
  return `${a.title} (${a.institution.name})`;
}

function minutesWords(m: number): string {
  if (m % 1440 === 0) return m === 1440 ? '1 day' : `${m / 1440} days`;
  if (m % 60 === 0) return m === 60 ? '1 hour' : `${m / 60} hours`;
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/** A venue zone the runtime knows (IANA); anything else is written in UTC. */
function venueZone(tz: string): string | null {
  return tz && tz !== 'UTC' && IANAZone.isValidZone(tz) ? tz : null;
}

/**
 * An iCalendar object (RFC 5545) for one or more appearances, with ical-generator: stable UID
 * `<id>@forewarn`, SEQUENCE from the appearance (it rises with every change recipients see),
 * METHOD REQUEST / CANCEL / PUBLISH, DTSTART/DTEND as the venue's wall-clock time with TZID and a
 * VTIMEZONE per zone derived from the IANA data for the dates used (so Outlook and Google show
 * the venue's time, also across a DST change), VALARM reminders, CRLF line ends, lines folded at 75
 * octets, text escaped. A CANCEL marks every event STATUS:CANCELLED and carries no reminders.
 */
export function buildAppearanceIcs(appearances: IcsAppearance[], opts: IcsOptions): string {
  // The instants each zone has to cover: its VTIMEZONE is exact from the first to the last.
  const ranges = new Map<string, ZoneRange>();
  const zoneOf = new Map<IcsAppearance, string | null>();
  for (const a of appearances) {
    const from = Date.parse(a.startsAt);
    const to = Date.parse(a.endsAt);
    let tz = venueZone(a.timeZone);
    // A start or end in the hour that happens twice is ambiguous as a wall-clock time: UTC keeps the instant.
    if (tz && (isRepeatedWallClock(tz, from) || isRepeatedWallClock(tz, to))) tz = null;
    zoneOf.set(a, tz);
    if (!tz) continue;
    const r = ranges.get(tz);
    ranges.set(tz, r ? { from: Math.min(r.from, from), to: Math.max(r.to, to) } : { from, to });
  }
  const cal = new ICalCalendar({
    prodId: { company: 'Forewarn', product: 'Forewarn', language: 'EN' },
    method: ICalCalendarMethod[opts.method],
    name: opts.name ?? null,
    timezone: { name: null, generator: (tz) => (ranges.has(tz) ? buildVTimezone(tz, ranges.get(tz)!) : null) },
    ttl: opts.refreshSeconds ?? null,
    url: opts.sourceUrl ?? null,
    source: opts.sourceUrl ?? null,
  });
  for (const a of appearances) {
    const tz = zoneOf.get(a) ?? null;
    const at = (iso: string) => (tz ? DateTime.fromMillis(Date.parse(iso), { zone: tz }) : new Date(iso));
    const remind = opts.method !== 'CANCEL' && a.status !== 'cancelled' ? (opts.alarmMinutes ?? []) : [];
    const local = `${a.startsAtLocal.slice(0, 16).replace('T', ' ')} – ${a.endsAtLocal.slice(0, 16).replace('T', ' ')} (${a.timeZone})`;
    const description = [
      `${words(a.kind)}, ${words(a.format)}, ${words(a.audience)}`,
      `Local time: ${local}`,
      a.riskLevel ? `Risk level: ${a.riskLevel}` : null,
      `Status: ${a.status}`,
      opts.publicUrl ? `${opts.publicUrl}/pages/appearances/${a.id}` : null,
    ]
      .filter(Boolean)
      .join('\n');
    cal.createEvent({
      id: appearanceUid(a.id),
      sequence: a.sequence,
      stamp: new Date(opts.stampAt),
      created: new Date(a.createdAt),
      lastModified: new Date(a.updatedAt),
      start: at(a.startsAt),
      end: at(a.endsAt),
      timezone: tz,
      summary: icsSummary(a),
      location: icsLocation(a),
      description,
      url: opts.publicUrl ? `${opts.publicUrl}/pages/appearances/${a.id}` : null,
      status: opts.method === 'CANCEL' ? ICalEventStatus.CANCELLED : (STATUS[a.status] ?? ICalEventStatus.CONFIRMED),
      organizer: opts.organizer ?? null,
      attendees: (opts.attendees ?? []).map((p) => ({ name: p.name, email: p.email, rsvp: false })),
      alarms: remind.map((m) => ({ type: ICalAlarmType.display, trigger: m * 60, description: `In ${minutesWords(m)}: ${icsSummary(a)}` })),
      x: [{ key: 'X-FOREWARN-TIMEZONE', value: a.timeZone }],
    });
  }
  // ical-generator ends the last line without CRLF; RFC 5545 terminates every content line.
  return `${cal.toString()}\r\n`;
}
