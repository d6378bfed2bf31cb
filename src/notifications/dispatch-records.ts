/** What a dispatch batch records of its rows: the sends the relay accepted, and the failures. */
import type { NotificationKind, RiskLevel } from '../common/enums';
import type { Notification } from './notification.entity';

export interface Sent {
  id: string;
  kind: NotificationKind;
  recipientId: string;
  appearanceId: string | null;
  ackRequired: boolean;
  assessmentId: string | null;
  /** The subject line as sent (kept on the row for the lists of mail). */
  subject: string;
  /** The level it was rendered with. */
  level: RiskLevel | null;
}

export interface Failed {
  row: Notification;
  error: string;
  permanent: boolean;
  /** A risk alert that retries until delivered (never dead for a transient failure). */
  alert: boolean;
}
