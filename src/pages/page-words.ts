import type { OutcomeResult } from '../common/enums';

/** Plain words the pages show for stored codes. */
export const STATUS_WORDS: Record<string, string> = { planned: 'Planned', confirmed: 'Confirmed', completed: 'Completed', cancelled: 'Cancelled' };
export const AUDIENCE_WORDS: Record<string, string> = { public: 'open to the public', invite_only: 'invitation only' };
export const RESULT_WORDS: Record<OutcomeResult, string> = {
  as_planned: 'As planned',
  disrupted: 'Disrupted',
  ended_early: 'Ended early',
  cancelled_by_host: 'Cancelled by the host',
  cancelled_by_us: 'Cancelled by us',
  moved_virtual: 'Moved online',
};
const TRIGGER_WORDS: Record<string, string> = {
  appearance_created: 'Appearance planned',
  appearance_updated: 'Appearance changed',
  appearance_confirmed: 'Appearance confirmed',
  incident_recorded: 'New incident',
  reception_recorded: 'New reception entry',
  daily_refresh: 'Daily refresh',
  on_demand: 'Asked for',
};
export const NOTIFICATION_WORDS: Record<string, string> = {
  briefing: 'briefing',
  escalation: 'risk escalation',
  ack_escalation: 'unacknowledged-warning alert',
  reschedule: 'moved-appearance notice',
  cancellation: 'cancellation',
  weekly_digest: 'weekly digest',
  debrief_request: 'debrief request',
};

export const triggerWords = (t: string): string => TRIGGER_WORDS[t] ?? t.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
