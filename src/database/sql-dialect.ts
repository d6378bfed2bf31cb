import { DataSource, EntityManager } from 'typeorm';

/**
 * The few places SQLite and PostgreSQL differ in the reports' SQL: turning an epoch-ms column into a
 * UTC month or quarter key (everything else there is plain SQL both accept); and `query()`, named
 * parameters for raw SQL on either database (reports, auth).
 */
export interface Dialect {
  kind: 'sqlite' | 'postgres';
  /** 'YYYY-MM' of an epoch-ms column, UTC. */
  month(col: string): string;
  /** 'YYYY-Qn' of an epoch-ms column, UTC. */
  quarter(col: string): string;
}

const SQLITE: Dialect = {
  kind: 'sqlite',
  month: (c) => `strftime('%Y-%m', ${c} / 1000, 'unixepoch')`,
  quarter: (c) => `(strftime('%Y', ${c} / 1000, 'unixepoch') || '-Q' || ((CAST(strftime('%m', ${c} / 1000, 'unixepoch') AS INTEGER) + 2) / 3))`,
};

const POSTGRES: Dialect = {
  kind: 'postgres',
  month: (c) => `to_char(to_timestamp(${c} / 1000) AT TIME ZONE 'UTC', 'YYYY-MM')`,
  quarter: (c) => `to_char(to_timestamp(${c} / 1000) AT TIME ZONE 'UTC', 'YYYY-"Q"Q')`,
};

export function dialectOf(db: DataSource | EntityManager | { kind: Dialect['kind'] }): Dialect {
  const kind = db instanceof DataSource ? db.options.type : db instanceof EntityManager ? db.connection.options.type : db.kind;
  return kind === 'postgres' ? POSTGRES : SQLITE;
}

/**
 * Runs raw SQL with named parameters (`:name`, `:...list`) on either driver. Raw rows come back
 * as the driver gives them: wrap counts and sums with Number() (PostgreSQL returns BIGINT as text).
 */
export async function query<T = Record<string, unknown>>(db: DataSource | EntityManager, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const ds = db instanceof DataSource ? db : db.connection;
  const [q, p] = ds.driver.escapeQueryWithParameters(sql, params, {});
  return (await db.query(q, p)) as T[];
}

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** UTC month keys from the month of `from` to the month of `to − 1 ms`, inclusive. */
export function monthKeys(from: number, to: number): string[] {
  const out: string[] = [];
  const end = new Date(to - 1);
  let y = new Date(from).getUTCFullYear();
  let m = new Date(from).getUTCMonth();
  while (y < end.getUTCFullYear() || (y === end.getUTCFullYear() && m <= end.getUTCMonth())) {
    out.push(`${y}-${String(m + 1).padStart(2, '0')}`);
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
    if (out.length > 600) break;
  }
  return out;
}

/** UTC quarter keys ('2026-Q1') covering [from, to). */
export function quarterKeys(from: number, to: number): string[] {
  const seen = new Set<string>();
  for (const m of monthKeys(from, to)) {
    const [y, mm] = m.split('-').map(Number);
    seen.add(`${y}-Q${Math.floor((mm - 1) / 3) + 1}`);
  }
  return [...seen];
}

/** Start of the UTC month containing ms. */
export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the UTC month `n` months after the one containing ms (n may be negative). */
export function addMonths(ms: number, n: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
}
