import type { EntityManager } from 'typeorm';
import { DialectKind, dialectOf } from './dialect';

/**
 * The one way raw SQL is written: a tagged template, `sql\`SELECT … WHERE id = ${id}\``, whose
 * interpolated values become bound parameters and whose interpolated fragments are spliced in
 * (a fragment inside a fragment: its parameters are numbered where it lands). Nothing is turned into
 * text until the fragment is run, so one fragment serves SQLite (`?`) and PostgreSQL (`$1`, `$2` …)
 * alike; the few spellings that differ come from dialect.ts as fragments that pick their text then.
 *
 *   const recent = sql`e.effective_at >= ${from}`;
 *   await query(m, sql`SELECT id FROM reception_entries e WHERE ${recent} AND ${sql.in(sql`e.kind`, kinds)}`);
 *
 * Only `sql.raw` and `sql.ident` put text in without binding it: raw for SQL the code itself wrote
 * (never user input), ident for a checked column or table name.
 */
export class Sql {
  /** @internal use the `sql` tag, sql.raw, sql.ident, sql.join … */
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The text and parameters for one dialect; placeholders numbered from 1 (PostgreSQL). */
  render(kind: DialectKind): { text: string; params: unknown[] } {
    const params: unknown[] = [];
    const text = this.write(kind, params);
    return { text, params };
  }

  private write(kind: DialectKind, params: unknown[]): string {
    let out = this.strings[0];
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i];
      if (v instanceof Sql) out += v.write(kind, params);
      else if (v instanceof Either) out += v[kind].write(kind, params);
      else {
        params.push(bindable(v));
        out += kind === 'postgres' ? `$${params.length}` : '?';
      }
      out += this.strings[i + 1];
    }
    return out;
  }
}

/** A fragment spelled differently per dialect (dialect.ts builds these). */
class Either {
  constructor(
    readonly sqlite: Sql,
    readonly postgres: Sql,
  ) {}
}

function bindable(v: unknown): unknown {
  if (v === undefined) throw new TypeError('sql: undefined bound as a parameter (pass null for NULL)');
  if (Array.isArray(v)) throw new TypeError('sql: an array bound as one parameter; use sql.in(column, list) for a list');
  if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`sql: non-finite number ${v} bound as a parameter`);
  return v;
}

export type SqlValue = Sql | Either | string | number | bigint | boolean | null | Buffer | Date;

/** The tag: values become parameters, fragments are spliced in. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  return new Sql(strings, values);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Trusted SQL text, spliced as it is: only text the code wrote (a keyword, a generated CASE), never input. */
sql.raw = (text: string): Sql => new Sql([text], []);

/**
 * A column or table name (optionally `alias.column`), checked to be a plain name and quoted: for
 * names the code chooses from a fixed set (a sort column, a table in a loop), never free input.
 */
sql.ident = (name: string): Sql => {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) throw new TypeError(`sql.ident: not a plain name: ${JSON.stringify(name)}`);
  return sql.raw(parts.map((p) => `"${p}"`).join('.'));
};

/** Fragments one after another with a separator (default ", "); an empty list is an empty fragment. */
sql.join = (parts: readonly Sql[], separator = ', '): Sql => {
  if (!parts.length) return sql.empty;
  const strings = ['', ...parts.slice(1).map(() => separator), ''];
  return new Sql(strings, parts);
};

/** The empty fragment. */
sql.empty = new Sql([''], []);

/** Conditions joined with AND; none at all is a true condition. */
sql.and = (conditions: readonly Sql[]): Sql => (conditions.length ? sql`(${sql.join(conditions, ' AND ')})` : sql.raw('1 = 1'));

/**
 * `expr IN (…list)`, each item a parameter. An empty list matches nothing (`1 = 0`): neither
 * dialect takes `IN ()` the same way, and `IN (NULL)` would turn NOT IN into "unknown".
 */
sql.in = (expr: Sql, list: readonly SqlValue[]): Sql => (list.length ? sql`${expr} IN (${sql.join(list.map((v) => sql`${v}`))})` : sql.raw('1 = 0'));

/** `expr NOT IN (…list)`; an empty list excludes nothing (`1 = 1`). */
sql.notIn = (expr: Sql, list: readonly SqlValue[]): Sql => (list.length ? sql`${expr} NOT IN (${sql.join(list.map((v) => sql`${v}`))})` : sql.raw('1 = 1'));

/** Spelled one way on SQLite and another on PostgreSQL (for dialect.ts; elsewhere use its spellings). */
sql.either = (spellings: { sqlite: Sql; postgres: Sql }): Sql => sql`${new Either(spellings.sqlite, spellings.postgres)}`;

/**
 * Runs a fragment in `m` (the manager that write() or read() handed over) in its dialect. Rows come
 * back as the driver gives them: wrap counts and sums with num() (PostgreSQL returns BIGINT as text).
 */
export async function query<T = Record<string, unknown>>(m: EntityManager, q: Sql): Promise<T[]> {
  const { text, params } = q.render(dialectOf(m));
  return (await m.query(text, params)) as T[];
}

/** A number from a raw row: null and undefined are 0, BIGINT text becomes a number. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * The text of a fragment that binds nothing and reads the same on both dialects, for the places
 * that take SQL as a string (TypeORM's query builder: `qb.andWhere(plainText(entryInForce()))`).
 */
export function plainText(q: Sql): string {
  const lite = q.render('sqlite');
  const pg = q.render('postgres');
  if (lite.params.length || lite.text !== pg.text) throw new TypeError(`plainText: the fragment binds parameters or differs by dialect: ${lite.text}`);
  return lite.text;
}
