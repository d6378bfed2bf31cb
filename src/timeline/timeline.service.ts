import { Injectable } from '@nestjs/common';
import { topicBit } from '../common/topics';
import { In } from 'typeorm';
import { Appearance } from '../appearances/appearance.entity';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { NotFoundError } from '../common/errors';
import { page } from '../common/pagination';
import { iso, localIso } from '../common/time';
import { Incident } from '../incidents/incident.entity';
import { toIncidentView } from '../incidents/incident-view';
import { Institution } from '../institutions/institution.entity';
import { TimelineItem, TimelinePage, TimelineQuery, TimelineType } from './dto/timeline.dto';
import { ReceptionEntry } from '../reception/reception-entry.entity';
import { toReceptionView } from '../reception/reception.service';
import { DatabaseService } from '../database/database.service';
import { query, sql } from '../database/sql';

/**
 * One institution's history: reception entries (by effective date), incidents (by occurred-at) and
 * appearances (by start) merged in time order. One UNION ALL query picks the page (type, id, at),
 * then three bounded queries (≤ pageSize ids each) load the rows. Reading it reads incidents, so
 * it is audited like an incident list.
 */
@Injectable()
export class TimelineService {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
  ) {}

  async timeline(institutionId: string, q: TimelineQuery, actor: AuthUser): Promise<TimelinePage> {
    const institution = await this.db.read((m) => m.findOneBy(Institution, { id: institutionId }));
    if (!institution) throw new NotFoundError('Institution', institutionId);
    const dir = sql.raw(q.order === 'asc' ? 'ASC' : 'DESC');
    // with a topic, only the incidents that have it (a bit of the mask)
    const topic = q.topic ? sql` AND (topic_mask & ${topicBit(q.topic)}) <> 0` : sql.empty;
    const union = sql`SELECT 'reception' AS type, id, effective_at AS at FROM reception_entries WHERE institution_id = ${institutionId}
      UNION ALL SELECT 'incident' AS type, id, occurred_at AS at FROM incidents WHERE institution_id = ${institutionId}${topic}
      UNION ALL SELECT 'appearance' AS type, id, starts_at AS at FROM appearances WHERE institution_id = ${institutionId}`;
    const rows = await this.db.read((m) =>
      query<{ type: TimelineType; id: string; at: string | number }>(
        m,
        sql`SELECT t.type, t.id, t.at FROM (${union}) t ORDER BY t.at ${dir}, t.type ${dir}, t.id ${dir} LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
      ),
    );
    const [{ n }] = await this.db.read((m) =>
      query<{ n: unknown }>(
        m,
        sql`SELECT (SELECT COUNT(*) FROM reception_entries WHERE institution_id = ${institutionId}) + (SELECT COUNT(*) FROM incidents WHERE institution_id = ${institutionId}${topic}) + (SELECT COUNT(*) FROM appearances WHERE institution_id = ${institutionId}) AS n`,
      ),
    );
    const idsOf = (t: TimelineType) => rows.filter((r) => r.type === t).map((r) => r.id);
    const [entries, incidents, appearances, superseding] = await Promise.all([
      idsOf('reception').length ? this.db.read((m) => m.findBy(ReceptionEntry, { id: In(idsOf('reception')) })) : [],
      idsOf('incident').length ? this.db.read((m) => m.findBy(Incident, { id: In(idsOf('incident')) })) : [],
      idsOf('appearance').length ? this.db.read((m) => m.findBy(Appearance, { id: In(idsOf('appearance')) })) : [],
      idsOf('reception').length ? this.db.read((m) => m.findBy(ReceptionEntry, { supersedesId: In(idsOf('reception')) })) : [],
    ]);
    const supersededBy = new Map(superseding.map((s) => [s.supersedesId as string, s.id]));
    const rec = new Map(entries.map((e) => [e.id, e]));
    const inc = new Map(incidents.map((i) => [i.id, i]));
    const app = new Map(appearances.map((a) => [a.id, a]));
    const items: TimelineItem[] = rows.map((r) => {
      const base = { type: r.type, id: r.id, at: iso(Number(r.at)) };
      if (r.type === 'reception') return { ...base, reception: toReceptionView({ ...rec.get(r.id)!, supersededById: supersededBy.get(r.id) ?? null } as never) };
      if (r.type === 'incident') return { ...base, incident: toIncidentView(inc.get(r.id)!, institution) };
      const a = app.get(r.id)!;
      return {
        ...base,
        appearance: {
          id: a.id,
          title: a.title,
          kind: a.kind,
          status: a.status,
          startsAt: iso(a.startsAt),
          endsAt: iso(a.endsAt),
          startsAtLocal: localIso(a.startsAt, a.timeZone),
          timeZone: a.timeZone,
          officeId: a.officeId,
          disrupted: a.disrupted,
        },
      };
    });
    await this.audit.record(null, {
      actorId: actor.id,
      action: 'read',
      entityType: 'incident',
      entityId: null,
      meta: { kind: 'timeline', filter: { institutionId, page: q.page, pageSize: q.pageSize, order: q.order ?? 'desc' } },
    });
    return page(items, Number(n), q);
  }
}
