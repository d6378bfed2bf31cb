import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export interface InvitationInput {
  appearanceId: string;
  sequence: number;
  /** DTSTAMP: when this message was produced (the injected clock). */
  stampAt: number;
  title: string;
  institutionName: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  location: string;
  description: string;
  url: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
}

/** The calendar UID of an appearance: stable across every invitation, update and cancellation. */
export function appearanceUid(appearanceId: string): string {
  return `${appearanceId}@forewarn`;
}

/**
 * An iTIP message for one appearance and one attendee: METHOD:REQUEST (new or updated, SEQUENCE from
 * the appearance) or METHOD:CANCEL (STATUS:CANCELLED), always with the appearance's stable UID.
 * Times are written in UTC; the zone name travels in X-WR-TIMEZONE and the description.
 * (When src/calendar/ics.ts lands, its UID scheme must match appearanceUid.)
 */
export function buildInvitation(input: InvitationInput, method: 'REQUEST' | 'CANCEL'): string {
  const cal = new ICalCalendar({
    prodId: { company: 'Forewarn', product: 'Forewarn', language: 'EN' },
    method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: null,
  });
  cal.x([{ key: 'X-WR-TIMEZONE', value: input.timeZone }]);
  cal.createEvent({
    id: appearanceUid(input.appearanceId),
    sequence: input.sequence,
    start: new Date(input.startsAt),
    end: new Date(input.endsAt),
    stamp: new Date(input.stampAt),
    summary: `${input.title} (${input.institutionName})`,
    location: input.location,
    description: input.description,
    url: input.url,
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: input.organizer,
    attendees: [{ name: input.attendee.name, email: input.attendee.email, rsvp: false }],
  });
  return cal.toString();
}
