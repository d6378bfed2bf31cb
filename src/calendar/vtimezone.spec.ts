import ICAL from 'ical.js';
import ical from 'node-ical';
import { DateTime } from 'luxon';
import { readCalendarConfig } from '../config/calendar.config';
import { buildAppearanceIcs, IcsAppearance } from './ics';
import { buildVTimezone, isRepeatedWallClock } from './vtimezone';

const HOUR = 3_600_000;

function appearance(id: number, startsAt: number, timeZone: string, status = 'confirmed'): IcsAppearance {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    title: 'Career fair',
    kind: 'career_fair',
    institution: { name: 'Somewhere University', city: 'Town', state: 'XX' },
    startsAt: iso(startsAt),
    endsAt: iso(startsAt + 2 * HOUR),
    startsAtLocal: DateTime.fromMillis(startsAt, { zone: timeZone }).toISO()!,
    endsAtLocal: DateTime.fromMillis(startsAt + 2 * HOUR, { zone: timeZone }).toISO()!,
    timeZone,
    venue: 'Hall',
    format: 'in_person',
    audience: 'public',
    status,
    sequence: 0,
    createdAt: iso(0),
    updatedAt: iso(0),
  };
}

/** Instants in a zone: 10:00 local every 9 days over two years, plus the hours either side of each offset change. */
function instants(zone: string): number[] {
  const out: number[] = [];
  let d = DateTime.fromObject({ year: 2026, month: 1, day: 2, hour: 10 }, { zone });
  while (d.year < 2028) {
    out.push(d.toMillis());
    d = d.plus({ days: 9 });
  }
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += HOUR) {
    const z = DateTime.fromMillis(t, { zone });
    if (z.offset !== DateTime.fromMillis(t + HOUR, { zone }).offset) out.push(t - HOUR, t, t + HOUR, t + 2 * HOUR);
  }
  return out;
}

/** What a client without zone data of its own reads: ical.js resolves TZID only through the file's VTIMEZONE. */
function readWithIcalJs(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return comp.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, utc: e.startDate.toJSDate().getTime(), wall: e.startDate.toString(), tzid: e.startDate.zone?.tzid };
  });
}

describe('VTIMEZONE from the IANA data: the venue wall clock and the instant agree in ical.js and node-ical', () => {
  it.each([
    ['America/New_York'], // US rules, 02:00 changes
    ['Europe/London'], // 01:00 UTC changes
    ['Australia/Lord_Howe'], // half-hour DST, southern hemisphere
    ['America/Sao_Paulo'], // DST abolished in 2019: one offset
    ['Asia/Kolkata'], // +05:30, no DST
    ['Africa/Casablanca'], // DST suspended during Ramadan: changes twice a year in odd months
    ['Pacific/Chatham'], // +12:45 / +13:45
  ])('%s', (zone) => {
    const times = instants(zone);
    const text = buildAppearanceIcs(
      times.map((t, i) => appearance(i, t, zone)),
      { method: 'PUBLISH', stampAt: Date.UTC(2026, 0, 1) },
    );
    expect(text.match(/BEGIN:VTIMEZONE/g)).toHaveLength(1);
    expect(text).toContain(`TZID:${zone}`);
    const read = readWithIcalJs(text);
    const nodeIcal = Object.values(ical.sync.parseICS(text)).filter((c: any) => c.type === 'VEVENT') as any[];
    expect(read).toHaveLength(times.length);
    let repeated = 0;
    times.forEach((t, i) => {
      const local = DateTime.fromMillis(t, { zone });
      const wall = local.toFormat("yyyy-LL-dd'T'HH:mm:ss");
      // A wall-clock time that happens twice (clocks going back) is written in UTC: the instant is kept.
      if (isRepeatedWallClock(zone, t) || isRepeatedWallClock(zone, t + 2 * HOUR)) {
        repeated++;
        expect({ i, utc: read[i].utc, tzid: read[i].tzid }).toEqual({ i, utc: t, tzid: 'UTC' });
        return;
      }
      expect({ i, utc: read[i].utc, wall: read[i].wall, tzid: read[i].tzid }).toEqual({ i, utc: t, wall, tzid: zone });
      expect({ i, utc: new Date(nodeIcal[i].start).getTime() }).toEqual({ i, utc: t });
    });
    expect(repeated).toBeLessThan(times.length / 4);
  });

  it('finds the repeated hour when the clocks go back (and nothing else)', () => {
    expect(isRepeatedWallClock('America/New_York', Date.parse('2026-11-01T05:30:00Z'))).toBe(true); // 01:30 EDT
    expect(isRepeatedWallClock('America/New_York', Date.parse('2026-11-01T06:30:00Z'))).toBe(true); // 01:30 EST
    expect(isRepeatedWallClock('America/New_York', Date.parse('2026-11-01T07:30:00Z'))).toBe(false); // 02:30 EST
    expect(isRepeatedWallClock('America/New_York', Date.parse('2026-03-08T07:30:00Z'))).toBe(false); // 03:30 EDT, after the gap
    expect(isRepeatedWallClock('Asia/Kolkata', Date.parse('2026-11-01T05:30:00Z'))).toBe(false);
  });

  it('gives each zone of a calendar its own VTIMEZONE, and none for UTC', () => {
    const t = Date.UTC(2026, 10, 5, 15);
    const text = buildAppearanceIcs([appearance(1, t, 'America/New_York'), appearance(2, t, 'Europe/Berlin'), appearance(3, t + HOUR, 'America/New_York'), appearance(4, t, 'UTC')], {
      method: 'PUBLISH',
      stampAt: t,
    });
    expect(text.match(/BEGIN:VTIMEZONE/g)).toHaveLength(2);
    expect(text).toContain('DTSTART;TZID=America/New_York:20261105T100000');
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20261105T160000');
    expect(text).toContain('DTSTART:20261105T150000Z');
  });

  it('covers the calendar years of its range with one observance per offset change (onset in the time before it)', () => {
    const vtz = buildVTimezone('America/New_York', { from: Date.UTC(2026, 9, 29, 14), to: Date.UTC(2026, 10, 5, 16) })!;
    expect(vtz.split('\r\n').filter((l) => l.startsWith('DTSTART'))).toEqual(['DTSTART:20251230T190000', 'DTSTART:20260308T020000', 'DTSTART:20261101T020000']);
    expect(vtz).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT');
    expect(vtz).toContain('BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD');
    expect(buildVTimezone('Mars/Olympus', { from: 0, to: 1 })).toBeNull();
  });
});

describe('VALARM reminders', () => {
  const t = Date.UTC(2026, 10, 5, 15);
  const triggers = (text: string) =>
    new ICAL.Component(ICAL.parse(text))
      .getAllSubcomponents('vevent')
      .map((v) => v.getAllSubcomponents('valarm').map((a) => `${a.getFirstPropertyValue('action')} ${String(a.getFirstPropertyValue('trigger'))}`));

  it('adds one display reminder per configured offset before the start; none on a cancellation or a cancelled appearance', () => {
    const opts = { stampAt: t, alarmMinutes: [1440, 60] };
    expect(triggers(buildAppearanceIcs([appearance(1, t, 'America/New_York')], { method: 'REQUEST', ...opts }))).toEqual([['DISPLAY -P1D', 'DISPLAY -PT1H']]);
    expect(triggers(buildAppearanceIcs([appearance(1, t, 'America/New_York')], { method: 'CANCEL', ...opts }))).toEqual([[]]);
    expect(triggers(buildAppearanceIcs([appearance(1, t, 'America/New_York', 'cancelled')], { method: 'PUBLISH', ...opts }))).toEqual([[]]);
    expect(triggers(buildAppearanceIcs([appearance(1, t, 'America/New_York')], { method: 'PUBLISH', stampAt: t, alarmMinutes: [90] }))).toEqual([['DISPLAY -PT1H30M']]);
  });

  it('reads CALENDAR_ALARMS and CALENDAR_REFRESH_INTERVAL (default 1 day and 1 hour before; refresh hourly)', () => {
    expect(readCalendarConfig({})).toEqual({ alarmMinutes: [1440, 60], refreshSeconds: 3600 });
    expect(readCalendarConfig({ CALENDAR_ALARMS: '30m, 2d,30m', CALENDAR_REFRESH_INTERVAL: '15m' })).toEqual({ alarmMinutes: [2880, 30], refreshSeconds: 900 });
    expect(readCalendarConfig({ CALENDAR_ALARMS: 'none' }).alarmMinutes).toEqual([]);
    expect(() => readCalendarConfig({ CALENDAR_ALARMS: 'soon' })).toThrow(/CALENDAR_ALARMS/);
    expect(() => readCalendarConfig({ CALENDAR_ALARMS: '0m' })).toThrow(/CALENDAR_ALARMS/);
    expect(() => readCalendarConfig({ CALENDAR_REFRESH_INTERVAL: '1m' })).toThrow(/CALENDAR_REFRESH_INTERVAL/);
  });
});
