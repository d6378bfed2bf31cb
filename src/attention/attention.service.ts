import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AppearanceReader } from '../appearances/appearance-reader';
import { noticeDeadline } from '../appearances/appearance-rules';
import type { AppearanceView } from '../appearances/dto/appearance.dto';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { RISK_LEVELS } from '../common/enums';
import type { RiskLevel } from '../common/enums';
import { ForbiddenError } from '../common/errors';
import { DAY_MS, humanLocal, iso } from '../common/time';
import { mailConfig } from '../config';
import { ackWindowMs } from '../notifications/notification-definitions';
import { Office } from '../offices/office.entity';
import { OutcomesService } from '../outcomes/outcomes.service';
import { AttentionAppearanceRef, AttentionQuery, AttentionView, UnacknowledgedWarning } from './dto/attention.dto';
import { DatabaseService } from '../database/database.service';

const UPCOMING_DAYS = 14;
const NOTICE_LOOKAHEAD_MS = 7 * DAY_MS;
const ACTIVE = ['planned', 'confirmed'];
type Row = Record<string, any>;

/**
 * "Needs you": what a coordinator has to act on — unacknowledged High/Critical warnings (who, and
 * when it escalates), the next 14 days by level, debriefs overdue, host advance-notice deadlines at
 * risk. Read-only; the same list feeds GET /attention and the coordinator's board page.
 */
@Injectable()
export class AttentionService {
  constructor(
    private readonly db: DatabaseService,
    private readonly reader: AppearanceReader,
    private readonly outcomes: OutcomesService,
    private readonly clock: Clock,
    @Inject(mailConfig.KEY) private readonly mail: ConfigType<typeof mailConfig>,
  ) {}

  /** The office's name and zone, for a board that says whose list it is and when, in the office's time. */
  async office(officeId: string | null): Promise<{ name: string; timeZone: string } | null> {
    if (!officeId) return null;
    const row = await this.db.read((m) => m.getRepository(Office).findOne({ where: { id: officeId }, select: { name: true, timeZone: true } }));
    return row ? { name: row.name, timeZone: row.timeZone } : null;
  }

  async forOffice(q: AttentionQuery, actor: AuthUser): Promise<AttentionView> {
    let officeId = q.officeId ?? null;
    if (actor.role === 'coordinator') {
      if (officeId && officeId !== actor.officeId) throw new ForbiddenError('Coordinators see only their own office');
      officeId = actor.officeId;
    } else if (actor.role !== 'admin') {
      throw new ForbiddenError(`This list is for coordinators and admins (you are ${actor.role})`);
    }
    const now = this.clock.now();
    const upcoming = await this.reader.all({ from: now, to: now + UPCOMING_DAYS * DAY_MS, status: ACTIVE, ...(officeId ? { officeId } : {}) });
    const due = await this.outcomes.due(officeId ? { officeId } : {}, actor);
    const dueViews = new Map(
      (
        await this.reader.views(
          null,
          due.map((d) => d.appearanceId),
        )
      ).map((v) => [v.id, v]),
    );
    return {
      asOf: iso(now),
      officeId,
      unacknowledged: await this.unacknowledgedWarnings(officeId, now),
      upcoming: [...[...RISK_LEVELS].reverse(), 'unassessed']
        .map((level) => {
          const list = upcoming.filter((a) => (a.riskLevel ?? 'unassessed') === level);
          return { level, count: list.length, appearances: list.map(ref) };
        })
        .filter((g) => g.count > 0),
      debriefsOverdue: due.flatMap((d) => {
        const v = dueViews.get(d.appearanceId);
        return v ? [{ ...ref(v), daysSinceEnd: d.daysSinceEnd }] : [];
      }),
      advanceNotice: await this.advanceNotice(officeId, now),
    };
  }

  /** Sent High/Critical warnings about upcoming appearances (of one office, or all) that someone has not acknowledged, by appearance. */
  async unacknowledgedWarnings(officeId: string | null, now: number): Promise<UnacknowledgedWarning[]> {
    return this.db.read(async (m) => {
      const qb = m
        .createQueryBuilder()
        .select(['n.id AS id', 'n.recipient_id AS recipient_id', 'n.sent_at AS sent_at', 'u.display_name AS name'])
        .addSelect(['a.id AS appearance_id', 'a.title AS title', 'a.starts_at AS starts_at', 'a.time_zone AS time_zone', 'i.name AS institution_name'])
        .addSelect('(SELECT ra.level FROM risk_assessments ra WHERE ra.appearance_id = a.id ORDER BY ra.seq DESC LIMIT 1)', 'risk_level')
        .from('notifications', 'n')
        .innerJoin('appearances', 'a', 'a.id = n.appearance_id')
        .innerJoin('institutions', 'i', 'i.id = a.institution_id')
        .innerJoin('users', 'u', 'u.id = n.recipient_id')
        .where('n.status = :sent AND n.ack_required = :t AND n.acknowledged_at IS NULL', { sent: 'sent', t: true })
        .andWhere('a.starts_at > :now AND a.status IN (:...active)', { now, active: ACTIVE })
        .orderBy('a.starts_at', 'ASC')
        .addOrderBy('n.sent_at', 'DESC')
        .limit(2000);
      if (officeId) qb.andWhere('a.office_id = :office', { office: officeId });
      const rows: Row[] = await qb.getRawMany();
      const byAppearance = new Map<string, UnacknowledgedWarning>();
      for (const r of rows) {
        const startsAt = Number(r.starts_at);
        const sentAt = Number(r.sent_at);
        const escalatesAt = sentAt + ackWindowMs(this.mail.ackTimeoutMs, sentAt, startsAt);
        let w = byAppearance.get(r.appearance_id);
        if (!w) {
          w = {
            appearanceId: r.appearance_id,
            title: r.title,
            institutionName: r.institution_name,
            startsAt: iso(startsAt),
            startsLocal: humanLocal(startsAt, r.time_zone),
            riskLevel: r.risk_level ?? null,
            notAcknowledged: [],
            escalatesAt: iso(escalatesAt),
            escalatesLocal: '',
            escalated: false,
          };
          byAppearance.set(r.appearance_id, w);
        }
        // earliest escalation of the appearance's waiting warnings; each person once (their latest warning)
        if (escalatesAt < Date.parse(w.escalatesAt)) w.escalatesAt = iso(escalatesAt);
        if (!w.notAcknowledged.some((p) => p.userId === r.recipient_id)) w.notAcknowledged.push({ userId: r.recipient_id, name: r.name, notificationId: r.id, sentAt: iso(sentAt) });
        w.escalatesLocal = humanLocal(Date.parse(w.escalatesAt), r.time_zone);
        w.escalated = Date.parse(w.escalatesAt) <= now;
      }
      for (const w of byAppearance.values()) w.notAcknowledged.sort((a, b) => a.name.localeCompare(b.name));
      return [...byAppearance.values()];
    });
  }

  private async advanceNotice(officeId: string | null, now: number): Promise<AttentionView['advanceNotice']> {
    return this.db.read(async (m) => {
      const qb = m
        .createQueryBuilder()
        .select(['a.id AS id', 'i.advance_notice_days AS days', 'a.starts_at AS starts_at'])
        .from('appearances', 'a')
        .innerJoin('institutions', 'i', 'i.id = a.institution_id')
        .where('i.requires_advance_notice = :t AND i.advance_notice_days IS NOT NULL', { t: true })
        .andWhere("a.status = 'planned' AND a.starts_at > :now", { now })
        .orderBy('a.starts_at', 'ASC')
        .limit(500);
      if (officeId) qb.andWhere('a.office_id = :office', { office: officeId });
      const rows: Row[] = await qb.getRawMany();
      // a day of slack for DST; the exact deadline is computed below in the venue's zone
      const atRisk = rows.filter((r) => Number(r.starts_at) - Number(r.days) * DAY_MS <= now + NOTICE_LOOKAHEAD_MS + DAY_MS);
      const views = new Map(
        (
          await this.reader.views(
            null,
            atRisk.map((r) => r.id),
          )
        ).map((v) => [v.id, v]),
      );
      return atRisk.flatMap((r) => {
        const v = views.get(r.id);
        if (!v) return [];
        const deadline = noticeDeadline(Number(r.starts_at), v.timeZone, Number(r.days));
        if (deadline > now + NOTICE_LOOKAHEAD_MS) return [];
        return [{ ...ref(v), advanceNoticeDays: Number(r.days), deadline: iso(deadline), deadlineLocal: humanLocal(deadline, v.timeZone), passed: deadline <= now }];
      });
    });
  }
}

function ref(a: AppearanceView): AttentionAppearanceRef {
  return {
    appearanceId: a.id,
    title: a.title,
    institutionName: a.institution.name,
    startsAt: a.startsAt,
    startsLocal: humanLocal(Date.parse(a.startsAt), a.timeZone),
    riskLevel: (a.riskLevel as RiskLevel | null) ?? null,
  };
}
