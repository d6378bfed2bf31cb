import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * Two rules about how the folders of src/ depend on each other, checked over the source itself:
 *
 * 1. Layers. A folder imports only folders below it in LAYERS (the README's "Project layout" says
 *    the same): no cycles between folders, and a new back-edge fails here.
 * 2. Owners. Only the folder that holds an entity file writes that entity's table (ORM writes naming
 *    the entity, query-builder writes, rows staged for an import, and raw INSERT INTO / UPDATE /
 *    DELETE FROM in SQL text). Everyone else calls the owner's exported method. A write whose
 *    target cannot be told from the code fails too: name the entity (m.save(User, row)).
 *
 * Both run first on planted sources, so each is shown to fail before it is trusted on src/.
 */

const SRC = __dirname;

/** Lowest first. A folder may import its own files and any folder listed before it; the root files (app) come last. */
export const LAYERS = [
  'common',
  'config',
  'database',
  'audit',
  'imports',
  'offices',
  'users',
  'tokens',
  'auth',
  'sso',
  'health',
  'risk',
  'institutions',
  'reception',
  'appearances',
  'incidents',
  'timeline',
  'calendar',
  'notifications',
  'webhooks',
  'outcomes',
  'attention',
  'reports',
  'pages',
  'dashboard',
  'app',
] as const;

/**
 * Files allowed to import upward, with the reason. Only composition roots: they list everything by design.
 */
const LAYER_EXEMPT: Record<string, string> = {
  'database/entities.ts': 'the registry of every entity for the DataSource (the TypeORM CLI and the tests build theirs from it); each module declares its own with TypeOrmModule.forFeature',
};

/**
 * Writes outside the owner that are meant: file → table → reason. Keep this short.
 */
const WRITE_ALLOWED: Array<{ file: string; table: string; reason: string }> = [
  {
    file: 'imports/csv-reader.ts',
    table: '*',
    reason: "executes, in the import's one short transaction, the rows the owning module staged with stage.add / stage.update (those calls are checked as writes of the owner)",
  },
];

type Sources = Map<string, string>; // path relative to src (posix) → text

function readSources(root: string): Sources {
  const out: Sources = new Map();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'migrations' && name !== 'node_modules') walk(p);
      } else if (p.endsWith('.ts') && !p.endsWith('.spec.ts') && !p.endsWith('.d.ts')) {
        out.set(relative(root, p).split(sep).join('/'), readFileSync(p, 'utf8'));
      }
    }
  };
  walk(root);
  return out;
}

const folderOf = (file: string): string => (file.includes('/') ? file.split('/')[0] : 'app');

function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** Relative module specifiers of a file: import / export … from, import(), require(). */
function specifiers(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) out.push(n.moduleSpecifier.text);
    if (ts.isCallExpression(n) && n.arguments.length === 1 && ts.isStringLiteral(n.arguments[0])) {
      if (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require')) out.push(n.arguments[0].text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out.filter((s) => s.startsWith('.'));
}

export interface Edge {
  from: string;
  to: string;
  file: string;
  spec: string;
}

/** Folder-to-folder import edges (within a folder not counted). */
export function folderEdges(sources: Sources, exists: (rel: string) => boolean = (rel) => sources.has(`${rel}.ts`) || sources.has(`${rel}/index.ts`)): Edge[] {
  const edges: Edge[] = [];
  for (const [file, text] of sources) {
    for (const spec of specifiers(parse(file, text))) {
      const target = relative('/src', resolve('/src', dirname(file), spec))
        .split(sep)
        .join('/');
      // a folder import ('../config') is that folder; a file at the root is the app
      const isDir = !exists(target) || sources.has(`${target}/index.ts`);
      const to = target.includes('/') || isDir ? target.split('/')[0] : 'app';
      const from = folderOf(file);
      if (to !== from && !to.startsWith('..')) edges.push({ from, to, file, spec });
    }
  }
  return edges;
}

export function layerViolations(edges: Edge[], layers: readonly string[] = LAYERS, exempt: Record<string, string> = LAYER_EXEMPT): string[] {
  const rank = new Map(layers.map((l, i) => [l, i]));
  const out: string[] = [];
  for (const e of edges) {
    if (exempt[e.file]) continue;
    const f = rank.get(e.from);
    const t = rank.get(e.to);
    if (f === undefined) out.push(`${e.file}: folder ${e.from} is not in the layering`);
    else if (t === undefined) out.push(`${e.file}: imports ${e.spec} (folder ${e.to} is not in the layering)`);
    else if (t > f) out.push(`${e.file}: ${e.from} imports ${e.to} (${e.spec}), which sits above it`);
  }
  return out;
}

/** table name → owning folder, and entity class → table, from @Entity('table') in *.entity.ts. */
export function tableOwners(sources: Sources): { owner: Map<string, string>; tableOf: Map<string, string> } {
  const owner = new Map<string, string>();
  const tableOf = new Map<string, string>();
  for (const [file, text] of sources) {
    if (!file.endsWith('.entity.ts')) continue;
    for (const m of text.matchAll(/@Entity\(\s*['"]([a-z0-9_]+)['"][^)]*\)[\s\S]*?export\s+class\s+(\w+)/g)) {
      owner.set(m[1], folderOf(file));
      tableOf.set(m[2], m[1]);
    }
  }
  return { owner, tableOf };
}

/** ORM methods that write; `into` (insert().into(X)) and `from` after delete() are query-builder writes. */
const ORM_WRITES = new Set(['save', 'insert', 'update', 'delete', 'remove', 'upsert', 'softDelete', 'softRemove', 'restore', 'increment', 'decrement', 'clear', 'into', 'add']);
/** Receivers that reach the database: an EntityManager, DataSource, Repository, QueryBuilder chain, or an import stage. */
const DB_RECEIVER = /(^|\.)(m|em|tx|manager|db|ds|dataSource|connection|repo|\w+Repo|\w+Repository|qb|stage)$|getRepository\(|createQueryBuilder\(|\.(insert|update|delete)\(\)$/;
const SQL_WRITE = /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:"|`)?([A-Za-z_][A-Za-z0-9_]*)?/gi;

export interface Write {
  file: string;
  line: number;
  table: string | null; // null: the target cannot be told
  how: string;
}

export function writes(sources: Sources, tableOf: Map<string, string>, tables: Set<string>): Write[] {
  const out: Write[] = [];
  for (const [file, text] of sources) {
    const sf = parse(file, text);
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const entityIn = (n: ts.Node | undefined): string | null => {
      if (!n) return null;
      const t = n.getText(sf);
      for (const m of t.matchAll(/\b[A-Z]\w*\b/g)) if (tableOf.has(m[0])) return tableOf.get(m[0])!;
      for (const m of t.matchAll(/['"`]([a-z_][a-z0-9_]*)['"`]/g)) if (tables.has(m[1])) return m[1];
      return null;
    };
    /** What a local name holds: `x = m.getRepository(User)`, `x = m.create(User, …)`, `x: User`, `new User(`. */
    const declaredEntity = (name: string, scope: ts.Node): string | null => {
      const body = scope.getText(sf);
      const re = new RegExp(
        `\\b${name}\\s*(?::\\s*(?:Repository<)?(\\w+)|=\\s*(?:await\\s+)?[\\w.]*(?:getRepository|create|findOne\\w*|findOneByOrFail|findOneOrFail)\\(\\s*(\\w+)|=\\s*new\\s+(\\w+))`,
        'g',
      );
      for (const m of body.matchAll(re)) {
        const cls = m[1] ?? m[2] ?? m[3];
        if (cls && tableOf.has(cls)) return tableOf.get(cls)!;
      }
      return null;
    };
    const visit = (n: ts.Node, scope: ts.Node) => {
      const nextScope = ts.isFunctionLike(n) || ts.isClassDeclaration(n) ? n : scope;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ORM_WRITES.has(n.expression.name.text)) {
        const method = n.expression.name.text;
        const receiver = n.expression.expression;
        const recv = receiver.getText(sf).replace(/\s+/g, '');
        const isStage = /(^|\.)stage$/.test(recv);
        const relevant = method === 'add' ? isStage : method === 'from' ? false : DB_RECEIVER.test(recv);
        if (relevant && !(method === 'update' && isStage === false && /\.(createHash|createHmac)\(/.test(recv))) {
          let table = entityIn(n.arguments[0]) ?? (/(getRepository|createQueryBuilder)\(/.test(recv) ? entityIn(receiver) : null);
          if (!table && n.arguments[0] && ts.isIdentifier(n.arguments[0])) table = declaredEntity(n.arguments[0].text, scope);
          if (!table && ts.isIdentifier(receiver)) table = declaredEntity(receiver.text, scope);
          // qb.update(X).set(...) is counted at update(X); insert()/update()/delete() with no argument wait for into()/from()
          const bare = (method === 'insert' || method === 'update' || method === 'delete') && n.arguments.length === 0 && /createQueryBuilder\(/.test(recv);
          if (!bare) out.push({ file, line: lineOf(n), table, how: `${recv.length > 40 ? `…${recv.slice(-40)}` : recv}.${method}()` });
        }
      }
      // createQueryBuilder().delete().from(X)
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'from' && /\.delete\(\)$/.test(n.expression.expression.getText(sf).replace(/\s+/g, ''))) {
        out.push({ file, line: lineOf(n), table: entityIn(n.arguments[0]), how: 'delete().from()' });
      }
      const sqlTexts: Array<{ text: string; dynamicAfter: boolean }> = [];
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) sqlTexts.push({ text: n.text, dynamicAfter: false });
      if (ts.isTemplateExpression(n)) {
        sqlTexts.push({ text: n.head.text, dynamicAfter: true });
        n.templateSpans.forEach((s, i) => sqlTexts.push({ text: s.literal.text, dynamicAfter: i < n.templateSpans.length - 1 }));
      }
      for (const { text: sql, dynamicAfter } of sqlTexts) {
        for (const m of sql.matchAll(SQL_WRITE)) {
          const name = m[2]?.toLowerCase();
          if (name && tables.has(name)) out.push({ file, line: lineOf(n), table: name, how: `${m[1].toUpperCase()} ${name}` });
          else if (!name && dynamicAfter && m.index! + m[0].length === sql.length) out.push({ file, line: lineOf(n), table: null, how: `${m[1].toUpperCase()} \${…}` });
        }
      }
      ts.forEachChild(n, (c) => visit(c, nextScope));
    };
    visit(sf, sf);
  }
  return out;
}

export function ownershipViolations(sources: Sources, allowed = WRITE_ALLOWED): string[] {
  const { owner, tableOf } = tableOwners(sources);
  const out: string[] = [];
  for (const w of writes(sources, tableOf, new Set(owner.keys()))) {
    if (allowed.some((a) => a.file === w.file && (a.table === '*' || a.table === w.table))) continue;
    if (w.table === null) out.push(`${w.file}:${w.line} ${w.how}: cannot tell which table this writes; name the entity`);
    else if (owner.get(w.table) !== folderOf(w.file)) out.push(`${w.file}:${w.line} ${w.how} writes ${w.table}, owned by ${owner.get(w.table)}/: call the owner's method`);
  }
  return out;
}

const planted = (files: Record<string, string>): Sources => new Map(Object.entries(files));
const ENTITIES = {
  'users/user.entity.ts': "@Entity('users')\nexport class User { id: string }",
  'notifications/notification.entity.ts': "@Entity('notifications')\nexport class Notification { id: string }",
};

describe('folder layering', () => {
  it('fails on a planted back-edge (a low folder importing a higher one)', () => {
    const sources = planted({
      'common/clock.ts': "import { UsersService } from '../users/users.service';\nexport class Clock {}",
      'users/users.service.ts': "import { Clock } from '../common/clock';\nimport { appConfig } from '../config';\nexport class UsersService {}",
      'config/index.ts': 'export const appConfig = 1;',
    });
    const edges = folderEdges(sources);
    expect(edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(['common->users', 'users->common', 'users->config']);
    expect(layerViolations(edges)).toEqual(['common/clock.ts: common imports users (../users/users.service), which sits above it']);
  });

  it('fails on a folder that is not in the layering, and counts type-only and dynamic imports', () => {
    const sources = planted({
      'newthing/a.ts': "import type { X } from '../risk/x';\nexport const a = () => import('../pages/p');",
      'risk/x.ts': 'export type X = 1;',
      'pages/p.ts': 'export const p = 1;',
    });
    expect(layerViolations(folderEdges(sources))).toEqual(['newthing/a.ts: folder newthing is not in the layering', 'newthing/a.ts: folder newthing is not in the layering']);
    expect(layerViolations(folderEdges(planted({ 'risk/x.ts': "import { p } from '../pages/p';", 'pages/p.ts': '' })))).toHaveLength(1);
  });

  it('src/ has no import against the layering (so no cycle between folders)', () => {
    const sources = readSources(SRC);
    const folders = new Set([...sources.keys()].map(folderOf));
    expect([...folders].filter((f) => !(LAYERS as readonly string[]).includes(f))).toEqual([]);
    expect(layerViolations(folderEdges(sources))).toEqual([]);
  });
});

describe('table ownership', () => {
  it("fails on a planted write of another module's entity, through the ORM and in raw SQL", () => {
    const sources = planted({
      ...ENTITIES,
      'notifications/prefs.ts': [
        'async function mute(m, id) {',
        '  await m.getRepository(User).update({ id }, { mutedKinds: [] });',
        '  await m.update(User, { id }, { mutedKinds: [] });',
        '  await m.query(`UPDATE users SET muted_kinds = $1 WHERE id = $2`, [[], id]);',
        '  await m.query(\'DELETE FROM "users" WHERE id = ?\', [id]);',
        '  await m.createQueryBuilder().insert().into(User).values({}).execute();',
        '  await m.save(Notification, {});',
        '}',
      ].join('\n'),
    });
    expect(ownershipViolations(sources, [])).toEqual([
      "notifications/prefs.ts:2 m.getRepository(User).update() writes users, owned by users/: call the owner's method",
      "notifications/prefs.ts:3 m.update() writes users, owned by users/: call the owner's method",
      "notifications/prefs.ts:4 UPDATE users writes users, owned by users/: call the owner's method",
      "notifications/prefs.ts:5 DELETE FROM users writes users, owned by users/: call the owner's method",
      "notifications/prefs.ts:6 m.createQueryBuilder().insert().into() writes users, owned by users/: call the owner's method",
    ]);
  });

  it('attributes a write through a local repository or entity variable, and refuses one it cannot attribute', () => {
    const sources = planted({
      ...ENTITIES,
      'notifications/x.ts': [
        'async function a(m) {',
        '  const repo = m.getRepository(User);',
        '  await repo.insert({});',
        '  const u = await m.findOneBy(User, {});',
        '  await m.save(u);',
        '  await m.save(mystery);',
        '  stage.add(User, [], { column: "id", property: "id" });',
        '  await m.query(`INSERT INTO ${table} VALUES (1)`);',
        '  new Map().delete(1); createHash("sha1").update("x"); this.users.update(1);',
        '}',
      ].join('\n'),
    });
    expect(ownershipViolations(sources, [])).toEqual([
      "notifications/x.ts:3 repo.insert() writes users, owned by users/: call the owner's method",
      "notifications/x.ts:5 m.save() writes users, owned by users/: call the owner's method",
      'notifications/x.ts:6 m.save(): cannot tell which table this writes; name the entity',
      "notifications/x.ts:7 stage.add() writes users, owned by users/: call the owner's method",
      'notifications/x.ts:8 INSERT INTO ${…}: cannot tell which table this writes; name the entity',
    ]);
  });

  it('every entity is declared by the module of its folder (TypeOrmModule.forFeature), once, and registered for the DataSource', () => {
    const sources = readSources(SRC);
    const entityFolder = new Map<string, string>();
    for (const [file, text] of sources) if (file.endsWith('.entity.ts')) for (const m of text.matchAll(/@Entity\([^)]*\)[\s\S]*?export\s+class\s+(\w+)/g)) entityFolder.set(m[1], folderOf(file));
    const declared: Array<[string, string]> = [];
    for (const [file, text] of sources) {
      if (!file.endsWith('.module.ts')) continue;
      for (const m of text.matchAll(/TypeOrmModule\.forFeature\(\[([^\]]*)\]\)/g))
        for (const cls of m[1]
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean))
          declared.push([cls, folderOf(file)]);
    }
    expect(declared.filter(([cls, folder]) => entityFolder.get(cls) !== folder)).toEqual([]);
    expect(declared.map(([cls]) => cls).sort()).toEqual([...entityFolder.keys()].sort());
    const registry = sources.get('database/entities.ts')!;
    expect([...registry.matchAll(/^\s+(\w+),$/gm)].map((m) => m[1]).sort()).toEqual([...entityFolder.keys()].sort());
  });

  it('in src/, only the owning module writes its tables', () => {
    const sources = readSources(SRC);
    const { owner, tableOf } = tableOwners(sources);
    expect(owner.size).toBeGreaterThanOrEqual(17);
    // the scan sees the writes: every table is written somewhere in src/ (by its owner)
    const seen = new Set(writes(sources, tableOf, new Set(owner.keys())).map((w) => w.table));
    expect([...owner.keys()].filter((t) => !seen.has(t))).toEqual([]);
    expect(ownershipViolations(sources)).toEqual([]);
  });
});
