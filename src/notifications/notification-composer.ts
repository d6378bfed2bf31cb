import type { NotificationKind } from '../common/enums';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DateTime } from 'luxon';
import type { Appearance } from '../appearances/appearance.entity';
import { buildAppearanceIcs } from '../calendar/ics';
import { RISK_LEVELS, RiskLevel } from '../common/enums';
import { humanLocal, iso, localIso } from '../common/time';
import { appConfig, calendarConfig, mailConfig } from '../config';
import { LEVEL_WORDS, RiskSummary, summariseAssessment } from './assessment-summary';
import type { BatchData } from './mail-data.loader';
import type { AppearanceMailView, DigestGroup, MailContext } from './mail-context';
import { MailTemplates } from './mail-templates';
import { ackWindowMs, definitionOf } from './notification-definitions';
import { briefingDueAt } from './outbox-writer';
import { pageUrl } from './page-links';
import type { Notification } from './notification.entity';
import { LinkSigner } from './signed-link';

/** A message ready for the transport. */
export interface ComposedMail {
  notificationId: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  unsubscribeUrl: string | null;
  calendar: { method: 'REQUEST' | 'CANCEL'; content: string } | null;
  /** Recorded on the row when it is sent. */
  ackRequired: boolean;
  assessmentId: string | null;
  /** The level the mail was rendered with (null: not assessed, or a cancellation). */
  riskLevel: RiskLevel | null;
}

/** Computes once per batch what every recipient of the same appearance shares (luxon zone formatting is costly). */
function memo<T>(data: BatchData, key: string, make: () => T): T {
  if (!data.memo.has(key)) data.memo.set(key, make());
  return data.memo.get(key) as T;
}

/** RFC 5545 content line folded at 75 octets (CRLF + space), never inside a UTF-8 sequence. */
function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (octets + n > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = '';
      octets = 0;
    }
    cur += ch;
    octets += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

/** Adds the recipient as ATTENDEE to a one-event iTIP object (among the event's properties, before its reminders). */
export function withAttendee(ics: string, name: string, email: string): string {
  const cn = name.replace(/["\r\n;:,]/g, ' ').trim();
  const line = fold(`ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE;CN="${cn}":mailto:${email}`);
  const before = ics.includes('\r\nBEGIN:VALARM') ? '\r\nBEGIN:VALARM' : '\r\nEND:VEVENT';
  return ics.replace(before, `\r\n${line}${before}`);
}

/** Why a row is withdrawn instead of sent (the world changed after it was queued). */
export interface Withdrawal {
  notificationId: string;
  reason: string;
}

export const KIND_WORDS: Record<string, string> = {
  career_fair: 'Career fair',
  info_session: 'Information session',
  campus_visit: 'Campus visit',
  community_outreach: 'Community outreach',
  partnership_meeting: 'Partnership meeting',
  training: 'Training',
};
export const FORMAT_WORDS: Record<string, string> = { in_person: 'in person', virtual: 'virtual', hybrid: 'hybrid' };
const UNSUBSCRIBE_LINK_TTL_MS = 90 * 86_400_000;
/** Page links from mail stay good this long after the appearance ends (the debrief is filed then). */
const PAGE_LINK_AFTER_END_MS = 30 * 86_400_000;

/** The words for a lead time that is not one of the offsets (a briefing caught up late): days to the nearest, else hours. */
function leadWords(ms: number): string {
  if (ms >= 36 * 3_600_000) return `${Math.round(ms / 86_400_000)} days before`;
  if (ms >= 22 * 3_600_000) return '1 day before';
  const hours = Math.max(1, Math.round(ms / 3_600_000));
  return hours === 1 ? '1 hour before' : `${hours} hours before`;
}

/** "Robin Recruiter", "Robin and Sam", "Robin, Sam and Kim". */
function namesList(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function offsetWords(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day before' : `${minutes / 1440} days before`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour before' : `${minutes / 60} hours before`;
  return `${minutes} minutes before`;
}

/**
 * Builds each claimed row's email at send time from the current data: the appearance as it is now
 * and its LATEST assessment, so a briefing never carries a stale level or time. Rows whose reason
 * disappeared (cancelled, already started, debrief already given, muted) come back as withdrawals.
 */
@Injectable()
export class NotificationComposer {
  private readonly templates = new MailTemplates();

  constructor(
    @Inject(mailConfig.KEY) private readonly mail: ConfigType<typeof mailConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(calendarConfig.KEY) private readonly calendar: ConfigType<typeof calendarConfig>,
    private readonly links: LinkSigner,
  ) {}

  compose(row: Notification, data: BatchData, now: number): ComposedMail | Withdrawal {
    const def = definitionOf(row.kind as NotificationKind);
    const user = data.users.get(row.recipientId);
    const gone = (reason: string): Withdrawal => ({ notificationId: row.id, reason });
    if (!user || !user.active) return gone('recipient is no longer active');
    if (!def.riskAlert && (user.mutedKinds ?? []).includes(row.kind)) return gone('recipient switched this kind off');
    const a = row.appearanceId ? data.appearances.get(row.appearanceId) : undefined;
    if (row.appearanceId && !a) return gone('appearance no longer exists');
    if (a) {
      const ahead = ['briefing', 'escalation', 'reschedule', 'ack_escalation'].includes(row.kind);
      if (a.status === 'cancelled' && row.kind !== 'cancellation') return gone('appearance was cancelled');
      if (ahead && (a.startsAt <= now || a.status === 'completed')) return gone('appearance already started');
      if (row.kind === 'debrief_request' && data.withOutcome.has(a.id)) return gone('outcome already recorded');
    }
    const assessment = a ? data.latest.get(a.id) : undefined;
    // the checklist as it can still be done when the batch is composed (its rows are composed within moments of each other)
    const risk: RiskSummary | null =
      assessment && a && row.kind !== 'cancellation' ? memo(data, `risk:${assessment.id}`, () => summariseAssessment(assessment, { now, startsAt: a.startsAt, timeZone: a.timeZone })) : null;
    const ackRequired = def.asksAckAtHighLevel && !!risk && (risk.level === 'high' || risk.level === 'critical');
    const base = this.app.publicUrl;
    const ctx: MailContext = {
      kind: row.kind,
      recipient: { name: user.displayName, email: row.recipientEmail },
      // The view is shared by the batch; the link in it is the recipient's own.
      appearance: a ? { ...memo(data, `view:${a.id}`, () => this.appearanceView(a)), url: this.appearancePage(row.recipientId, a.id, a.endsAt, now) } : null,
      risk,
      offset: typeof row.payload.offsetMinutes === 'number' && a ? this.offsetOf(row.payload.offsetMinutes, a, now) : null,
      rise:
        row.kind === 'escalation' && typeof row.payload.to === 'string'
          ? { fromWords: row.payload.from ? LEVEL_WORDS[row.payload.from as RiskLevel] : 'not assessed', toWords: LEVEL_WORDS[row.payload.to as RiskLevel] }
          : null,
      ack:
        ackRequired && a
          ? {
              url: `${base}/notifications/ack?token=${this.links.sign('ack', { sub: row.id, exp: Math.max(a.endsAt, now + 86_400_000) })}`,
              deadline: memo(data, `deadline:${a.id}`, () => humanLocal(now + ackWindowMs(this.mail.ackTimeoutMs, now, a.startsAt), a.timeZone)),
            }
          : null,
      ackEscalation:
        row.kind === 'ack_escalation'
          ? {
              originalKind: String(row.payload.originalKind ?? 'warning'),
              sentAt: a ? humanLocal(Number(row.payload.sentAt), a.timeZone) : new Date(Number(row.payload.sentAt)).toISOString(),
              recipients: Number(row.payload.recipients ?? 0),
              notAcknowledged: Array.isArray(row.payload.notAcknowledged) ? namesList(row.payload.notAcknowledged.map(String)) : '',
            }
          : null,
      moved:
        row.kind === 'reschedule' && a && typeof row.payload.previousStartsAt === 'number'
          ? {
              fromLocal: humanLocal(row.payload.previousStartsAt, typeof row.payload.previousTimeZone === 'string' ? row.payload.previousTimeZone : a.timeZone),
              toLocal: humanLocal(a.startsAt, a.timeZone),
            }
          : null,
      digest: row.kind === 'weekly_digest' ? this.digestView(row, data, now) : null,
      debriefUrl:
        row.kind === 'debrief_request' && a ? pageUrl(this.links, base, { userId: row.recipientId, page: 'debrief', appearanceId: a.id, exp: Math.max(a.endsAt, now) + PAGE_LINK_AFTER_END_MS }) : null,
      deadMail:
        row.kind === 'mail_dead'
          ? { count: Number(row.payload.count ?? 0), newCount: Number(row.payload.newCount ?? 0), kinds: String(row.payload.kinds ?? ''), listUrl: `${base}/notifications?status=dead` }
          : null,
      unsubscribeUrl: def.riskAlert
        ? null
        : `${base}/notifications/unsubscribe?token=${this.links.sign('unsubscribe', { sub: row.recipientId, kind: row.kind, iat: now, exp: now + UNSUBSCRIBE_LINK_TTL_MS })}`,
      preferencesUrl: pageUrl(this.links, base, { userId: row.recipientId, page: 'preferences', exp: now + UNSUBSCRIBE_LINK_TTL_MS }),
      publicUrl: base,
    };
    if (row.kind === 'weekly_digest' && !ctx.digest) return gone('office no longer exists');
    const { text, html } = this.templates.render(def.template, ctx);
    const headers: Record<string, string> = { 'X-Forewarn-Notification': row.id, 'X-Forewarn-Kind': row.kind, 'Auto-Submitted': 'auto-generated' };
    if (ctx.unsubscribeUrl) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    const method = def.calendar === 'REQUEST' && a?.status === 'cancelled' ? 'CANCEL' : def.calendar;
    return {
      notificationId: row.id,
      to: { name: user.displayName, address: row.recipientEmail },
      subject: def.subject(ctx),
      text,
      html,
      messageId: `<${row.id}@${this.mail.messageDomain}>`,
      headers,
      unsubscribeUrl: ctx.unsubscribeUrl,
      calendar: method && a ? { method, content: this.invitation(a, method, user.displayName, row.recipientEmail, risk, now, data) } : null,
      ackRequired,
      assessmentId: risk?.assessmentId ?? row.assessmentId,
      riskLevel: risk?.level ?? null,
    };
  }

  /**
   * The briefing's offset in words: the configured one when it goes out on time, the real lead time
   * when it is a catch-up for an offset already past (an appearance planned 8 days ahead gets "8 days
   * before", not "14 days before").
   */
  private offsetOf(minutes: number, a: Appearance, now: number): { minutes: number; words: string } {
    const scheduled = briefingDueAt(a.startsAt, a.timeZone, minutes);
    if (now - scheduled <= 3_600_000) return { minutes, words: offsetWords(minutes) };
    return { minutes: Math.round((a.startsAt - now) / 60_000), words: leadWords(a.startsAt - now) };
  }

  /** The recipient's own link to the appearance page (signed, expiring after the debrief window). */
  private appearancePage(userId: string, appearanceId: string, endsAt: number, now: number): string {
    return pageUrl(this.links, this.app.publicUrl, { userId, page: 'appearance', appearanceId, exp: Math.max(endsAt, now) + PAGE_LINK_AFTER_END_MS });
  }

  private appearanceView(a: Appearance): AppearanceMailView {
    const inst = a.institution;
    const start = DateTime.fromMillis(a.startsAt, { zone: a.timeZone });
    return {
      id: a.id,
      title: a.title,
      kindWords: KIND_WORDS[a.kind] ?? a.kind,
      institutionName: inst?.name ?? 'the institution',
      place: [inst?.city, inst?.state].filter(Boolean).join(', '),
      venue: a.venue || 'venue to be confirmed',
      formatWords: FORMAT_WORDS[a.format] ?? a.format,
      localStart: humanLocal(a.startsAt, a.timeZone),
      localEnd: humanLocal(a.endsAt, a.timeZone),
      shortLocalStart: start.toFormat('ccc d LLL yyyy HH:mm ZZZZ'),
      timeZone: a.timeZone,
      url: `${this.app.publicUrl}/appearances/${a.id}`,
      status: a.status,
      sequence: a.sequence,
      cancelReason: a.cancelReason,
    };
  }

  private digestView(row: Notification, data: BatchData, now: number): MailContext['digest'] {
    const d = data.digests.get(String(row.payload.officeId));
    if (!d) return null;
    const zone = d.office.timeZone;
    const groups: DigestGroup[] = [...RISK_LEVELS].reverse().map((level) => ({ level, levelWords: LEVEL_WORDS[level], count: 0, items: [] }));
    const unassessed: DigestGroup = { level: 'unassessed', levelWords: 'Not assessed yet', count: 0, items: [] };
    for (const a of d.appearances) {
      const latest = data.latest.get(a.id);
      const s = latest ? summariseAssessment(latest) : null;
      const g = s ? groups.find((x) => x.level === s.level)! : unassessed;
      g.count++;
      g.items.push({
        title: a.title,
        institutionName: a.institution?.name ?? '',
        localStart: humanLocal(a.startsAt, a.timeZone),
        url: this.appearancePage(row.recipientId, a.id, a.endsAt, now),
        reasons: s && (s.level === 'high' || s.level === 'critical') ? s.reasons : [],
      });
    }
    const all = [...groups, unassessed].filter((g) => g.count > 0);
    return {
      officeName: d.office.name,
      fromLocal: DateTime.fromMillis(Number(row.payload.fromMs), { zone }).toFormat('ccc d LLL'),
      toLocal: DateTime.fromMillis(Number(row.payload.toMs) - 1, { zone }).toFormat('ccc d LLL yyyy'),
      total: d.appearances.length,
      summary: all.length ? all.map((g) => `${g.count} ${g.levelWords.toLowerCase()}`).join(', ') : 'nothing planned',
      groups: all,
    };
  }

  /** The appearance's invitation (H1's calendar builder: stable UID, SEQUENCE, METHOD) for one attendee. */
  private invitation(a: Appearance, method: 'REQUEST' | 'CANCEL', name: string, email: string, risk: RiskSummary | null, now: number, data: BatchData): string {
    const address = /<([^>]+)>/.exec(this.mail.from)?.[1] ?? this.mail.from;
    const inst = a.institution;
    const event = memo(data, `ics:${a.id}`, () => ({
      id: a.id,
      title: a.title,
      kind: a.kind,
      institution: { name: inst?.name ?? '', city: inst?.city ?? '', state: inst?.state ?? '' },
      startsAt: iso(a.startsAt),
      endsAt: iso(a.endsAt),
      startsAtLocal: localIso(a.startsAt, a.timeZone),
      endsAtLocal: localIso(a.endsAt, a.timeZone),
      timeZone: a.timeZone,
      venue: a.venue,
      format: a.format,
      audience: a.audience,
      status: a.status,
      sequence: a.sequence,
      riskLevel: risk?.levelWords ?? null,
      createdAt: iso(a.createdAt),
      updatedAt: iso(a.updatedAt),
    }));
    // ical-generator's serialisation is costly (~1-2 ms); the calendar object is the same for every
    // recipient of the batch, so it is built once and only the ATTENDEE line differs.
    const shared = memo(data, `ics:${a.id}:${method}`, () =>
      buildAppearanceIcs([event], {
        method,
        stampAt: now,
        publicUrl: this.app.publicUrl,
        organizer: { name: 'Forewarn', email: address },
        alarmMinutes: this.calendar.alarmMinutes,
      }),
    );
    return withAttendee(shared, name, email);
  }
}
