import { isoCached, localIsoCached, resolveTimes, Times } from './appearance-times';

const NY = 'America/New_York';
const t = (iso: string) => Date.parse(iso);

describe('resolveTimes', () => {
  const current: Times = { startsAt: t('2026-03-06T15:00:00Z'), endsAt: t('2026-03-06T17:00:00Z'), timeZone: NY }; // 10:00–12:00 EST

  it.each<[string, Parameters<typeof resolveTimes>[0], Times | null, [string, string, string]]>([
    ['instants with offsets', { startsAt: '2026-03-02T10:00:00-05:00', endsAt: '2026-03-02T14:00:00-05:00' }, null, ['2026-03-02T15:00:00.000Z', '2026-03-02T19:00:00.000Z', NY]],
    ['local times in the default zone', { startsLocal: '2026-07-01T09:30', endsLocal: '2026-07-01T11:00' }, null, ['2026-07-01T13:30:00.000Z', '2026-07-01T15:00:00.000Z', NY]],
    [
      'local times in a given zone',
      { startsLocal: '2026-07-01T09:30', endsLocal: '2026-07-01T11:00', timeZone: 'Europe/Paris' },
      null,
      ['2026-07-01T07:30:00.000Z', '2026-07-01T09:00:00.000Z', 'Europe/Paris'],
    ],
    ['date keeps the wall clock across spring-forward', { date: '2026-03-10' }, current, ['2026-03-10T14:00:00.000Z', '2026-03-10T16:00:00.000Z', NY]],
    [
      'date keeps the wall clock across fall-back',
      { date: '2026-11-03' },
      { startsAt: t('2026-10-30T14:00:00Z'), endsAt: t('2026-10-30T16:00:00Z'), timeZone: NY },
      ['2026-11-03T15:00:00.000Z', '2026-11-03T17:00:00.000Z', NY],
    ],
    ['a new zone keeps the wall clock', { timeZone: 'America/Chicago' }, current, ['2026-03-06T16:00:00.000Z', '2026-03-06T18:00:00.000Z', 'America/Chicago']],
    ['only a new start keeps the duration', { startsAt: '2026-03-06T11:00:00-05:00' }, current, ['2026-03-06T16:00:00.000Z', '2026-03-06T18:00:00.000Z', NY]],
    ['only a new end keeps the start', { endsLocal: '2026-03-06T13:00' }, current, ['2026-03-06T15:00:00.000Z', '2026-03-06T18:00:00.000Z', NY]],
    ['nothing given keeps everything', {}, current, ['2026-03-06T15:00:00.000Z', '2026-03-06T17:00:00.000Z', NY]],
  ])('%s', (_name, input, cur, [start, end, zone]) => {
    const r = resolveTimes(input, cur, NY);
    expect([new Date(r.startsAt).toISOString(), new Date(r.endsAt).toISOString(), r.timeZone]).toEqual([start, end, zone]);
  });

  it.each<[string, Parameters<typeof resolveTimes>[0], Times | null, string, RegExp]>([
    ['a skipped local time', { startsLocal: '2026-03-08T02:30', endsLocal: '2026-03-08T04:00' }, null, 'startsLocal', /does not exist/],
    [
      'an ambiguous local time (the repeated hour), offering both readings',
      { startsLocal: '2026-11-01T01:30', endsLocal: '2026-11-01T03:00' },
      null,
      'startsLocal',
      /happens twice.*2026-11-01T01:30:00-04:00 \(EDT\).*2026-11-01T01:30:00-05:00 \(EST\)/,
    ],
    ['a date that moves into the gap', { date: '2026-03-08' }, { startsAt: t('2026-03-06T07:30:00Z'), endsAt: t('2026-03-06T09:00:00Z'), timeZone: NY }, 'date', /does not exist/],
    ['end before start', { startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T09:00:00Z' }, null, 'endsAt', /after/],
    ['under 15 minutes', { startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T10:14:00Z' }, null, 'endsAt', /15 minutes/],
    ['over 24 hours', { startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-03T10:01:00Z' }, null, 'endsAt', /24 hours/],
    ['no offset', { startsAt: '2026-03-02T10:00:00', endsAt: '2026-03-02T11:00:00Z' }, null, 'startsAt', /offset/],
    ['mixed styles', { startsAt: '2026-03-02T10:00:00Z', endsLocal: '2026-03-02T11:00' }, null, 'startsLocal', /either/],
    ['only one end on create', { startsLocal: '2026-03-02T10:00' }, null, 'endsLocal', /required/],
    ['nothing on create', {}, null, 'startsAt', /required/],
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, current, 'timeZone', /IANA/],
  ])('refuses %s naming the field', (_name, input, cur, field, reason) => {
    try {
      resolveTimes(input, cur, NY);
      throw new Error('accepted');
    } catch (e: any) {
      expect(e.status).toBe(400);
      expect(e.fields[field]).toMatch(reason);
    }
  });
});

describe('localIsoCached', () => {
  it.each([
    [t('2026-03-08T06:59:00Z'), NY, '2026-03-08T01:59:00.000-05:00'],
    [t('2026-03-08T07:00:00Z'), NY, '2026-03-08T03:00:00.000-04:00'],
    [t('2026-07-01T12:00:00Z'), 'Asia/Kolkata', '2026-07-01T17:30:00.000+05:30'],
    [t('2026-04-05T15:45:00Z'), 'Asia/Kathmandu', '2026-04-05T21:30:00.000+05:45'],
    [t('2026-01-01T00:00:00Z'), 'Europe/London', '2026-01-01T00:00:00.000+00:00'],
  ])('formats %p in %s as %s', (ms, zone, expected) => {
    expect(localIsoCached(ms, zone)).toBe(expected);
    expect(localIsoCached(ms, zone)).toBe(expected); // from the cache
  });
});

describe('resolveTimes: the refusals word for word, and the bounds', () => {
  const current: Times = { startsAt: t('2026-03-06T15:00:00Z'), endsAt: t('2026-03-06T17:00:00Z'), timeZone: NY };
  const refusal = (input: Parameters<typeof resolveTimes>[0], cur: Times | null = null) => {
    try {
      resolveTimes(input, cur, NY);
    } catch (e: any) {
      return { status: e.status, code: e.code, message: e.message, fields: e.fields };
    }
    return null;
  };
  const field = (f: string, reason: string, code = 'VALIDATION_FAILED') => ({ status: 400, code, message: `${f} ${reason}`, fields: { [f]: reason } });

  it.each<[string, Parameters<typeof resolveTimes>[0], Times | null, ReturnType<typeof field>]>([
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, current, field('timeZone', 'must be an IANA time zone such as America/New_York')],
    [
      'instants and local times mixed',
      { startsLocal: '2026-03-02T10:00', endsAt: '2026-03-02T11:00:00Z' },
      null,
      field('startsLocal', 'cannot be combined with startsAt/endsAt: send either instants with offsets or local times'),
    ],
    [
      'a move to a date with instants',
      { date: '2026-03-10', startsAt: '2026-03-10T10:00:00Z' },
      current,
      field('date', 'moves the appearance keeping its local times; do not combine it with startsAt/endsAt/startsLocal/endsLocal'),
    ],
    [
      'a move to a date with local times',
      { date: '2026-03-10', endsLocal: '2026-03-10T12:00' },
      current,
      field('date', 'moves the appearance keeping its local times; do not combine it with startsAt/endsAt/startsLocal/endsLocal'),
    ],
    ['a create with only endsAt', { endsAt: '2026-03-02T11:00:00Z' }, null, field('startsAt', 'is required with endsAt')],
    ['a create with only startsAt', { startsAt: '2026-03-02T10:00:00Z' }, null, field('endsAt', 'is required with startsAt')],
    ['a create with only endsLocal', { endsLocal: '2026-03-02T11:00' }, null, field('startsLocal', 'is required with endsLocal')],
    ['a create with only startsLocal', { startsLocal: '2026-03-02T10:00' }, null, field('endsLocal', 'is required with startsLocal')],
    ['a create with no times', { timeZone: NY }, null, field('startsAt', 'is required: send startsAt and endsAt (ISO-8601 with offset) or startsLocal and endsLocal (with timeZone)')],
    ['a date that is not a local date', { date: '2026-3-10' }, current, field('date', 'must be a local date, e.g. 2026-03-10')],
    ['an end at the start', { startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T10:00:00Z' }, null, field('endsAt', 'must be after startsAt')],
    ['local times ending before they start', { startsLocal: '2026-03-02T10:00', endsLocal: '2026-03-02T09:00' }, null, field('endsLocal', 'must be after startsLocal')],
    ['an end a minute short of 15 minutes', { startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T10:14:59Z' }, null, field('endsAt', 'makes the appearance shorter than 15 minutes')],
    ['an end past 24 hours', { startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-03T10:00:01Z' }, null, field('endsAt', 'makes the appearance longer than 24 hours')],
    [
      'a move whose end lands in the skipped hour, named by the date',
      { date: '2026-03-08' },
      { startsAt: t('2026-03-06T06:00:00Z'), endsAt: t('2026-03-06T07:30:00Z'), timeZone: NY },
      {
        status: 400,
        code: 'NONEXISTENT_LOCAL_TIME',
        message: expect.stringMatching(/^date does not exist/),
        fields: { date: expect.stringMatching(/^does not exist in America\/New_York/) },
      } as never,
    ],
    [
      'a new zone where the end does not exist, named by the zone',
      { timeZone: NY },
      { startsAt: t('2026-03-08T01:00:00Z'), endsAt: t('2026-03-08T02:30:00Z'), timeZone: 'UTC' },
      {
        status: 400,
        code: 'NONEXISTENT_LOCAL_TIME',
        message: expect.stringMatching(/^timeZone does not exist/),
        fields: { timeZone: expect.stringMatching(/^does not exist in America\/New_York/) },
      } as never,
    ],
  ])('refuses %s', (_name, input, cur, expected) => expect(refusal(input, cur)).toEqual(expected));

  it('accepts exactly 15 minutes and exactly 24 hours', () => {
    expect(resolveTimes({ startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T10:15:00Z' }, null, NY).endsAt).toBe(t('2026-03-02T10:15:00Z'));
    expect(resolveTimes({ startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-03T10:00:00Z' }, null, NY).endsAt).toBe(t('2026-03-03T10:00:00Z'));
  });

  it('a move keeps the days an overnight appearance spans', () => {
    const overnight: Times = { startsAt: t('2026-03-06T03:00:00Z'), endsAt: t('2026-03-06T06:00:00Z'), timeZone: NY }; // 22:00–01:00 EST
    const r = resolveTimes({ date: '2026-03-12' }, overnight, NY);
    expect([new Date(r.startsAt).toISOString(), new Date(r.endsAt).toISOString()]).toEqual(['2026-03-13T02:00:00.000Z', '2026-03-13T05:00:00.000Z']);
  });
});

describe('resolveTimes: an update that changes no time', () => {
  it('keeps an appearance that starts in the repeated hour (its local time is not read again)', () => {
    const repeated: Times = { startsAt: t('2026-11-01T05:30:00Z'), endsAt: t('2026-11-01T07:00:00Z'), timeZone: NY }; // 01:30 EDT, the first of two
    expect(resolveTimes({}, repeated, NY)).toEqual(repeated);
    expect(resolveTimes({ timeZone: NY }, repeated, NY)).toEqual(repeated);
  });
});

describe('localIsoCached on the days the clocks change', () => {
  // Days no other test formats: the offsets of the day are looked up here for the first time.
  it.each([
    ['New York, spring forward', NY, ['2027-03-14T06:30:00Z', '2027-03-14T07:30:00Z'], ['2027-03-14T01:30:00.000-05:00', '2027-03-14T03:30:00.000-04:00']],
    ['New York, fall back', NY, ['2027-11-07T05:30:00Z', '2027-11-07T06:30:00Z'], ['2027-11-07T01:30:00.000-04:00', '2027-11-07T01:30:00.000-05:00']],
    ['London, spring forward', 'Europe/London', ['2027-03-28T00:30:00Z', '2027-03-28T01:30:00Z'], ['2027-03-28T00:30:00.000+00:00', '2027-03-28T02:30:00.000+01:00']],
  ])('%s: each instant gets the offset in force then, not the one the day began with', (_name, zone, instants, expected) => {
    expect(instants.map((i) => localIsoCached(t(i), zone))).toEqual(expected);
  });
});

describe('isoCached', () => {
  it('is the ISO form of the instant, the first time and from the cache', () => {
    const ms = t('2026-03-06T15:00:00.123Z');
    expect(isoCached(ms)).toBe('2026-03-06T15:00:00.123Z');
    expect(isoCached(ms)).toBe('2026-03-06T15:00:00.123Z');
    expect(isoCached(ms + 1)).toBe('2026-03-06T15:00:00.124Z');
  });
});
