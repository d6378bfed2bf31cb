import { readMailConfig } from '../config/mail.config';
import { summariseAssessment } from './assessment-summary';
import { MailTemplates } from './mail-templates';
import type { MailContext } from './mail-context';
import { ackWindowMs, MUTABLE_KINDS, NOTIFICATION_DEFINITIONS } from './notification-definitions';
import { backoffMs } from './notification-dispatcher.service';
import { briefingDueAt, briefingKey, briefingPlan } from './outbox-writer';

const at = (s: string) => Date.parse(s);
const H = 3_600_000;

describe('briefingDueAt: the local start minus the offset, in the venue zone', () => {
  it.each([
    // start (UTC), zone, offset minutes, due (UTC)
    ['2026-03-10T14:00:00Z', 'America/New_York', 14 * 1440, '2026-02-24T15:00:00.000Z'], // 10:00 EDT → 10:00 EST
    ['2026-03-10T14:00:00Z', 'America/New_York', 1440, '2026-03-09T14:00:00.000Z'],
    ['2026-03-09T14:00:00Z', 'America/New_York', 1440, '2026-03-08T14:00:00.000Z'], // 10:00 the day DST starts
    ['2026-11-02T15:00:00Z', 'America/New_York', 3 * 1440, '2026-10-30T14:00:00.000Z'], // 10:00 EST → 10:00 EDT
    ['2026-03-30T08:00:00Z', 'Europe/Berlin', 7 * 1440, '2026-03-23T09:00:00.000Z'], // 10:00 CEST → 10:00 CET
    ['2026-03-10T14:00:00Z', 'America/New_York', 120, '2026-03-10T12:00:00.000Z'],
    ['2026-03-10T14:00:00Z', 'America/New_York', 1440 + 90, '2026-03-09T12:30:00.000Z'],
    ['2026-06-10T14:00:00Z', 'UTC', 14 * 1440, '2026-05-27T14:00:00.000Z'],
  ])('%s %s −%i min → %s', (start, zone, offset, due) => {
    expect(new Date(briefingDueAt(at(start), zone, offset)).toISOString()).toBe(due);
  });
});

describe('briefingPlan', () => {
  const a = { startsAt: at('2026-03-10T14:00:00Z'), timeZone: 'America/New_York', briefingOffsets: null };
  const defaults = [20160, 4320, 1440];
  it('plans every offset still ahead', () => {
    expect(briefingPlan(a, defaults, at('2026-02-01T00:00:00Z')).map((p) => p.offset)).toEqual([20160, 4320, 1440]);
  });
  it('plans one catch-up briefing (the nearest past offset) due now when created late', () => {
    const now = at('2026-03-08T00:00:00Z');
    expect(briefingPlan(a, defaults, now)).toEqual([
      { offset: 1440, dueAt: at('2026-03-09T14:00:00Z') },
      { offset: 4320, dueAt: now },
    ]);
  });
  it('uses the appearance offsets when set, and nothing once it started', () => {
    expect(briefingPlan({ ...a, briefingOffsets: [60] }, defaults, at('2026-03-01T00:00:00Z')).map((p) => p.offset)).toEqual([60]);
    expect(briefingPlan(a, defaults, a.startsAt)).toEqual([]);
  });
  it('orders offsets farthest first and drops repeats, whatever order they were set in', () => {
    const now = at('2026-02-01T00:00:00Z');
    expect(briefingPlan({ ...a, briefingOffsets: [1440, 20160, 1440, 4320] }, defaults, now).map((p) => p.offset)).toEqual([20160, 4320, 1440]);
    // the catch-up is the nearest past offset also when they were set out of order
    const late = at('2026-03-08T00:00:00Z');
    expect(briefingPlan({ ...a, briefingOffsets: [4320, 1440, 20160] }, defaults, late)).toEqual([
      { offset: 1440, dueAt: at('2026-03-09T14:00:00Z') },
      { offset: 4320, dueAt: late },
    ]);
  });
  it('counts a briefing due exactly now as past: one catch-up for it, none for the offsets before it', () => {
    const now = briefingDueAt(a.startsAt, a.timeZone, 4320);
    expect(briefingPlan(a, defaults, now)).toEqual([
      { offset: 1440, dueAt: at('2026-03-09T14:00:00Z') },
      { offset: 4320, dueAt: now },
    ]);
  });
});

describe('briefingKey: the idempotency key of a briefing', () => {
  it('names the appearance, the offset and the recipient, so each (appearance, offset, recipient) is one row', () => {
    expect(briefingKey('a1', 1440, 'u1')).toBe('briefing:a1:o1440:u1');
    const keys = new Set([briefingKey('a1', 1440, 'u1'), briefingKey('a1', 4320, 'u1'), briefingKey('a1', 1440, 'u2'), briefingKey('a2', 1440, 'u1')]);
    expect(keys.size).toBe(4);
  });
});

describe('backoff and acknowledgement windows', () => {
  it.each([
    [1, 0, 15_000],
    [1, 1, 30_000],
    [2, 1, 60_000],
    [5, 1, 480_000],
    [30, 1, 3_600_000], // capped
  ])('attempt %i, random %d → %i ms', (n, r, ms) => {
    expect(backoffMs(n, 30_000, 3_600_000, () => r)).toBe(ms);
  });
  it.each([
    [12 * H, 0, 10 * 24 * H, 12 * H], // far: the configured time
    [12 * H, 0, 6 * H, 3 * H], // near: half the time left
    [12 * H, 0, 10 * 60_000, 15 * 60_000], // never under 15 minutes
  ])('configured %i, sent %i, starts %i → %i', (cfg, sent, start, win) => {
    expect(ackWindowMs(cfg, sent, start)).toBe(win);
  });
});

describe('definitions', () => {
  it('has one definition per kind; only digest and debrief can be switched off', () => {
    expect(Object.keys(NOTIFICATION_DEFINITIONS).sort()).toEqual(['ack_escalation', 'briefing', 'cancellation', 'debrief_request', 'escalation', 'mail_dead', 'reschedule', 'weekly_digest']);
    expect([...MUTABLE_KINDS].sort()).toEqual(['debrief_request', 'weekly_digest']);
  });
});

describe('summariseAssessment', () => {
  it('takes the first three reasons, the mitigations and the evidence in words', () => {
    const s = summariseAssessment({
      id: 'x',
      level: 'high',
      p: 0.514,
      modelVersion: 'm',
      detail: {
        reasons: ['a', 'b', 'c', 'd'],
        mitigations: [{ id: 'exit_plan', text: 'Exit plan' }],
        evidence: { institution: { n: 2.44, k: 1 }, state: { n: 10, k: 2 }, peerActivity: 0.5, latestStance: 'hostile' },
      },
    });
    expect(s).toMatchObject({ levelWords: 'High', probabilityPct: 51.4, probability: '51%', reasons: ['a', 'b', 'c'], mitigations: [{ id: 'exit_plan', text: 'Exit plan' }] });
    expect(s.evidence).toContainEqual({ label: 'Past appearances at this institution (recency-weighted)', value: '2.4, 1 with disruption' });
    expect(s.evidence).toContainEqual({ label: 'Latest recorded stance of the institution', value: 'hostile' });
  });
  it('ranks factor objects by size when there are no plain reasons', () => {
    const s = summariseAssessment({
      id: 'x',
      level: 'low',
      p: 0.1,
      modelVersion: 'm',
      detail: {
        factors: [
          { text: 'small', points: 1 },
          { text: 'big', points: -9 },
        ],
      },
    });
    expect(s.reasons).toEqual(['big', 'small']);
  });
});

describe('templates (strict mode)', () => {
  const templates = new MailTemplates();
  const ctx: MailContext = {
    kind: 'debrief_request',
    recipient: { name: 'Ann', email: 'a@x.test' },
    appearance: null,
    risk: null,
    offset: null,
    rise: null,
    ack: null,
    ackEscalation: null,
    moved: null,
    digest: null,
    debriefUrl: 'http://x/appearances/1/outcome',
    deadMail: null,
    unsubscribeUrl: 'http://x/u',
    preferencesUrl: 'http://x/p',
    publicUrl: 'http://x',
  };
  it('renders text without HTML escaping and HTML with it', () => {
    const r = templates.render('weekly-digest', {
      ...ctx,
      digest: { officeName: 'A & B', fromLocal: 'Mon', toLocal: 'Sun', total: 0, summary: 'nothing planned', groups: [] },
    });
    expect(r.text).toContain('A & B: appearances');
    expect(r.html).toContain('A &amp; B');
  });
  it('fails loudly when the context lacks a variable', () => {
    const { debriefUrl: _d, ...missing } = ctx;
    expect(() => templates.render('debrief-request', missing as MailContext)).toThrow(/debriefUrl/);
  });
});

describe('mail config', () => {
  it('defaults to 14d,3d,1d, 12 h acknowledgement, .eml files in ./data/outbox', () => {
    expect(readMailConfig({})).toMatchObject({ smtpUrl: null, outboxDir: './data/outbox', briefingOffsetsMinutes: [20160, 4320, 1440], ackTimeoutMs: 12 * H });
  });
  it('names the bad variable', () => {
    expect(() => readMailConfig({ BRIEFING_OFFSETS: '14 days' })).toThrow(/BRIEFING_OFFSETS/);
    expect(() => readMailConfig({ SMTP_URL: 'http://x' })).toThrow(/SMTP_URL/);
  });
});
