import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { APPEARANCE_FORMATS } from '../common/enums';

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

/**
 * An iCalendar object (RFC 5545) for one or more appearances, with ical-generator: stable UID
 * `<id>@forewarn`, SEQUENCE from the appearance (it rises with every change recipients see),
 * METHOD REQUEST / CANCEL / PUBLISH, times in UTC (the venue zone and local times are in the
 * description), CRLF line ends, lines folded at 75 octets, text escaped. A CANCEL marks every
 * event STATUS:CANCELLED.
 */
export function buildAppearanceIcs(appearances: IcsAppearance[], opts: IcsOptions): string {
  const cal = new ICalCalendar({
    prodId: { company: 'Forewarn', product: 'Forewarn', language: 'EN' },
    method: ICalCalendarMethod[opts.method],
    name: opts.name ?? null,
    timezone: null,
  });
  for (const a of appearances) {
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
      start: new Date(a.startsAt),
      end: new Date(a.endsAt),
      summary: icsSummary(a),
      location: icsLocation(a),
      description,
      url: opts.publicUrl ? `${opts.publicUrl}/pages/appearances/${a.id}` : null,
      status: opts.method === 'CANCEL' ? ICalEventStatus.CANCELLED : (STATUS[a.status] ?? ICalEventStatus.CONFIRMED),
      organizer: opts.organizer ?? null,
      attendees: (opts.attendees ?? []).map((p) => ({ name: p.name, email: p.email, rsvp: false })),
      x: [{ key: 'X-FOREWARN-TIMEZONE', value: a.timeZone }],
    });
  }
  // ical-generator ends the last line without CRLF; RFC 5545 terminates every content line.
  return `${cal.toString()}\r\n`;
}
