import ICAL from 'ical.js';
import ical from 'node-ical';
import { Appearance } from '../src/appearances/appearance.entity';
import { buildAppearanceIcs } from '../src/calendar/ics';
import { Institution } from '../src/institutions/institution.entity';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, TestApp } from './helpers/test-app';

/** Every content line ends in CRLF, none is longer than 75 octets. */
function assertWellFormed(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const lines = text.split('\r\n').slice(0, -1);
  for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  return lines;
}

interface Parsed {
  uid: string;
  sequence: number;
  summary: string;
  location: string;
  start: number;
  end: number;
  status: string;
}

function parseWithIcalJs(text: string): { method: string; events: Parsed[] } {
  const comp = new ICAL.Component(ICAL.parse(text));
  const events = comp.getAllSubcomponents('vevent').map((v: any) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      sequence: e.sequence,
      summary: e.summary,
      location: e.location,
      start: e.startDate.toJSDate().getTime(),
      end: e.endDate.toJSDate().getTime(),
      status: String(v.getFirstPropertyValue('status')),
    };
  });
  return { method: String(comp.getFirstPropertyValue('method')), events };
}

function parseWithNodeIcal(text: string): Parsed[] {
  const data = ical.sync.parseICS(text);
  return Object.values(data)
    .filter((c: any) => c.type === 'VEVENT')
    .map((e: any) => ({
      uid: e.uid,
      sequence: Number(e.sequence),
      summary: typeof e.summary === 'string' ? e.summary : e.summary.val,
      location: typeof e.location === 'string' ? e.location : e.location.val,
      start: new Date(e.start).getTime(),
      end: new Date(e.end).getTime(),
      status: e.status,
    }));
}

describe('calendar (.ics)', () => {
  let t: TestApp;
  let office: Office;
  let inst: Institution;
  let rec: User;
  let coord: User;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
    office = await t.factories.office();
    inst = await t.factories.institution({ name: 'Université de Montréal; Faculté des arts, sciences & lettres — campus principal', city: 'Montréal', state: 'QC' });
    rec = await t.factories.user('recruiter', { officeId: office.id });
    coord = await t.factories.user('coordinator', { officeId: office.id });
  });
  afterAll(() => t.close());

  /** Plans an appearance through the API as the recruiter (an in-person public info session unless told). */
  function plan(fields: Record<string, unknown>) {
    const body = { institutionId: inst.id, kind: 'info_session', format: 'in_person', audience: 'public', recruiterIds: [rec.id], ...fields };
    return t.http().post('/appearances').set(t.auth(rec)).send(body).expect(201);
  }

  async function expectMatchesDb(events: Parsed[], id: string) {
    const row = await t.db.getRepository(Appearance).findOneByOrFail({ id });
    const e = events.find((x) => x.uid === `${id}@forewarn`);
    expect(e).toBeDefined();
    expect(e!.sequence).toBe(row.sequence);
    expect(e!.start).toBe(row.startsAt);
    expect(e!.end).toBe(row.endsAt);
    expect(e!.summary).toBe(`${row.title} (${inst.name})`);
    expect(e!.location).toBe(`${row.venue}, ${inst.name}, Montréal, QC`);
    expect(e!.status).toBe({ planned: 'TENTATIVE', confirmed: 'CONFIRMED', completed: 'CONFIRMED', cancelled: 'CANCELLED' }[row.status]);
  }

  it('serves one appearance as .ics: stable UID, SEQUENCE rising with each change, CRLF, folded, escaped; both parsers agree with the database', async () => {
    const title = 'Career fair: "Ünïcödé", commas, semicolons; and a back\\slash — with a title long enough to fold';
    const created = await plan({
      kind: 'career_fair',
      title,
      startsLocal: '2026-03-06T10:00',
      endsLocal: '2026-03-06T12:30',
      timeZone: 'America/Toronto',
      venue: 'Pavillon Jean-Brillant, salle B-2305',
    });
    const id = created.body.id;
    const first = await t.http().get(`/appearances/${id}/ics`).set(t.auth(rec)).expect(200);
    expect(first.headers['content-type']).toMatch(/^text\/calendar/);
    const lines = assertWellFormed(first.text);
    expect(lines.some((l) => l.startsWith(' '))).toBe(true); // folded
    expect(first.text).toContain('METHOD:PUBLISH');
    expect(first.text.replace(/\r\n /g, '')).toContain('semicolons\\; and a back\\\\slash');
    const a = parseWithIcalJs(first.text);
    expect(a.method).toBe('PUBLISH');
    await expectMatchesDb(a.events, id);
    await expectMatchesDb(parseWithNodeIcal(first.text), id);
    expect(a.events[0].summary.startsWith(title)).toBe(true);
    expect(a.events[0].sequence).toBe(0);

    await t.http().patch(`/appearances/${id}`).set(t.auth(rec)).send({ date: '2026-03-10' }).expect(200);
    await t.http().post(`/appearances/${id}/confirm`).set(t.auth(rec)).send({}).expect(200);
    const second = await t.http().get(`/appearances/${id}/ics`).set(t.auth(coord)).expect(200);
    assertWellFormed(second.text);
    const b = parseWithIcalJs(second.text);
    expect(b.events[0].uid).toBe(a.events[0].uid);
    expect(b.events[0].sequence).toBe(2);
    expect(b.events[0].start).toBe(Date.parse('2026-03-10T14:00:00Z')); // 10:00 EDT
    await expectMatchesDb(b.events, id);
    await expectMatchesDb(parseWithNodeIcal(second.text), id);

    await t.http().get(`/appearances/${id}/ics`).expect(401);
    await t.http().get('/appearances/00000000-0000-4000-8000-000000000000/ics').set(t.auth(rec)).expect(404);
  });

  it('serves the personal feed from the secret URL in /me: only that user’s appearances (coordinators: their office), cancelled ones marked', async () => {
    const mine = await t.factories.appearance({ institutionId: inst.id, officeId: office.id, recruiterIds: [rec.id], title: 'Mine' });
    const cancelled = await t.factories.appearance({ institutionId: inst.id, officeId: office.id, recruiterIds: [rec.id], title: 'Called off', status: 'cancelled', sequence: 3 });
    const colleague = await t.factories.user('recruiter', { officeId: office.id });
    const theirs = await t.factories.appearance({ institutionId: inst.id, officeId: office.id, recruiterIds: [colleague.id], title: 'Theirs' });
    const old = await t.factories.appearance({ institutionId: inst.id, officeId: office.id, recruiterIds: [rec.id], startsAt: Date.UTC(2025, 0, 1), endsAt: Date.UTC(2025, 0, 1, 2) });

    const me = await t.http().get('/me').set(t.auth(rec)).expect(200);
    const path = new URL(me.body.calendarUrl).pathname;
    const res = await t.http().get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    assertWellFormed(res.text);
    const a = parseWithIcalJs(res.text);
    const n = parseWithNodeIcal(res.text);
    const uids = a.events.map((e) => e.uid).sort();
    expect(n.map((e) => e.uid).sort()).toEqual(uids);
    expect(uids).toContain(`${mine.id}@forewarn`);
    expect(uids).toContain(`${cancelled.id}@forewarn`);
    expect(uids).not.toContain(`${theirs.id}@forewarn`);
    expect(uids).not.toContain(`${old.id}@forewarn`);
    for (const events of [a.events, n]) {
      await expectMatchesDb(events, mine.id);
      await expectMatchesDb(events, cancelled.id);
    }

    const coordMe = await t.http().get('/me').set(t.auth(coord)).expect(200);
    const coordFeed = parseWithIcalJs((await t.http().get(new URL(coordMe.body.calendarUrl).pathname).expect(200)).text);
    expect(coordFeed.events.map((e) => e.uid)).toEqual(expect.arrayContaining([`${mine.id}@forewarn`, `${theirs.id}@forewarn`]));

    await t.http().get('/calendar/not-a-real-token-but-long-enough.ics').expect(404);
    await t.http().get('/calendar/x.ics').expect(404);
  });

  it('writes the venue wall clock with TZID and a VTIMEZONE: across the November change both parsers agree with the stored UTC times and show the venue time', async () => {
    const created = await plan({ title: 'Autumn info session', startsLocal: '2026-10-29T10:00', endsLocal: '2026-10-29T11:30', timeZone: 'America/New_York', venue: 'Room 5' });
    const id = created.body.id;
    // A week later, after the clocks went back on 1 November: 10:00 EDT (14:00Z) becomes 10:00 EST (15:00Z).
    const moved = await t.http().patch(`/appearances/${id}`).set(t.auth(rec)).send({ date: '2026-11-05' }).expect(200);
    expect(moved.body.startsAt).toBe('2026-11-05T15:00:00.000Z');
    const me = await t.http().get('/me').set(t.auth(rec)).expect(200);
    const texts = [(await t.http().get(`/appearances/${id}/ics`).set(t.auth(rec)).expect(200)).text, (await t.http().get(new URL(me.body.calendarUrl).pathname).expect(200)).text];
    for (const text of texts) {
      assertWellFormed(text);
      const unfolded = text.replace(/\r\n /g, '');
      expect(unfolded).toContain('DTSTART;TZID=America/New_York:20261105T100000');
      expect(unfolded).toContain('DTEND;TZID=America/New_York:20261105T113000');
      expect(unfolded).toMatch(/BEGIN:VTIMEZONE\r\nTZID:America\/New_York\r\n/);
      await expectMatchesDb(parseWithIcalJs(text).events, id);
      await expectMatchesDb(parseWithNodeIcal(text), id);
      // ical.js has no zone data of its own: the wall clock it shows comes from the file's VTIMEZONE.
      const comp = new ICAL.Component(ICAL.parse(text));
      const ev = new ICAL.Event(comp.getAllSubcomponents('vevent').find((v: any) => v.getFirstPropertyValue('uid') === `${id}@forewarn`)!);
      expect([ev.startDate.toString(), ev.startDate.zone?.tzid, ev.endDate.toString()]).toEqual(['2026-11-05T10:00:00', 'America/New_York', '2026-11-05T11:30:00']);
      const n: any = Object.values(ical.sync.parseICS(text)).find((c: any) => c.uid === `${id}@forewarn`);
      expect([new Date(n.start).toISOString(), n.start.tz]).toEqual(['2026-11-05T15:00:00.000Z', 'America/New_York']);
      // Reminders a day and an hour before (the default CALENDAR_ALARMS).
      expect(ev.component.getAllSubcomponents('valarm').map((a: any) => String(a.getFirstPropertyValue('trigger')))).toEqual(['-P1D', '-PT1H']);
    }
    // The feed tells apps how often to re-read it; /me offers the webcal:// link to subscribe.
    expect(texts[1]).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
    expect(texts[1]).toContain('\r\nX-PUBLISHED-TTL:PT1H\r\n');
    expect(texts[0]).not.toContain('REFRESH-INTERVAL');
    expect(me.body.calendarWebcalUrl).toBe(me.body.calendarUrl.replace(/^http:\/\//, 'webcal://'));
    expect(me.body.calendarWebcalUrl).toMatch(/^webcal:\/\/forewarn\.test\/calendar\/[A-Za-z0-9_-]+\.ics$/);
  });

  it('builds REQUEST and CANCEL messages for reuse in emails (same UID, organizer and attendees)', async () => {
    const view = {
      id: '11111111-1111-4111-8111-111111111111',
      title: 'Info session',
      kind: 'info_session',
      institution: { name: 'Kent State University at Kent', city: 'Kent', state: 'OH' },
      startsAt: '2026-03-09T14:00:00.000Z',
      endsAt: '2026-03-09T15:00:00.000Z',
      startsAtLocal: '2026-03-09T10:00:00.000-04:00',
      endsAtLocal: '2026-03-09T11:00:00.000-04:00',
      timeZone: 'America/New_York',
      venue: 'Room 1',
      format: 'in_person' as const,
      audience: 'public',
      status: 'confirmed',
      sequence: 4,
      riskLevel: 'high',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
    };
    const people = { organizer: { name: 'Cleveland Office', email: 'office@forewarn.test' }, attendees: [{ name: 'Dana', email: 'dana@forewarn.test' }] };
    const req = buildAppearanceIcs([view], { method: 'REQUEST', stampAt: t.clock.now(), ...people });
    const cancel = buildAppearanceIcs([view], { method: 'CANCEL', stampAt: t.clock.now(), ...people });
    for (const text of [req, cancel]) assertWellFormed(text);
    const r = parseWithIcalJs(req);
    const c = parseWithIcalJs(cancel);
    expect([r.method, c.method]).toEqual(['REQUEST', 'CANCEL']);
    expect(c.events[0]).toMatchObject({ uid: r.events[0].uid, sequence: 4, status: 'CANCELLED' });
    expect(parseWithNodeIcal(cancel)[0]).toMatchObject({ uid: `${view.id}@forewarn`, status: 'CANCELLED' });
    expect(req).toMatch(/ORGANIZER;CN="?Cleveland Office"?:mailto:office@forewarn.test/);
    expect(req.replace(/\r\n /g, '').toLowerCase()).toContain('mailto:dana@forewarn.test');
  });
});
