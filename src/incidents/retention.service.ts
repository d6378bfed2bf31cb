import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ApiProperty } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { iso } from '../common/time';
import { appConfig } from '../config/app.config';
import { privacyConfig } from '../config/privacy.config';
import { Incident } from './incident.entity';
import { DatabaseService } from '../database/database.service';
import { query, sql } from '../database/sql';

/** Incidents that occurred before this instant have outlived their description. */
export function retentionCutoff(now: number, months: number): number {
  return DateTime.fromMillis(now, { zone: 'utc' }).minus({ months }).toMillis();
}

export class RetentionResult {
  @ApiProperty({ type: 'integer', description: 'Descriptions blanked by this run' }) expired: number;
  @ApiProperty({ description: 'Incidents that occurred before this instant had their description blanked' }) cutoff: string;
}

/**
 * Retention: incident descriptions older than RETENTION_MONTHS (by occurred-at) are blanked; the
 * structured facts (kind, dates, severity, target, verification, the institution's dispute
 * statement) stay. Idempotent and safe to run on several instances at once (the UPDATE only
 * touches rows that still have a description). One audit entry per run lists what was blanked.
 * Copies of an expired description in older audit entries are removed as well.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private timer: NodeJS.Timeout | null = null;
  /** The latest scheduled run (tests await it instead of sleeping). */
  lastRun: Promise<void> | null = null;

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(privacyConfig.KEY) private readonly privacy: ConfigType<typeof privacyConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.app.schedulerEnabled) return;
    this.timer = setInterval(() => (this.lastRun = this.tick()), this.privacy.retentionIntervalMs);
    this.timer.unref();
    this.lastRun = this.tick();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    try {
      const r = await this.expireDescriptions(this.clock.now());
      if (r.expired) this.logger.log(`Retention: blanked ${r.expired} incident description(s) older than ${r.cutoff}`);
    } catch (e) {
      this.logger.error(`Retention run failed: ${(e as Error).message}`);
    }
  }

  async expireDescriptions(now: number): Promise<RetentionResult> {
    const cutoff = retentionCutoff(now, this.privacy.retentionMonths);
    return this.db.write(async (m) => {
      const rows: Array<{ id: string }> = await m
        .createQueryBuilder()
        .select('i.id', 'id')
        .from(Incident, 'i')
        .where('i.description IS NOT NULL')
        .andWhere('i.occurred_at < :cutoff', { cutoff })
        .getRawMany();
      const ids = rows.map((r) => r.id);
      for (let k = 0; k < ids.length; k += 500) {
        await m
          .createQueryBuilder()
          .update(Incident)
          .set({ description: null, descriptionExpiredAt: now, updatedAt: now, version: () => 'version + 1' })
          .where('id IN (:...ids)', { ids: ids.slice(k, k + 500) })
          .andWhere('description IS NOT NULL')
          .execute();
      }
      const redacted = await this.redactAuditCopies(m, cutoff);
      if (ids.length || redacted) {
        await this.audit.record(m, {
          actorId: null,
          action: 'retention',
          entityType: 'incident',
          entityId: null,
          meta: { field: 'description', retentionMonths: this.privacy.retentionMonths, cutoff: iso(cutoff), count: ids.length, ids, auditEntriesRedacted: redacted },
        });
      }
      return { expired: ids.length, cutoff: iso(cutoff) };
    });
  }

  /**
   * Audit entries written before audit snapshots left the description out carry a copy of it in
   * `before` / `after`: for every incident past the cutoff, those copies are removed too (marked
   * `descriptionRedacted`). One query finds them (only entries that still hold description text);
   * the audit module rewrites them. Returns how many entries were rewritten.
   */
  private async redactAuditCopies(m: EntityManager, cutoff: number): Promise<number> {
    const has = (col: string) => sql`${sql.ident(`ae.${col}`)} LIKE '%"description":"%'`;
    const rows = await query<{ id: string; b: string | null; a: string | null }>(
      m,
      sql`SELECT ae.id AS id, ae."before" AS b, ae."after" AS a FROM audit_entries ae JOIN incidents i ON i.id = ae.entity_id
       WHERE ae.entity_type = 'incident' AND i.occurred_at < ${cutoff} AND (${has('before')} OR ${has('after')})`,
    );
    const redact = (json: string | null): string | null => {
      if (!json) return json;
      const o = JSON.parse(json) as Record<string, unknown>;
      if (typeof o.description !== 'string') return json;
      const { description: _d, ...rest } = o;
      return JSON.stringify({ ...rest, descriptionRedacted: true });
    };
    await this.audit.rewriteSnapshots(
      m,
      rows.map((r) => ({ id: r.id, before: redact(r.b), after: redact(r.a) })),
    );
    return rows.length;
  }
}
