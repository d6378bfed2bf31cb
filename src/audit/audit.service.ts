import { AuditEntryView } from './dto/audit-entry.dto';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { query, sql } from '../database/sql';
import { Clock } from '../common/clock';
import { Page, page } from '../common/pagination';
import { iso } from '../common/time';
import { AuditEntry } from './audit-entry.entity';
import { AuditQuery } from './dto/audit-query.dto';

export interface AuditInput {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: object | null;
  after?: object | null;
  meta?: Record<string, unknown> | null;
}

/** Append-only audit log. Pass the transaction's manager so the entry commits with the change. */
@Injectable()
export class AuditService {
  constructor(
    private readonly database: DatabaseService,
    private readonly clock: Clock,
  ) {}

  async record(manager: EntityManager | null, input: AuditInput): Promise<void> {
    if (!manager) return this.database.write((m) => this.record(m, input)); // a read's audit entry: a write of its own
    const m = manager;
    const entry = m.create(AuditEntry, {
      id: randomUUID(),
      at: this.clock.now(),
      actorId: input.actorId,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId ?? null,
      before: (input.before as Record<string, unknown>) ?? null,
      after: (input.after as Record<string, unknown>) ?? null,
      meta: input.meta ?? null,
    });
    await m.insert(AuditEntry, entry as object);
  }

  /**
   * Replaces the stored before/after snapshots (JSON text, as read) of existing entries: only for
   * redaction (retention removes incident descriptions from old entries). One UPDATE per 200.
   */
  async rewriteSnapshots(m: EntityManager, rows: Array<{ id: string; before: string | null; after: string | null }>): Promise<void> {
    for (let k = 0; k < rows.length; k += 200) {
      const chunk = rows.slice(k, k + 200);
      const caseOf = (col: 'before' | 'after') =>
        sql`${sql.ident(col)} = CASE id ${sql.join(
          chunk.map((r) => sql`WHEN ${r.id} THEN ${r[col]}`),
          ' ',
        )} ELSE ${sql.ident(col)} END`;
      await query(
        m,
        sql`UPDATE audit_entries SET ${caseOf('before')}, ${caseOf('after')} WHERE ${sql.in(
          sql`id`,
          chunk.map((r) => r.id),
        )}`,
      );
    }
  }

  async list(q: AuditQuery): Promise<Page<AuditEntryView>> {
    const [rows, total] = await this.database.read((m) => {
      const qb = m.getRepository(AuditEntry).createQueryBuilder('a');
      if (q.entityType) qb.andWhere('a.entity_type = :et', { et: q.entityType });
      if (q.entityId) qb.andWhere('a.entity_id = :eid', { eid: q.entityId });
      if (q.actorId) qb.andWhere('a.actor_id = :aid', { aid: q.actorId });
      if (q.action) qb.andWhere('a.action = :ac', { ac: q.action });
      if (q.from) qb.andWhere('a.at >= :from', { from: new Date(q.from).getTime() });
      if (q.to) qb.andWhere('a.at < :to', { to: new Date(q.to).getTime() });
      qb.orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC');
      qb.skip((q.page - 1) * q.pageSize).take(q.pageSize);
      return qb.getManyAndCount();
    });
    return page(rows.map(toAuditView), total, q);
  }
}

export function toAuditView(a: AuditEntry): AuditEntryView {
  return {
    id: a.id,
    at: iso(a.at),
    actorId: a.actorId,
    action: a.action,
    entityType: a.entityType,
    entityId: a.entityId,
    before: a.before,
    after: a.after,
    meta: a.meta,
  };
}
