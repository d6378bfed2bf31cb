import type { Appearance } from '../appearances/appearance.entity';
import { iso } from '../common/time';

/**
 * The event types an endpoint can subscribe to. "On the day" events (decision made, check-in
 * missed, need help) do not exist in Forewarn yet, so they are not offered.
 */
export const WEBHOOK_EVENT_TYPES = [
  'risk.level_rose',
  'escalation.sent',
  'escalation.unacknowledged',
  'acknowledgement.recorded',
  'incident.recorded',
  'appearance.created',
  'appearance.rescheduled',
  'appearance.cancelled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * What goes to an office's chat: a rise of the risk level (Critical highlighted), unacknowledged
 * warnings, and a Critical briefing (once per appearance and run of Critical assessments). "Need
 * help" belongs to "On the day", which Forewarn does not have yet.
 */
export type ChatEventType = 'risk.level_rose' | 'escalation.unacknowledged' | 'briefing.critical';

/** The body of a delivery, per the Standard Webhooks payload structure: type, timestamp, data. */
export interface WebhookBody {
  type: WebhookEventType;
  /** When the event happened (ISO, UTC). */
  timestamp: string;
  data: Record<string, unknown>;
}

/** The appearance as a webhook carries it: ids, title, times and status; never people's names. */
export function appearanceData(a: Appearance): Record<string, unknown> {
  return {
    appearanceId: a.id,
    officeId: a.officeId,
    institutionId: a.institutionId,
    kind: a.kind,
    title: a.title,
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    timeZone: a.timeZone,
    format: a.format,
    status: a.status,
    sequence: a.sequence,
  };
}

/**
 * What a chat message is rendered from (kept in the outbox row). Its link is the appearance page
 * itself, never a signed per-person link: everyone in the channel (and anything that unfurls or
 * forwards the message) would hold it, so the page asks whoever opens it to sign in as themselves.
 */
export interface ChatPayload {
  type: ChatEventType;
  appearanceId: string;
  title: string;
  startsAt: number;
  timeZone: string;
  institutionName: string;
  level: string | null;
  from?: string | null;
  /** Unacknowledged: how many were warned and when. */
  recipients?: number;
  warnedAt?: number;
  /** Critical briefing: the three main reasons for the level. */
  reasons?: string[];
}
