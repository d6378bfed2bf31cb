import type { DataSource, EntityManager } from 'typeorm';
import { Sql, sql } from './sql';

/**
 * The one place that knows which database this is, and the few spellings in which SQLite and
 * PostgreSQL differ in the SQL the code needs. Each spelling is a fragment (sql.ts) that picks its
 * text when it is run, so callers write one statement for both. Everything else (ON CONFLICT upserts,
 * window functions, LIKE … ESCAPE '\', CAST(… AS INTEGER)) both accept as written.
 *
 * (sql.ts and this file import each other; neither uses the other at load time, only inside functions.)
 */
export type DialectKind = 'sqlite' | 'postgres';

/** What knows its dialect: a DataSource, an EntityManager, or DatabaseService (its `kind`). */
export type HasDialect = Pick<DataSource, 'options'> | Pick<EntityManager, 'connection'> | { readonly kind: DialectKind };

export function dialectOf(db: HasDialect): DialectKind {
  const type = 'connection' in db ? db.connection.options.type : 'options' in db ? db.options.type : db.kind;
  return type === 'postgres' ? 'postgres' : 'sqlite';
}

export function isPostgres(db: HasDialect): boolean {
  return dialectOf(db) === 'postgres';
}

/** A boolean literal: `true`/`false` on PostgreSQL, `1`/`0` on SQLite (booleans are integers there). */
export function bool(v: boolean): Sql {
  return sql.either({ sqlite: sql.raw(v ? '1' : '0'), postgres: sql.raw(v ? 'true' : 'false') });
}

/**
 * A value whose type PostgreSQL cannot infer from where it stands (a parameter in a CASE branch, a
 * fraction multiplied with a bigint column, which PostgreSQL would read as bigint): `value::type`
 * there; SQLite takes it as it is.
 */
export function typed(value: Sql, pgType: 'integer' | 'varchar' | 'bigint' | 'double precision'): Sql {
  return sql.either({ sqlite: value, postgres: sql`${value}::${sql.raw(pgType)}` });
}

/** 'YYYY-MM' of an epoch-ms column, UTC. */
export function month(col: Sql): Sql {
  return sql.either({
    sqlite: sql`strftime('%Y-%m', ${col} / 1000, 'unixepoch')`,
    postgres: sql`to_char(to_timestamp(${col} / 1000) AT TIME ZONE 'UTC', 'YYYY-MM')`,
  });
}

/** 'YYYY-Qn' of an epoch-ms column, UTC. */
export function quarter(col: Sql): Sql {
  return sql.either({
    sqlite: sql`(strftime('%Y', ${col} / 1000, 'unixepoch') || '-Q' || ((CAST(strftime('%m', ${col} / 1000, 'unixepoch') AS INTEGER) + 2) / 3))`,
    postgres: sql`to_char(to_timestamp(${col} / 1000) AT TIME ZONE 'UTC', 'YYYY-"Q"Q')`,
  });
}

/**
 * The values of a text column joined with commas, as one string (NULL when there are none): in the
 * column's order on PostgreSQL, in no set order on SQLite (callers sort what they split).
 */
export function commaList(col: Sql): Sql {
  return sql.either({ sqlite: sql`group_concat(${col}, ',')`, postgres: sql`string_agg(${col}, ',' ORDER BY ${col})` });
}
