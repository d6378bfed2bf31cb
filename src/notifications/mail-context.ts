import type { RiskSummary } from './assessment-summary';

/** The appearance as an email shows it: local times in the venue's zone, links back. */
export interface AppearanceMailView {
  id: string;
  title: string;
  kindWords: string;
  institutionName: string;
  place: string;
  venue: string;
  formatWords: string;
  /** "Tuesday 10 March 2026, 10:00 EDT (America/New_York)". */
  localStart: string;
  localEnd: string;
  /** "Tue 10 Mar 2026 10:00 EDT" for subjects. */
  shortLocalStart: string;
  timeZone: string;
  url: string;
  status: string;
  sequence: number;
  cancelReason: string | null;
}

export interface DigestItem {
  title: string;
  institutionName: string;
  localStart: string;
  url: string;
  reasons: string[];
}

export interface DigestGroup {
  level: string;
  levelWords: string;
  count: number;
  items: DigestItem[];
}

export interface DigestView {
  officeName: string;
  fromLocal: string;
  toLocal: string;
  total: number;
  summary: string;
  groups: DigestGroup[];
}

/**
 * Everything a template may read. Templates are compiled in strict mode, so every key is always
 * present (null when it does not apply) and a misspelt variable fails a test instead of a send.
 */
export interface MailContext {
  kind: string;
  recipient: { name: string; email: string };
  appearance: AppearanceMailView | null;
  risk: RiskSummary | null;
  offset: { minutes: number; words: string } | null;
  rise: { fromWords: string; toWords: string } | null;
  ack: { url: string; deadline: string } | null;
  ackEscalation: { originalKind: string; sentAt: string; recipients: number; notAcknowledged: string } | null;
  /** Reschedule: the old and new venue-local start. */
  moved: { fromLocal: string; toLocal: string } | null;
  digest: DigestView | null;
  debriefUrl: string | null;
  /** mail_dead: how much mail is dead now, how much newly, of which kinds, and where to see it. */
  deadMail: { count: number; newCount: number; kinds: string; listUrl: string } | null;
  unsubscribeUrl: string | null;
  preferencesUrl: string;
  publicUrl: string;
}
