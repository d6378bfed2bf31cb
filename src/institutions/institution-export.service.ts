import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { Clock } from '../common/clock';
import { Institution } from './institution.entity';
import { normaliseState } from './normalise';
import { InstitutionReception } from './institution-reception';

/** Batches of institution CSV rows (keyset-paginated, 1000 at a time) with the derived stance. */
@Injectable()
export class InstitutionExportService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly ledger: InstitutionReception,
  ) {}

  async *rows(q: { state?: string; kind?: string }): AsyncGenerator<Array<Record<string, unknown>>> {
    let after: { name: string; id: string } | null = null;
    for (;;) {
      const from = after;
      const rows = await this.db.read((m) => {
        const qb = m.getRepository(Institution).createQueryBuilder('i').orderBy('i.search_name', 'ASC').addOrderBy('i.id', 'ASC').take(1000);
        if (q.state) qb.andWhere('i.state = :st', { st: normaliseState(q.state) });
        if (q.kind) qb.andWhere('i.kind = :kind', { kind: q.kind });
        if (from) qb.andWhere('(i.search_name > :an OR (i.search_name = :an AND i.id > :aid))', { an: from.name, aid: from.id });
        return qb.getMany();
      });
      if (!rows.length) return;
      const stances = await this.ledger.summaries(
        rows.map((r) => r.id),
        this.clock.now(),
      );
      yield rows.map((i) => ({
        id: i.id,
        name: i.name,
        kind: i.kind,
        city: i.city,
        state: i.state,
        country: i.country,
        time_zone: i.timeZone,
        external_id: i.externalId ?? '',
        ownership: i.ownership ?? '',
        highest_degree: i.highestDegree ?? '',
        limits_immigration_cooperation: i.limitsImmigrationCooperation,
        requires_advance_notice: i.requiresAdvanceNotice,
        advance_notice_days: i.advanceNoticeDays ?? '',
        current_stance: stances.get(i.id)?.currentStance ?? '',
      }));
      const last = rows[rows.length - 1];
      after = { name: last.searchName, id: last.id };
      if (rows.length < 1000) return;
    }
  }
}
