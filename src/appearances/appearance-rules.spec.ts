import { UnprocessableError } from '../common/errors';
import { advanceNotice, HostRules, noticeDeadline, zoneWarning } from './appearance-rules';
import type { Times } from './appearance-times';

const NY = 'America/New_York';
const t = (iso: string) => Date.parse(iso);

const host = (o: Partial<HostRules> = {}): HostRules => ({
  id: 'inst-1',
  name: 'Kent State',
  timeZone: NY,
  requiresAdvanceNotice: true,
  advanceNoticeDays: 10,
  ...o,
});

// Thursday 12 March 2026, 10:00 EDT (after the spring-forward of 8 March)
const times: Times = { startsAt: t('2026-03-12T14:00:00Z'), endsAt: t('2026-03-12T16:00:00Z'), timeZone: NY };
// Ten calendar days earlier in New York: Monday 2 March 2026, 10:00 EST
const DEADLINE = t('2026-03-02T15:00:00Z');
const WORDS =
  "Kent State requires 10 days' advance notice: for an appearance starting Thursday 12 March 2026, 10:00 EDT (America/New_York) the host had to be told by Monday 2 March 2026, 10:00 EST (America/New_York)";

describe('noticeDeadline', () => {
  it('counts calendar days in the venue zone across the spring-forward (not 24-hour blocks)', () => {
    expect(new Date(noticeDeadline(times.startsAt, NY, 10)).toISOString()).toBe('2026-03-02T15:00:00.000Z');
  });

  it('counts calendar days in the venue zone across the fall-back', () => {
    // Tuesday 3 November 2026, 10:00 EST; ten days earlier is 24 October, 10:00 EDT
    expect(new Date(noticeDeadline(t('2026-11-03T15:00:00Z'), NY, 10)).toISOString()).toBe('2026-10-24T14:00:00.000Z');
  });

  it('is the same wall-clock time in another zone', () => {
    expect(new Date(noticeDeadline(t('2026-03-12T09:00:00Z'), 'Europe/Paris', 3)).toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });
});

describe('advanceNotice', () => {
  it.each<[string, Partial<HostRules>]>([
    ['the host does not require notice', { requiresAdvanceNotice: false, advanceNoticeDays: 10 }],
    ['no number of days', { advanceNoticeDays: null }],
    ['zero days', { advanceNoticeDays: 0 }],
    ['negative days', { advanceNoticeDays: -3 }],
  ])('has no rule when %s', (_name, o) => {
    // far past any deadline, a negative number of days' one too (past the start plus 3 days): only a missing rule lets it through
    expect(advanceNotice(host(o), times, t('2026-03-12T13:00:00Z'), false)).toEqual({ warnings: [], overriddenDeadline: null });
    expect(advanceNotice(host(o), times, t('2026-03-12T13:00:00Z'), true)).toEqual({ warnings: [], overriddenDeadline: null });
    expect(advanceNotice(host(o), times, t('2026-03-20T13:00:00Z'), false)).toEqual({ warnings: [], overriddenDeadline: null });
  });

  it('allows a booking made exactly at the deadline, without a warning', () => {
    expect(advanceNotice(host(), times, DEADLINE, false)).toEqual({ warnings: [], overriddenDeadline: null });
    expect(advanceNotice(host(), times, DEADLINE, true)).toEqual({ warnings: [], overriddenDeadline: null });
  });

  it('allows a booking made before the deadline', () => {
    expect(advanceNotice(host(), times, DEADLINE - 86_400_000, undefined)).toEqual({ warnings: [], overriddenDeadline: null });
  });

  it.each<[string, boolean | undefined]>([
    ['allowShortNotice false', false],
    ['allowShortNotice not sent', undefined],
  ])('refuses a booking one millisecond past the deadline with %s: 422 ADVANCE_NOTICE naming host, days and deadline', (_name, allow) => {
    let err: unknown;
    try {
      advanceNotice(host(), times, DEADLINE + 1, allow);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnprocessableError);
    const e = err as UnprocessableError;
    expect(e.status).toBe(422);
    expect(e.code).toBe('ADVANCE_NOTICE');
    expect(e.message).toBe(`${WORDS}; send allowShortNotice: true to book anyway`);
    expect(e.fields).toEqual({ startsAt: "is inside the host's 10-day notice period (deadline 2026-03-02T15:00:00.000Z)" });
    expect(e.details).toEqual({ institutionId: 'inst-1', advanceNoticeDays: 10, deadline: '2026-03-02T15:00:00.000Z' });
  });

  it('books past the deadline with allowShortNotice: one SHORT_NOTICE warning and the deadline kept', () => {
    expect(advanceNotice(host(), times, DEADLINE + 1, true)).toEqual({
      warnings: [
        {
          code: 'SHORT_NOTICE',
          message: `${WORDS}; booked anyway (allowShortNotice). Ask the host for a written reconfirmation before you travel.`,
        },
      ],
      overriddenDeadline: DEADLINE,
    });
  });

  it('names the venue zone, not the host zone, in the local times', () => {
    const paris: Times = { startsAt: t('2026-03-12T09:00:00Z'), endsAt: t('2026-03-12T11:00:00Z'), timeZone: 'Europe/Paris' };
    const r = advanceNotice(host({ name: 'Sorbonne', advanceNoticeDays: 3 }), paris, t('2026-03-11T00:00:00Z'), true);
    expect(r).toEqual({
      warnings: [
        {
          code: 'SHORT_NOTICE',
          message:
            "Sorbonne requires 3 days' advance notice: for an appearance starting Thursday 12 March 2026, 10:00 GMT+1 (Europe/Paris) the host had to be told by Monday 9 March 2026, 10:00 GMT+1 (Europe/Paris); booked anyway (allowShortNotice). Ask the host for a written reconfirmation before you travel.",
        },
      ],
      overriddenDeadline: t('2026-03-09T09:00:00Z'),
    });
  });
});

describe('zoneWarning', () => {
  it('says nothing for a host without a zone', () => {
    expect(zoneWarning(host({ timeZone: null as unknown as string }), 'Europe/Paris')).toEqual([]);
    expect(zoneWarning(host({ timeZone: '' }), 'Europe/Paris')).toEqual([]);
  });

  it("says nothing when the venue is in the host's zone", () => {
    expect(zoneWarning(host(), NY)).toEqual([]);
  });

  it('warns once when the venue zone differs', () => {
    expect(zoneWarning(host(), 'America/Chicago')).toEqual([
      {
        code: 'VENUE_ZONE_DIFFERS',
        message: "The venue's time zone America/Chicago differs from Kent State's (America/New_York); check that the local times are meant in America/Chicago",
      },
    ]);
  });
});
