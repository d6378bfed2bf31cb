import { DataSource } from 'typeorm';
import { bool, commaList, dialectOf, isPostgres, month, quarter, typed } from './dialect';
import { num, query, sql } from './sql';

const both = (q: ReturnType<typeof sql>) => ({ sqlite: q.render('sqlite'), postgres: q.render('postgres') });

describe('sql: the tagged template', () => {
  it('binds values as parameters, `?` on SQLite and `$n` on PostgreSQL', () => {
    expect(both(sql`SELECT id FROM users WHERE email = ${'a@b.c'} AND active = ${true} LIMIT ${5}`)).toEqual({
      sqlite: { text: 'SELECT id FROM users WHERE email = ? AND active = ? LIMIT ?', params: ['a@b.c', true, 5] },
      postgres: { text: 'SELECT id FROM users WHERE email = $1 AND active = $2 LIMIT $3', params: ['a@b.c', true, 5] },
    });
  });

  it('never puts a value in the text, however it looks', () => {
    const evil = "x'; DROP TABLE users; --";
    const { text, params } = sql`SELECT 1 WHERE name = ${evil}`.render('postgres');
    expect(text).toBe('SELECT 1 WHERE name = $1');
    expect(params).toEqual([evil]);
  });

  it('renumbers a fragment where it lands, however deep, and a fragment used twice binds twice', () => {
    const inner = sql`b = ${2}`;
    const middle = sql`(a = ${1} AND ${inner})`;
    const q = sql`SELECT * FROM t WHERE x = ${0} AND ${middle} OR ${inner} AND y = ${3}`;
    expect(q.render('postgres')).toEqual({ text: 'SELECT * FROM t WHERE x = $1 AND (a = $2 AND b = $3) OR b = $4 AND y = $5', params: [0, 1, 2, 2, 3] });
    expect(q.render('sqlite')).toEqual({ text: 'SELECT * FROM t WHERE x = ? AND (a = ? AND b = ?) OR b = ? AND y = ?', params: [0, 1, 2, 2, 3] });
    // A fragment renders the same on its own again (rendering keeps no state).
    expect(inner.render('postgres')).toEqual({ text: 'b = $1', params: [2] });
  });

  it('joins fragments with a separator; an empty join is empty', () => {
    const parts = [sql`a = ${1}`, sql`b = ${2}`, sql`c`];
    expect(sql.join(parts, ' AND ').render('postgres')).toEqual({ text: 'a = $1 AND b = $2 AND c', params: [1, 2] });
    expect(sql`SELECT ${sql.join([sql.raw('x'), sql.raw('y')])}`.render('sqlite').text).toBe('SELECT x, y');
    expect(sql.join([]).render('postgres')).toEqual({ text: '', params: [] });
    expect(sql.and([]).render('sqlite').text).toBe('1 = 1');
    expect(sql.and([sql`a = ${1}`, sql`b = ${2}`]).render('postgres')).toEqual({ text: '(a = $1 AND b = $2)', params: [1, 2] });
  });

  it('IN lists: one parameter each; an empty list matches nothing (and NOT IN excludes nothing)', () => {
    expect(sql`SELECT 1 WHERE ${sql.in(sql`id`, ['a', 'b', 'c'])} AND z = ${9}`.render('postgres')).toEqual({ text: 'SELECT 1 WHERE id IN ($1, $2, $3) AND z = $4', params: ['a', 'b', 'c', 9] });
    expect(sql.in(sql`id`, []).render('sqlite')).toEqual({ text: '1 = 0', params: [] });
    expect(sql.notIn(sql`id`, ['a']).render('sqlite')).toEqual({ text: 'id NOT IN (?)', params: ['a'] });
    expect(sql.notIn(sql`id`, []).render('postgres')).toEqual({ text: '1 = 1', params: [] });
  });

  it('raw text is spliced as it is; identifiers are checked and quoted', () => {
    expect(sql`SELECT ${sql.ident('e.effective_at')} FROM ${sql.ident('reception_entries')} ORDER BY 1 ${sql.raw('DESC')}`.render('sqlite').text).toBe(
      'SELECT "e"."effective_at" FROM "reception_entries" ORDER BY 1 DESC',
    );
    for (const bad of ['a; DROP TABLE x', 'a"b', 'a.b.c', '', '1abc', 'a b']) expect(() => sql.ident(bad)).toThrow(/not a plain name/);
  });

  it('refuses values that would bind wrongly: undefined, arrays, non-finite numbers', () => {
    expect(() => sql`x = ${undefined as unknown as null}`.render('sqlite')).toThrow(/undefined/);
    expect(() => sql`x IN (${['a', 'b'] as unknown as string})`.render('sqlite')).toThrow(/sql.in/);
    expect(() => sql`x = ${NaN}`.render('postgres')).toThrow(/non-finite/);
    expect(sql`x = ${null}`.render('postgres')).toEqual({ text: 'x = $1', params: [null] });
  });
});

describe('dialect: the spellings that differ', () => {
  it('knows the dialect of a manager, a DataSource or the database service', () => {
    expect(dialectOf({ kind: 'postgres' })).toBe('postgres');
    expect(dialectOf({ options: { type: 'postgres' } } as never)).toBe('postgres');
    expect(dialectOf({ connection: { options: { type: 'sqlite' } } } as never)).toBe('sqlite');
    expect(isPostgres({ kind: 'sqlite' })).toBe(false);
  });

  it('spells booleans, casts, month and quarter keys and comma lists per dialect, numbering inside them', () => {
    const q = sql`SELECT ${month(sql`at`)}, ${quarter(sql.raw('at'))}, ${commaList(sql`u`)} WHERE a = ${bool(true)} AND b = ${bool(false)} AND c = ${typed(sql`${7}`, 'integer')} AND d = ${8} AND e = ${typed(sql`${0.5}`, 'double precision')}`;
    expect(q.render('sqlite')).toEqual({
      text:
        "SELECT strftime('%Y-%m', at / 1000, 'unixepoch'), (strftime('%Y', at / 1000, 'unixepoch') || '-Q' || ((CAST(strftime('%m', at / 1000, 'unixepoch') AS INTEGER) + 2) / 3)), " +
        "group_concat(u, ',') WHERE a = 1 AND b = 0 AND c = ? AND d = ? AND e = ?",
      params: [7, 8, 0.5],
    });
    expect(q.render('postgres')).toEqual({
      text:
        "SELECT to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM'), to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-\"Q\"Q'), " +
        "string_agg(u, ',' ORDER BY u) WHERE a = true AND b = false AND c = $1::integer AND d = $2 AND e = $3::double precision",
      params: [7, 8, 0.5],
    });
  });
});

/** The same statements run on a real database: SQLite in memory always, PostgreSQL when TEST_DATABASE_URL is set. */
const databases: Array<[string, () => DataSource]> = [['sqlite', () => new DataSource({ type: 'sqlite', database: ':memory:' })]];
if (process.env.TEST_DATABASE_URL) databases.push(['postgres', () => new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL })]);

describe.each(databases)('sql and dialect on %s', (_name, open) => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await open().initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('runs nested fragments, IN lists (empty too) and the spellings, and gets the rows', async () => {
    const m = ds.manager;
    const values = sql`SELECT 1 AS n, 'b' AS s UNION ALL SELECT 2, 'a' UNION ALL SELECT 3, 'c'`;
    const picked = (list: number[]) => query<{ n: unknown }>(m, sql`SELECT v.n FROM (${values}) v WHERE ${sql.in(sql`v.n`, list)} AND v.n >= ${1} ORDER BY v.n`);
    expect((await picked([3, 1])).map((r) => num(r.n))).toEqual([1, 3]);
    expect(await picked([])).toEqual([]);
    const notIn = await query<{ n: unknown }>(m, sql`SELECT v.n FROM (${values}) v WHERE ${sql.notIn(sql`v.n`, [])} ORDER BY v.n`);
    expect(notIn.map((r) => num(r.n))).toEqual([1, 2, 3]);
    const [row] = await query<Record<string, unknown>>(
      m,
      sql`SELECT ${month(typed(sql`${Date.UTC(2026, 4, 17)}`, 'bigint'))} AS mo, ${quarter(typed(sql`${Date.UTC(2026, 10, 2)}`, 'bigint'))} AS qu, (SELECT ${commaList(sql`v.s`)} FROM (${values}) v) AS list,
        CASE WHEN ${bool(true)} THEN ${typed(sql`${41}`, 'integer')} + 1 ELSE 0 END AS answer`,
    );
    expect({ ...row, list: String(row.list).split(',').sort(), answer: num(row.answer) }).toEqual({ mo: '2026-05', qu: '2026-Q4', list: ['a', 'b', 'c'], answer: 42 });
  });

  it('keeps a fraction multiplied with a bigint a fraction when it is typed double precision', async () => {
    const values = sql`SELECT ${typed(sql`${3_000_000_000}`, 'bigint')} AS t`;
    const [row] = await query<{ x: unknown }>(ds.manager, sql`SELECT (v.t - ${2_000_000_000}) * ${typed(sql`${0.25}`, 'double precision')} AS x FROM (${values}) v`);
    expect(num(row.x)).toBe(250_000_000);
  });
});
