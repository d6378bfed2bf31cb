import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { runExclusive, sqliteConnection } from '../database/sqlite-serialise';
import { Page, page } from '../common/pagination';
import { buildListingSql, Dialect, ListingFilter, rowToView } from './appearance-listing.sql';
import { AppearanceQuery, AppearanceView } from './dto/appearance.dto';

interface RawSqlite {
  all(sql: string, params: unknown[], cb: (err: Error | null, rows: any[]) => void): void;
}

/**
 * Reads appearances as views with one SQL (see appearance-listing.sql.ts). Outside a transaction on
 * SQLite the listing goes straight to the driver's connection: TypeORM's query runner costs more
 * than the query itself on this hot path (PERF_NOTES.md).
 */
@Injectable()
export class AppearanceReader {
  readonly dialect: Dialect;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.dialect = db.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

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
    const s = buildListingSql(filter, this.dialect);
    // Rows and count under one lock: the same committed state, and no other request's open transaction.
    const [rows, count] = await runExclusive(this.db, () => Promise.all([this.query(null, s.sql, s.params), this.query(null, s.countSql, s.countParams)]));
    return page(rows.map(rowToView), Number(count[0].n), q);
  }

  /** Views by id, in start order (inside a transaction pass its manager). */
  async views(manager: EntityManager | null, ids: string[]): Promise<AppearanceView[]> {
    const s = buildListingSql({ ids }, this.dialect);
    return (await this.query(manager, s.sql, s.params)).map(rowToView);
  }

  async one(id: string, manager: EntityManager | null = null, field?: string): Promise<AppearanceView> {
    const [view] = await this.views(manager, [id]);
    if (!view) throw new NotFoundError('Appearance', id, field);
    return view;
  }

  /** Views for a filter without paging (calendar feeds). */
  async all(filter: ListingFilter): Promise<AppearanceView[]> {
    const s = buildListingSql(filter, this.dialect);
    return (await this.query(null, s.sql, s.params)).map(rowToView);
  }

  /**
   * Without a manager on SQLite the read goes to the raw connection, inside `runExclusive` (the
   * serialisation lock of sqlite-serialise.ts): the one connection may be in the middle of another
   * request's transaction, whose uncommitted rows a bare read would see.
   */
  private query(manager: EntityManager | null, sql: string, params: unknown[]): Promise<any[]> {
    if (manager) return manager.query(sql, params);
    if (this.dialect === 'sqlite') {
      if (sqliteConnection<RawSqlite>(this.db)) {
        return runExclusive(this.db, () => {
          const conn = sqliteConnection<RawSqlite>(this.db)!; // the reader when the writer is busy
          return new Promise<any[]>((resolve, reject) => conn.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
        });
      }
    }
    return this.db.query(sql, params);
  }
}
