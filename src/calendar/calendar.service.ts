import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AppearanceReader } from '../appearances/appearance-reader';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import { DAY_MS } from '../common/time';
import { AttemptLimiter } from '../auth/attempt-limiter';
import { appConfig, authConfig, calendarConfig } from '../config';
import { User } from '../users/user.entity';
import { buildAppearanceIcs } from './ics';
import { DatabaseService } from '../database/database.service';

/** How far back a personal feed reaches (later appearances are all included). */
const FEED_HISTORY_MS = 180 * DAY_MS;

@Injectable()
export class CalendarService {
  constructor(
    private readonly db: DatabaseService,
    private readonly reader: AppearanceReader,
    private readonly clock: Clock,
    private readonly limiter: AttemptLimiter,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(authConfig.KEY) private readonly auth: ConfigType<typeof authConfig>,
    @Inject(calendarConfig.KEY) private readonly calendar: ConfigType<typeof calendarConfig>,
  ) {}

  /** One appearance as an .ics download (METHOD:PUBLISH; a cancelled one carries STATUS:CANCELLED). */
  async appearanceIcs(id: string): Promise<string> {
    const view = await this.reader.one(id);
    return buildAppearanceIcs([view], { method: 'PUBLISH', stampAt: this.clock.now(), publicUrl: this.app.publicUrl, alarmMinutes: this.calendar.alarmMinutes });
  }

  /**
   * The personal feed behind a secret token: the user's appearances from 180 days ago on. Unknown
   * tokens are counted per address (FEED_MISS_LIMIT a minute, on every instance): guessing is slow.
   * The feed tells calendar apps how often to re-read it (CALENDAR_REFRESH_INTERVAL) and carries
   * the configured reminders.
   */
  async feed(token: string, ip: string): Promise<string> {
    const misses = { bucket: `feed-ip:${ip}`, limit: this.auth.feedMissLimit, windowMs: 60_000 };
    const message = 'Too many unknown calendar links from this address; wait a minute';
    await this.limiter.check(misses, message);
    const user = await this.db.read((m) => m.getRepository(User).findOne({ where: { calendarToken: token }, select: { id: true, role: true, officeId: true, active: true, displayName: true } }));
    if (!user || !user.active) {
      await this.limiter.hit([misses], message);
      throw new NotFoundError('Calendar feed', 'for this link');
    }
    const officeId = user.role === 'coordinator' ? user.officeId : null;
    const now = this.clock.now();
    const items = await this.reader.all({ feedFor: { userId: user.id, officeId }, from: now - FEED_HISTORY_MS, order: 'asc', limit: 5000 });
    return buildAppearanceIcs(items, {
      method: 'PUBLISH',
      stampAt: now,
      publicUrl: this.app.publicUrl,
      name: `Forewarn — ${user.displayName}`,
      alarmMinutes: this.calendar.alarmMinutes,
      refreshSeconds: this.calendar.refreshSeconds,
      sourceUrl: `${this.app.publicUrl}/calendar/${token}.ics`,
    });
  }
}
