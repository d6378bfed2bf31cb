import { mitigation, MitigationId, RISK_MITIGATIONS, stillDoable } from './mitigations';

const ZONE = 'America/New_York';
/** Thursday 12 March 2026, 10:00 EDT. */
const START = Date.parse('2026-03-12T14:00:00Z');
const HOUR = 3_600_000;
const textAt = (id: MitigationId, now: number, zone = ZONE) => stillDoable([mitigation(id)], { now, startsAt: START, timeZone: zone })[0].text;

describe('the checklist says only what can still be done', () => {
  it.each<[string, MitigationId, number, RegExp]>([
    ['ten days before: "a week before" as written', 'confirm_with_host_contact', START - 240 * HOUR, /a week before\.$/],
    ['exactly a week before (same wall-clock time, across the DST change): still as written', 'confirm_with_host_contact', Date.parse('2026-03-05T15:00:00Z'), /a week before\.$/],
    [
      'a minute later: now, by phone',
      'confirm_with_host_contact',
      Date.parse('2026-03-05T15:01:00Z'),
      /^Confirm the event with your host contact now, by phone if you can: it is less than a week away\.$/,
    ],
    ['three days before: now, by phone', 'confirm_with_host_contact', START - 72 * HOUR, /less than a week away/],
    ['the day before, late evening: "the day before" as written', 'check_local_news', Date.parse('2026-03-12T03:59:00Z'), /the day before/],
    ['the day itself, 00:01 local: before you leave', 'check_local_news', Date.parse('2026-03-12T04:01:00Z'), /^Check campus and local news for announced actions before you leave\.$/],
    ['25 hours before: "24 hours before" as written', 'senior_go_no_go', START - 25 * HOUR, /24 hours before/],
    ['23 hours before: before you travel', 'senior_go_no_go', START - 23 * HOUR, /^Get a go \/ no-go decision from a senior coordinator, in writing, before you travel\.$/],
    ['an item without a moment never changes', 'exit_plan', START - HOUR, /^Agree an exit plan/],
    ['after the start the checklist is a record: the catalogue words', 'confirm_with_host_contact', START + HOUR, /a week before\.$/],
  ])('%s', (_, id, now, expected) => {
    expect(textAt(id, now)).toMatch(expected);
  });

  it('"the day before" is counted in the venue’s zone, not UTC', () => {
    // 01:00 UTC on the 12th is still the 11th in New York (the day before), but already the 12th in Berlin
    const now = Date.parse('2026-03-12T01:00:00Z');
    expect(textAt('check_local_news', now, ZONE)).toMatch(/the day before/);
    expect(textAt('check_local_news', now, 'Europe/Berlin')).toMatch(/before you leave/);
  });

  it('keeps every id, in order (a tick or a debrief counts the same mitigation), and leaves its input alone', () => {
    const all = RISK_MITIGATIONS.map((m) => ({ ...m }));
    const late = stillDoable(all, { now: START - 2 * HOUR, startsAt: START, timeZone: ZONE });
    expect(late.map((m) => m.id)).toEqual(RISK_MITIGATIONS.map((m) => m.id));
    expect(late.filter((m, i) => m.text !== all[i].text).map((m) => m.id)).toEqual(['senior_go_no_go', 'check_local_news', 'confirm_with_host_contact']);
    expect(all).toEqual(RISK_MITIGATIONS.map((m) => ({ ...m })));
    expect(late.some((m) => /a week before|24 hours before|the day before/.test(m.text))).toBe(false);
  });
});
