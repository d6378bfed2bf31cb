import { randomUUID } from 'node:crypto';
import { Incident } from '../src/incidents/incident.entity';
import type { Institution } from '../src/institutions/institution.entity';
import { topicMask } from '../src/common/topics';
import { createTestApp, TestApp } from './helpers/test-app';

const HEADER = 'date,institution_id,kind,severity,target,source,verification,dispute_statement,import_key,topics';

/**
 * The incident import's row rules in the Forewarn format, each with the report line it gives: dates
 * judged in the institution's zone, an unknown institution, a dispute without its statement, a
 * re-import that sets topics, a key repeated in a later chunk of the same file, and the topic counts.
 */
describe('incident import: row by row', () => {
  let t: TestApp;
  let h: { Authorization: string };
  let la: Institution;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
    h = t.auth(await t.factories.user('admin'));
    la = await t.factories.institution({ state: 'CA', city: 'Los Angeles', timeZone: 'America/Los_Angeles' });
  });
  afterAll(() => t.close());

  const line = (date: string, o: { inst?: string; verification?: string; dispute?: string; key?: string; topics?: string } = {}) =>
    [date, o.inst ?? la.id, 'protest', 2, 'organisation', 'news', o.verification ?? '', o.dispute ?? '', o.key ?? '', o.topics ?? ''].join(',');
  const upload = async (lines: string[]) =>
    (
      await t
        .http()
        .post('/incidents/import?atomic=false')
        .set(h)
        .set('Content-Type', 'text/csv')
        .send([HEADER, ...lines].join('\n'))
        .expect(200)
    ).body;

  it('judges the year in the institution’s zone: 1990–2200, then “not in the future”, up to this very moment; no such day, or a time without its offset, is not a date', async () => {
    const now = new Date(t.clock.now()).toISOString();
    const report = await upload([
      line('1989-12-31'),
      line('1989-12-31T23:30:00-08:00'), // 1990 in UTC, still 1989 in Los Angeles
      line('1990-01-01'),
      line(now), // exactly now
      line('2200-06-01'), // in range, but ahead
      line('2201-01-01'),
      line('2026-02-30'), // the shape of a date, but no such day
      line('2026-01-05T10:00:00'), // a time without its offset
    ]);
    expect(report.items.map((i: any) => [i.status, i.reason ?? null, i.fields ?? null])).toEqual([
      ['refused', 'date out of range', { date: 'year 1989 is outside 1990–2200' }],
      ['refused', 'date out of range', { date: 'year 1989 is outside 1990–2200' }],
      ['created', null, null],
      ['created', null, null],
      ['refused', 'date: is in the future', { date: 'is in the future' }],
      ['refused', 'date out of range', { date: 'year 2201 is outside 1990–2200' }],
      ['refused', 'date: "2026-02-30" is not a date (YYYY-MM-DD or ISO-8601)', { date: '"2026-02-30" is not a date (YYYY-MM-DD or ISO-8601)' }],
      ['refused', 'date: "2026-01-05T10:00:00" is not a date (YYYY-MM-DD or ISO-8601)', { date: '"2026-01-05T10:00:00" is not a date (YYYY-MM-DD or ISO-8601)' }],
    ]);
    expect((await t.db.getRepository(Incident).findOneByOrFail({ id: report.items[3].id })).occurredAt).toBe(t.clock.now());
  });

  it('names the institution it could not find, and a dispute that lacks the institution’s statement', async () => {
    const missing = randomUUID();
    const report = await upload([line('2026-01-10', { inst: missing }), line('2026-01-11', { verification: 'disputed' })]);
    expect(report.items[0]).toMatchObject({ status: 'refused', reason: `no institution with id ${missing}`, fields: { institution: `no institution with id ${missing}` } });
    expect(report.items[1]).toMatchObject({ status: 'refused', fields: { dispute_statement: "required when disputed: the institution's statement" } });
    expect(report.created).toBe(0);
  });

  it('a re-import matches by key, and sets the file’s topics on rows that had others (or none)', async () => {
    const first = await upload([line('2026-01-20', { key: 'ext:1', topics: 'policing' }), line('2026-01-21', { key: 'ext:2', topics: 'labour' })]);
    const [id1, id2] = first.items.map((i: any) => i.id);
    const mask = async (id: string) => (await t.db.getRepository(Incident).findOneByOrFail({ id })).topicMask;
    const again = await upload([line('2026-01-20', { key: 'ext:1', topics: 'policing;labour' }), line('2026-01-21', { key: 'ext:2', topics: 'labour' })]);
    expect(again.items).toEqual([
      expect.objectContaining({ status: 'matched', id: id1, reason: 'already imported (import key ext:1)', note: 'topics set to policing, labour' }),
      expect.objectContaining({ status: 'matched', id: id2, reason: 'already imported (import key ext:2)' }),
    ]);
    expect(again.items[1].note).toBeUndefined();
    expect([await mask(id1), await mask(id2)]).toEqual([topicMask(['policing', 'labour']), topicMask(['labour'])]);
    const cleared = await upload([line('2026-01-20', { key: 'ext:1' })]);
    expect(cleared.items[0].note).toBe('topics set to none');
    expect(await mask(id1)).toBe(0);
    expect(await t.db.getRepository(Incident).countBy({ importKey: 'ext:1' })).toBe(1);
  });

  it('counts the created rows per topic', async () => {
    const report = await upload([
      line('2026-02-01', { topics: 'policing' }),
      line('2026-02-02', { topics: 'policing;labour' }),
      line('2026-02-03', { topics: 'labour' }),
      line('2026-02-04', { topics: 'labour' }),
    ]);
    expect(report.topics).toEqual({ policing: 2, labour: 3 });
  });

  it('a key repeated in a later chunk of the same file matches the row staged earlier, not a second row', async () => {
    const lines = Array.from({ length: 520 }, (_, i) => line(`2025-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`, { key: `bulk:${i}` }));
    lines.push(line('2025-01-01', { key: 'bulk:0' })); // row 522, in the file's second chunk of 500
    const report = await upload(lines);
    expect({ created: report.created, matched: report.matched, refused: report.refused }).toEqual({ created: 520, matched: 1, refused: 0 });
    const last = report.items[report.items.length - 1];
    expect(last).toMatchObject({ row: 522, status: 'matched', id: report.items[0].id });
    expect(await t.db.getRepository(Incident).countBy({ importKey: 'bulk:0' })).toBe(1);
  });
});
