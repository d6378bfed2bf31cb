import { localIsoCached, resolveTimes, Times } from './appearance-times';

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
