import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { Page, page } from '../common/pagination';
import { query, Sql } from '../database/sql';
import { ListingFilter, listingQueries, rowToView } from './appearance-listing.sql';
import { AppearanceQuery, AppearanceView } from './dto/appearance.dto';

/** Reads appearances as views with one SQL (see appearance-listing.sql.ts). */
@Injectable()
export class AppearanceReader {
  constructor(private readonly database: DatabaseService) {}

  async list(q: AppearanceQuery): Promise<Page<AppearanceView>> {
    const filter: ListingFilter = {
      from: q.from ? Date.parse(q.from) : undefined,
      to: q.to ? Date.parse(q.to) : undefined,
      officeId: q.officeId,
      institutionId: q.institutionId,
      recruiterId: q.recruiterId,
      status: q.status,
      kind: q.kind,
      riskLevel: q.riskLevel,
      order: q.order,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    };
    const s = listingQueries(filter);
    // The page and its count in one statement (one committed state, one round trip, no transaction).
    const rows = await this.database.readStatement(s.rowsWithCount);
    if (rows.length || !filter.offset) return page(rows.map(rowToView), rows.length ? Number(rows[0].total_count) : 0, q);
    // a page past the end has no row to carry the count: the count on its own
    const [count] = await this.database.readStatement<{ n: unknown }>(s.count);
    return page([], Number(count.n), q);
  }

  /** Views by id, in start order (inside a transaction pass its manager). */
  async views(manager: EntityManager | null, ids: string[]): Promise<AppearanceView[]> {
    return (await this.query(manager, listingQueries({ ids }).rows)).map(rowToView);
  }

  async one(id: string, manager: EntityManager | null = null, field?: string): Promise<AppearanceView> {
    const [view] = await this.views(manager, [id]);
    if (!view) throw new NotFoundError('Appearance', id, field);
    return view;
  }

  /** Views for a filter without paging (calendar feeds). */
  async all(filter: ListingFilter): Promise<AppearanceView[]> {
    return (await this.query(null, listingQueries(filter).rows)).map(rowToView);
  }

  /** Without a manager: a read of its own (committed state only); with one: that transaction's. */
  private query(manager: EntityManager | null, q: Sql): Promise<any[]> {
    if (manager) return query(manager, q);
    return this.database.read((m) => query(m, q));
  }
}
