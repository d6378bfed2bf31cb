import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../../src/config/database.config';
import { copySqliteTemplate, postgresTemplate } from './template-database';

/** Which database this jest project runs on (set by env-sqlite.ts / env-postgres.ts). */
export function testDbKind(): 'sqlite' | 'postgres' {
  return process.env.FW_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test app: a new SQLite file in a temp folder, or a new PostgreSQL
 * database created from TEST_DATABASE_URL (dropped afterwards). Tests never share data. It starts
 * as a copy of the migrated template (see template-database.ts), so the app finds no migration to
 * run; `empty: true` gives a database with no tables, for the specs that run the migrations.
 * A `sqlitePath` that exists is reused as it is (restart tests).
 */
export async function createTestDatabase(opts: { sqlitePath?: string; empty?: boolean } = {}): Promise<TestDatabase> {
  if (testDbKind() === 'postgres') {
    const admin = process.env.TEST_DATABASE_URL;
    if (!admin) throw new Error('TEST_DATABASE_URL is not set');
    const name = `fw_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const template = opts.empty ? null : await postgresTemplate(admin);
    const c = new Client({ connectionString: admin });
    await c.connect();
    await c.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
    await c.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return {
      config: { type: 'postgres', url: url.toString(), sqlitePath: '', poolSize: 10, logging: false },
      drop: async () => {
        const d = new Client({ connectionString: admin });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await d.end();
      },
    };
  }
  if (opts.sqlitePath) {
    if (!opts.empty && !existsSync(opts.sqlitePath)) await copySqliteTemplate(opts.sqlitePath);
    return { config: { type: 'sqlite', sqlitePath: opts.sqlitePath, poolSize: 1, logging: false }, drop: async () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-test-'));
  const sqlitePath = join(dir, 'test.sqlite');
  if (!opts.empty) await copySqliteTemplate(sqlitePath);
  return {
    config: { type: 'sqlite', sqlitePath, poolSize: 1, logging: false },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
