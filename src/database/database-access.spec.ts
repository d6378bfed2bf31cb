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

export function violations(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return RULES.filter((r) => r.pattern.test(code)).map((r) => r.what);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
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
    const found: Record<string, string[]> = {};
    for (const file of files(SRC)) {
      const rel = relative(SRC, file).split(sep).join('/');
      if (rel.startsWith('database/')) continue;
      const v = violations(readFileSync(file, 'utf8'));
      if (v.length) found[rel] = v;
    }
    const unexpected = Object.entries(found).filter(([f]) => !(f in NOT_YET_CONVERTED));
    const stale = Object.keys(NOT_YET_CONVERTED).filter((f) => !(f in found));
    expect({ unexpected, stale }).toEqual({ unexpected: [], stale: [] });
  });
});
