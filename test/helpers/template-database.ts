import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/database.config';
import { buildDataSourceOptions } from '../../src/database/typeorm-options';

/**
 * A database with every migration applied, made once and copied for each test app: a SQLite file
 * copied per app, a PostgreSQL database used as `CREATE DATABASE … TEMPLATE`. Its name carries a
 * hash of the migration files, so a changed or added migration makes a new one. The migrations
 * themselves are still run from empty by the schema spec (and by the first run after a change).
 */
const MIGRATIONS_DIR = join(__dirname, '../../src/database/migrations');

export function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).sort()) {
    h.update(f)
      .update('\0')
      .update(readFileSync(join(MIGRATIONS_DIR, f)))
      .update('\0');
  }
  return h.digest('hex').slice(0, 12);
}

async function migrate(config: DatabaseConfig): Promise<void> {
  const ds = new DataSource(buildDataSourceOptions(config));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    // Everything into the main file, so that copying that one file copies the database.
    if (config.type === 'sqlite') await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await ds.destroy();
  }
}

/** The migrated SQLite file (made when missing: migrated under a draft name, then renamed into place). */
export async function sqliteTemplate(): Promise<string> {
  return (sqliteMade ??= makeSqliteTemplate());
}
let sqliteMade: Promise<string> | undefined;

async function makeSqliteTemplate(): Promise<string> {
  const file = join(tmpdir(), `forewarn-template-${migrationsHash()}.sqlite`);
  if (existsSync(file)) return file;
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-template-'));
  try {
    const draft = join(dir, 'template.sqlite');
    await migrate({ type: 'sqlite', sqlitePath: draft, poolSize: 1, logging: false });
    renameSync(draft, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return file;
}

/** A new SQLite database at `path`: a copy of the migrated template. */
export async function copySqliteTemplate(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(await sqliteTemplate(), path);
}

async function withAdmin<T>(adminUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * The name of the migrated PostgreSQL template database (made when missing: migrated under a draft
 * name, then renamed, so a half-made template is never used; two runs racing both succeed).
 */
export async function postgresTemplate(adminUrl: string): Promise<string> {
  return (postgresMade[adminUrl] ??= makePostgresTemplate(adminUrl));
}
const postgresMade: Record<string, Promise<string>> = {};

async function makePostgresTemplate(adminUrl: string): Promise<string> {
  const name = `fw_template_${migrationsHash()}`;
  const exists = () => withAdmin(adminUrl, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
  if (await exists()) return name;
  const draft = `fw_template_draft_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${draft}`));
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${draft}`;
    await migrate({ type: 'postgres', url: url.toString(), sqlitePath: '', poolSize: 2, logging: false });
    await withAdmin(adminUrl, (c) => c.query(`ALTER DATABASE ${draft} RENAME TO ${name}`));
  } catch (err) {
    if (!(await exists())) throw err;
  } finally {
    await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${draft} WITH (FORCE)`));
  }
  return name;
}
