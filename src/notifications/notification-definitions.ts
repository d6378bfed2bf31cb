import type { NotificationKind } from '../common/enums';
import type { MailContext } from './mail-context';

/** Who gets a kind of mail. */
export type RecipientRule = 'recruiters_and_coordinators' | 'recruiters' | 'coordinators' | 'admins';

/**
 * One declarative definition per kind of mail (STYLE habit 7): what triggers it, who receives it,
 * its subject and its templates (src/notifications/templates/<template>.text.hbs / .html.hbs,
 * Handlebars in strict mode). The outbox writer, scheduler and dispatcher read these; nothing about a
 * kind is decided elsewhere.
 */
export interface NotificationDefinition {
  kind: NotificationKind;
  /** What creates the rows (documentation, shown in the API). */
  trigger: string;
  recipients: RecipientRule;
  /** Risk alerts cannot be switched off; everything else has List-Unsubscribe (RFC 8058) and a preference. */
  riskAlert: boolean;
  /** Asks the recipient to acknowledge when the level rendered is High or Critical. */
  asksAckAtHighLevel: boolean;
  /**
   * Keeps retrying (capped backoff, MAIL_ALERT_BACKOFF_MAX_MS) past MAIL_MAX_ATTEMPTS until delivered
   * or the appearance has started: always, only when rendered at High/Critical, or never (dead after
   * MAIL_MAX_ATTEMPTS).
   */
  retryUntilDelivered: 'always' | 'at_high_level' | 'never';
  /** Invitation attached: REQUEST (new or moved), CANCEL, or none. */
  calendar: 'REQUEST' | 'CANCEL' | null;
  template: string;
  subject: (c: MailContext) => string;
  /** Plain words for the preferences API. */
  label: string;
}

const levelTag = (c: MailContext) => (c.risk ? `[${c.risk.levelWords} risk] ` : '');
const what = (c: MailContext) => (c.appearance ? `${c.appearance.title} at ${c.appearance.institutionName}` : 'an appearance');
const when = (c: MailContext) => (c.appearance ? c.appearance.shortLocalStart : '');

export const NOTIFICATION_DEFINITIONS: Record<NotificationKind, NotificationDefinition> = {
  briefing: {
    kind: 'briefing',
    trigger: 'Appearance created or rescheduled: one row per offset (default 14d, 3d, 1d before the local start) and recipient',
    recipients: 'recruiters_and_coordinators',
    riskAlert: true,
    asksAckAtHighLevel: true,
    retryUntilDelivered: 'at_high_level',
    calendar: 'REQUEST',
    template: 'briefing',
    subject: (c) => `${levelTag(c)}Briefing${c.offset ? ` (${c.offset.words})` : ''}: ${what(c)}, ${when(c)}`,
    label: 'Risk briefings before each appearance',
  },
  escalation: {
    kind: 'escalation',
    trigger: 'Risk level of an upcoming appearance rose (risk.level-rose), sent at once',
    recipients: 'recruiters_and_coordinators',
    riskAlert: true,
    asksAckAtHighLevel: true,
    retryUntilDelivered: 'always',
    calendar: 'REQUEST',
    template: 'escalation',
    subject: (c) => `${levelTag(c)}Risk rose${c.rise ? ` from ${c.rise.fromWords} to ${c.rise.toWords}` : ''}: ${what(c)}, ${when(c)}`,
    label: 'Escalations when an appearance becomes riskier',
  },
  ack_escalation: {
    kind: 'ack_escalation',
    trigger: 'A High or Critical briefing/escalation was not acknowledged by any recipient within the acknowledgement time',
    recipients: 'coordinators',
    riskAlert: true,
    asksAckAtHighLevel: false,
    retryUntilDelivered: 'always',
    calendar: null,
    template: 'ack-escalation',
    subject: (c) => `${levelTag(c)}Not acknowledged: ${what(c)}, ${when(c)}`,
    label: 'Unacknowledged High/Critical warnings (coordinators)',
  },
  reschedule: {
    kind: 'reschedule',
    trigger: 'Appearance moved (start, end or zone changed): updated invitation, same UID, higher SEQUENCE',
    recipients: 'recruiters_and_coordinators',
    riskAlert: true,
    asksAckAtHighLevel: false,
    retryUntilDelivered: 'never',
    calendar: 'REQUEST',
    template: 'reschedule',
    subject: (c) => `${levelTag(c)}Moved: ${what(c)}, now ${when(c)}`,
    label: 'Updated invitations when an appearance moves',
  },
  cancellation: {
    kind: 'cancellation',
    trigger: 'Appearance cancelled (or a recruiter unassigned): calendar cancellation, same UID',
    recipients: 'recruiters_and_coordinators',
    riskAlert: true,
    asksAckAtHighLevel: false,
    retryUntilDelivered: 'never',
    calendar: 'CANCEL',
    template: 'cancellation',
    subject: (c) => `Cancelled: ${what(c)}, ${when(c)}`,
    label: 'Cancellations',
  },
  weekly_digest: {
    kind: 'weekly_digest',
    trigger: "Scheduler, Monday morning in the office time zone: the office's next two weeks by level",
    recipients: 'coordinators',
    riskAlert: false,
    asksAckAtHighLevel: false,
    retryUntilDelivered: 'never',
    calendar: null,
    template: 'weekly-digest',
    subject: (c) => `Next two weeks for ${c.digest?.officeName ?? 'your office'}: ${c.digest?.summary ?? ''}`,
    label: "Weekly digest of the office's next two weeks",
  },
  debrief_request: {
    kind: 'debrief_request',
    trigger: 'Appearance ended (or marked completed) and no outcome recorded yet',
    recipients: 'recruiters',
    riskAlert: false,
    asksAckAtHighLevel: false,
    retryUntilDelivered: 'never',
    calendar: null,
    template: 'debrief-request',
    subject: (c) => `How did it go? Debrief for ${what(c)}, ${when(c)}`,
    label: 'Debrief requests after an appearance',
  },
  mail_dead: {
    kind: 'mail_dead',
    trigger: 'E-mail went dead (refused for good, or ordinary mail out of attempts): scheduler, at most one report an hour to each admin',
    recipients: 'admins',
    riskAlert: true, // cannot be switched off: nobody else would know
    asksAckAtHighLevel: false,
    retryUntilDelivered: 'always',
    calendar: null,
    template: 'mail-dead',
    subject: (c) => `${c.deadMail?.count ?? 'Some'} e-mail(s) could not be delivered`,
    label: 'Reports of e-mail that could not be delivered (admins)',
  },
};

export function definitionOf(kind: NotificationKind): NotificationDefinition {
  return NOTIFICATION_DEFINITIONS[kind];
}

/** Whether a mail of this kind, rendered with or without an acknowledgement request (High/Critical), never goes dead for a transient failure. */
export function retriesUntilDelivered(kind: NotificationKind, highLevel: boolean): boolean {
  const rule = definitionOf(kind).retryUntilDelivered;
  return rule === 'always' || (rule === 'at_high_level' && highLevel);
}

/** Kinds a user may switch off. */
export const MUTABLE_KINDS = Object.values(NOTIFICATION_DEFINITIONS)
  .filter((d) => !d.riskAlert)
  .map((d) => d.kind);

export const RISK_ALERT_KINDS = Object.values(NOTIFICATION_DEFINITIONS)
  .filter((d) => d.riskAlert)
  .map((d) => d.kind);

const MIN_ACK_WINDOW_MS = 15 * 60_000;

/**
 * How long recipients have to acknowledge a High/Critical warning sent at `sentAt`: the configured
 * time (default 12 h), but at most half the time left before the appearance starts (never under 15 min).
 */
export function ackWindowMs(configured: number, sentAt: number, startsAt: number): number {
  return Math.max(MIN_ACK_WINDOW_MS, Math.min(configured, Math.floor((startsAt - sentAt) / 2)));
}
