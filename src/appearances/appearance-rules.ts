import { DateTime } from 'luxon';
import { UnprocessableError } from '../common/errors';
import { humanLocal, iso } from '../common/time';
import type { Institution } from '../institutions/institution.entity';
import type { Times } from './appearance-times';
import type { AppearanceWarningView } from './dto/appearance.dto';

/** The institution fields the planning rules read. */
export type HostRules = Pick<Institution, 'id' | 'name' | 'timeZone' | 'requiresAdvanceNotice' | 'advanceNoticeDays'>;

/**
 * The host's advance-notice rule: an appearance starting sooner than `advanceNoticeDays` calendar
 * days (in the venue's zone) from now is refused with 422 ADVANCE_NOTICE naming the deadline, unless
 * `allowShortNotice` is sent — then the booking goes ahead with a warning saying what was overridden,
 * and the deadline it was booked past is kept on the appearance (`shortNoticeDeadline`), which the
 * risk assessment reads as a rule-based factor with its mitigation.
 */
export function advanceNotice(host: HostRules, t: Times, now: number, allowShortNotice: boolean | undefined): { warnings: AppearanceWarningView[]; overriddenDeadline: number | null } {
  const days = host.requiresAdvanceNotice ? host.advanceNoticeDays : null;
  if (!days || days <= 0) return { warnings: [], overriddenDeadline: null };
  const deadline = noticeDeadline(t.startsAt, t.timeZone, days);
  if (now <= deadline) return { warnings: [], overriddenDeadline: null };
  const words = `${host.name} requires ${days} days' advance notice: for an appearance starting ${humanLocal(t.startsAt, t.timeZone)} the host had to be told by ${humanLocal(deadline, t.timeZone)}`;
  if (!allowShortNotice) {
    throw new UnprocessableError(
      'ADVANCE_NOTICE',
      `${words}; send allowShortNotice: true to book anyway`,
      { startsAt: `is inside the host's ${days}-day notice period (deadline ${iso(deadline)})` },
      {
        institutionId: host.id,
        advanceNoticeDays: days,
        deadline: iso(deadline),
      },
    );
  }
  const warning = { code: 'SHORT_NOTICE', message: `${words}; booked anyway (allowShortNotice). Ask the host for a written reconfirmation before you travel.` };
  return { warnings: [warning], overriddenDeadline: deadline };
}

/** The last moment to tell the host: the local start minus the notice days (calendar days in the venue's zone). */
export function noticeDeadline(startsAt: number, zone: string, days: number): number {
  return DateTime.fromMillis(startsAt, { zone }).minus({ days }).toMillis();
}

/** A venue zone other than the institution's is allowed (an off-campus venue) but said, since it is usually a typo. */
export function zoneWarning(host: HostRules, zone: string): AppearanceWarningView[] {
  if (!host.timeZone || host.timeZone === zone) return [];
  return [{ code: 'VENUE_ZONE_DIFFERS', message: `The venue's time zone ${zone} differs from ${host.name}'s (${host.timeZone}); check that the local times are meant in ${zone}` }];
}

export const CREATOR_ASSIGNED: AppearanceWarningView = {
  code: 'CREATOR_ASSIGNED',
  message: 'You are assigned to this appearance because you created it (send recruiterIds to choose the team)',
};
