import { randomUUID } from 'node:crypto';
import type { FindOptionsWhere } from 'typeorm';
import { EventEmitter2 } from '@nestjs/event-emitter';
import ICAL from 'ical.js';
import type { Appearance } from '../../src/appearances/appearance.entity';
import { DomainEvents } from '../../src/common/domain-events';
import type { RiskLevel } from '../../src/common/enums';
import { mailConfig, MailConfig, readMailConfig } from '../../src/config';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.service';
import { NotificationScheduler } from '../../src/notifications/notification-scheduler.service';
import { Notification } from '../../src/notifications/notification.entity';
import { RiskAssessment } from '../../src/risk/risk-assessment.entity';
import type { TestingModuleBuilder } from '@nestjs/testing';
import type { TestApp } from './test-app';
import type { ReceivedMail } from './smtp-server';

/** Overrides the mail config (defaults + the given values), e.g. pointing SMTP at a TestSmtpServer. */
export function withMail(cfg: Partial<MailConfig>): (b: TestingModuleBuilder) => TestingModuleBuilder {
  return (b) => b.overrideProvider(mailConfig.KEY).useValue({ ...readMailConfig({}), ...cfg });
}

export const dispatcher = (t: TestApp) => t.app.get(NotificationDispatcher);
export const scheduler = (t: TestApp) => t.app.get(NotificationScheduler);

/** What H1's AppearancesService does inside its transaction: emit the domain event with the manager. */
export async function emit(t: TestApp, name: (typeof DomainEvents)[keyof typeof DomainEvents], payload: Record<string, unknown>): Promise<void> {
  const events = t.app.get(EventEmitter2);
  await t.db.transaction(async (manager) => {
    await events.emitAsync(name, { manager, actorId: null, at: t.clock.now(), ...payload });
  });
}

/** A stored assessment in the risk engine's shape (src/risk/risk.view.ts RiskDetail). */
export async function assess(t: TestApp, appearanceId: string, level: RiskLevel, p = 0.55, asOf = t.clock.now()): Promise<RiskAssessment> {
  const [{ s }] = await t.db.query(`SELECT COALESCE(MAX(seq), 0) AS s FROM risk_assessments WHERE appearance_id = '${appearanceId}'`);
  const row = t.db.getRepository(RiskAssessment).create({
    id: randomUUID(),
    appearanceId,
    seq: Number(s) + 1,
    asOf,
    trigger: 'on_demand',
    modelVersion: 'test-model',
    p,
    pSevere: p / 4,
    level,
    intervalLow: p / 2,
    intervalHigh: Math.min(0.95, p * 1.5),
    detail: {
      reasons: [
        `Reason one for ${level}: two disruptions here in the last year`,
        'Reason two: a hostile campaign in the state',
        'Reason three: visible uniforms add 10 points',
        'Reason four: should not be shown',
      ],
      mitigations: [
        { id: 'civilian_dress', text: 'Wear civilian dress' },
        { id: 'exit_plan', text: 'Agree an exit plan with the host' },
      ],
      evidence: {
        institution: { n: 2.4, k: 1, severity: [1, 0, 0, 0] },
        state: { n: 12, k: 3, severity: [2, 1, 0, 0] },
        organisation: { n: 100, k: 9, severity: [5, 3, 1, 0] },
        peerActivity: 1,
        generalActivism: 0.5,
        regionalWave: 0,
        latestStance: 'cautious',
        declinedRecently: false,
        criticalRecently: false,
      },
    },
    createdAt: asOf,
  });
  return t.db.getRepository(RiskAssessment).save(row);
}

export async function rows(t: TestApp, where: FindOptionsWhere<Notification> = {}): Promise<Notification[]> {
  return t.db.getRepository(Notification).find({ where, order: { dueAt: 'ASC', recipientEmail: 'ASC' } });
}

/** The invitation attached to a received mail, parsed with ical.js. */
/**
 * The mail's calendar part as a client reads it (ical.js, which knows no zone but the VTIMEZONE the
 * file carries): method, UID, SEQUENCE, status, the start as UTC and as the venue's wall clock with
 * its TZID, and the reminders' triggers.
 */
export function invitation(m: ReceivedMail): { method: string; uid: string; sequence: number; status: string | null; start: string; tzid: string | null; localStart: string; alarms: string[] } {
  const att = m.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  if (!att) throw new Error(`no text/calendar part in ${m.parsed.subject}`);
  const comp = new ICAL.Component(ICAL.parse(att.content.toString('utf8')));
  const ev = comp.getFirstSubcomponent('vevent')!;
  const start = ev.getFirstPropertyValue('dtstart') as unknown as { toJSDate(): Date; toString(): string };
  const tzid = (ev.getFirstProperty('dtstart')!.getParameter('tzid') as string | undefined) ?? null;
  if (tzid && !comp.getAllSubcomponents('vtimezone').some((z) => z.getFirstPropertyValue('tzid') === tzid)) throw new Error(`TZID ${tzid} without its VTIMEZONE`);
  return {
    method: String(comp.getFirstPropertyValue('method')),
    uid: String(ev.getFirstPropertyValue('uid')),
    sequence: Number(ev.getFirstPropertyValue('sequence')),
    status: (ev.getFirstPropertyValue('status') as string | null) ?? null,
    start: start.toJSDate().toISOString(),
    tzid,
    localStart: start.toString(),
    alarms: ev.getAllSubcomponents('valarm').map((a) => String(a.getFirstPropertyValue('trigger'))),
  };
}

export type AppearanceLike = Appearance;

/** A raw header value as it arrived (mailparser folds List-* headers into an object). */
export function header(m: ReceivedMail, name: string): string | undefined {
  const line = m.parsed.headerLines.find((h) => h.key === name.toLowerCase());
  return line
    ? line.line
        .slice(line.line.indexOf(':') + 1)
        .replace(/\r?\n\s+/g, ' ')
        .trim()
    : undefined;
}

/**
 * Outbox rows written directly (each due a minute before `now` unless it says otherwise), so a test of
 * the claims starts from exactly the state it names; the ids by label.
 */
export async function putOutboxRows(t: TestApp, recipient: { id: string; email: string }, now: number, list: Array<Partial<Notification> & { label: string }>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const { label, ...o } of list) {
    const id = randomUUID();
    ids.set(label, id);
    const due = o.nextAttemptAt ?? now - 60_000;
    await t.db.getRepository(Notification).insert({
      id,
      idempotencyKey: `test:${label}:${id}`,
      kind: 'briefing',
      channel: 'email',
      recipientId: recipient.id,
      recipientEmail: recipient.email,
      appearanceId: null,
      assessmentId: null,
      dueAt: due,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: due,
      leaseUntil: null,
      leaseOwner: null,
      payload: {},
      ackRequired: false,
      createdAt: now - 600_000,
      updatedAt: now - 600_000,
      ...o,
    } as never);
  }
  return ids;
}
