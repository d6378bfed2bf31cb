import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * One way to the database: outside src/database, code reaches it through DatabaseService.write(fn)
 * and read(fn) and the EntityManager they hand over. Not through the DataSource (its transactions,
 * its shared manager, its query runners), which on SQLite is the one writer connection: a statement
 * sent to it outside write() lands in whatever write is open there. Nor through injected repositories
 * (bound to that connection).
 *
 * NOT_YET_CONVERTED lists the files that still do; the list may only shrink (a listed file that no
 * longer does is an error too: take it off).
 */
const NOT_YET_CONVERTED: Record<string, string> = {
  'app.setup.ts': 'start-up: runs the migrations on the DataSource (under the PostgreSQL advisory lock) before anything serves',
};

const SRC = join(__dirname, '..');

/** What a file may not do outside src/database, each with the reason given when it does. */
const RULES: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /import\s*\{[^}]*\bDataSource\b[^}]*\}\s*from\s*'typeorm'/, what: "imports TypeORM's DataSource" },
  { pattern: /@Inject(DataSource|Repository)\(/, what: 'injects a DataSource or a repository' },
  { pattern: /\.transaction\s*\(/, what: 'opens a transaction itself (use write())' },
  { pattern: /\bcreateQueryRunner\s*\(/, what: 'takes a query runner' },
  { pattern: /\b(?:db|ds|dataSource|connection)\s*\.\s*manager\b/, what: "uses a DataSource's shared manager" },
];

/**
 * One way to write raw SQL: the `sql` tagged template (sql.ts), whose values are bound parameters
 * numbered for the dialect when the statement runs, and the spellings of dialect.ts. Outside
 * src/database no file asks which database it runs on, nor numbers placeholders itself. Same
 * rule for the list: it may only shrink; a folder ends in '/'.
 */
const SQL_NOT_YET_CONVERTED: Record<string, string> = {
  'auth/key-ring.ts': 'chooses where the master secret lives from the configured database, before any query (a configuration choice, not SQL)',
};

const SQL_RULES: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /\boptions\s*\.\s*type\b/, what: 'reads the driver type (use isPostgres or a spelling from database/dialect.ts)' },
  { pattern: /[!=]==?\s*'(?:postgres|sqlite)'|'(?:postgres|sqlite)'\s*[!=]==?/, what: 'compares the dialect (use database/dialect.ts)' },
  { pattern: /\$\$\{/, what: 'numbers PostgreSQL placeholders by hand (`$${n}`)' },
  { pattern: /['"`]\$[1-9]\d*['"`]/, what: "writes a PostgreSQL placeholder by hand ('$1')" },
  { pattern: /(?::|=>)\s*['"`]\?['"`]/, what: "writes a SQLite placeholder by hand ('?')" },
  { pattern: /\bplaceholders\s*\(/, what: 'builds a placeholder list (use the sql tag, sql.in)' },
  { pattern: /\bescapeQueryWithParameters\b/, what: 'expands named parameters itself (use the sql tag)' },
  { pattern: /__[A-Z]+__/, what: 'splices SQL by string replacement (compose sql fragments)' },
];

export function violations(source: string, rules = RULES): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return rules.filter((r) => r.pattern.test(code)).map((r) => r.what);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

/** Files outside src/database that break a rule but are not on the list, and listed entries that no longer break one. */
function unlisted(rules: typeof RULES, notYet: Record<string, string>): { unexpected: [string, string[]][]; stale: string[] } {
  const found: Record<string, string[]> = {};
  for (const file of files(SRC)) {
    const rel = relative(SRC, file).split(sep).join('/');
    if (rel.startsWith('database/')) continue;
    const v = violations(readFileSync(file, 'utf8'), rules);
    if (v.length) found[rel] = v;
  }
  const covers = (entry: string, f: string) => (entry.endsWith('/') ? f.startsWith(entry) : f === entry);
  const unexpected = Object.entries(found).filter(([f]) => !Object.keys(notYet).some((k) => covers(k, f)));
  const stale = Object.keys(notYet).filter((k) => !Object.keys(found).some((f) => covers(k, f)));
  return { unexpected, stale };
}

describe('one way to the database', () => {
  it('catches each kind of direct access on planted sources', () => {
    expect(violations(`import { DataSource, In } from 'typeorm';`)).toEqual(["imports TypeORM's DataSource"]);
    expect(violations(`constructor(@InjectDataSource() db: X) {}`)).toEqual(['injects a DataSource or a repository']);
    expect(violations(`await this.db.transaction(async (m) => m.save(row));`)).toEqual(['opens a transaction itself (use write())']);
    expect(violations(`const qr = ds.createQueryRunner();`)).toEqual(['takes a query runner']);
    expect(violations(`await this.ds.manager.save(Office, row);`)).toEqual(["uses a DataSource's shared manager"]);
    expect(violations(`await this.database.write((m) => m.save(Office, row)); // not this.db.transaction(...)`)).toEqual([]);
  });

  it('no file outside src/database reaches the database but through DatabaseService (save those not yet converted)', () => {
    expect(unlisted(RULES, NOT_YET_CONVERTED)).toEqual({ unexpected: [], stale: [] });
  });
});

describe('one way to write raw SQL', () => {
  const v = (source: string) => violations(source, SQL_RULES);

  it('catches each hand-made habit on planted sources', () => {
    expect(v(`if (m.connection.options.type === 'postgres') lock();`)).toEqual([
      'reads the driver type (use isPostgres or a spelling from database/dialect.ts)',
      'compares the dialect (use database/dialect.ts)',
    ]);
    expect(v(`const pg = this.db.kind === 'postgres';`)).toEqual(['compares the dialect (use database/dialect.ts)']);
    expect(v('const p = (x) => (params.push(x), `$${params.length}`);')).toEqual(['numbers PostgreSQL placeholders by hand (`$${n}`)']);
    expect(v("m.query(`SELECT 1 WHERE id = ${pg ? '$1' : '?'}`, [id]);")).toEqual(["writes a PostgreSQL placeholder by hand ('$1')", "writes a SQLite placeholder by hand ('?')"]);
    expect(v("const marks = row.map(() => '?').join(', ');")).toEqual(["writes a SQLite placeholder by hand ('?')"]);
    expect(v('m.query(`... IN (${placeholders(m, ids.length).join(", ")})`, ids);')).toEqual(['builds a placeholder list (use the sql tag, sql.in)']);
    expect(v("await m.query(q.replace('__SCOPE__', ''));")).toEqual(['splices SQL by string replacement (compose sql fragments)']);
    expect(v('await query(m, sql`SELECT 1 FROM t WHERE ${sql.in(sql`id`, ids)} AND a = ${a}`); // not `$${n}`')).toEqual([]);
    expect(v("const [path] = url.split('?'); const line = err.lines ?? '?';")).toEqual([]);
  });

  it('no file outside src/database numbers placeholders or checks the dialect itself (save those not yet converted)', () => {
    expect(unlisted(SQL_RULES, SQL_NOT_YET_CONVERTED)).toEqual({ unexpected: [], stale: [] });
  });
});
