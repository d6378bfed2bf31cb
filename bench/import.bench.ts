/**
 * CSV import benchmark: the whole College Scorecard list (6,429 rows) through
 * POST /institutions/import on SQLite — the real app, the real HTTP endpoint, the file streamed as
 * the request body — then the re-import (creates nothing), then the campus-protest file (1,479 rows)
 * through POST /incidents/import. Target: the Scorecard import under 5 s.
 *
 *   npm run bench import
 */
import 'reflect-metadata';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dir = mkdtempSync(join(tmpdir(), 'forewarn-import-bench-'));
process.env.SQLITE_PATH = join(dir, 'bench.sqlite');
process.env.ADMIN_EMAIL = 'bench@forewarn.local';
process.env.ADMIN_PASSWORD = 'bench-import-harbour-lantern';
process.env.SCHEDULER_ENABLED = 'false';
process.env.LOG_LEVEL = 'warn';
delete process.env.DATABASE_URL;

const SCORECARD = join(__dirname, '..', 'test', 'fixtures', 'us-institutions.csv');
const PROTESTS = join(__dirname, '..', 'test', 'fixtures', 'campus-protests-fall-2024.csv');

async function main(): Promise<void> {
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../src/app.module');
  const { configureApp, createAdapter, prepareDatabase } = await import('../src/app.setup');
  const app = await NestFactory.create(AppModule as never, createAdapter(64 * 1024 * 1024) as never, { logger: ['error', 'warn'] });
  await configureApp(app as never);
  await prepareDatabase(app as never);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const upload = async (path: string, file: string) => {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body: createReadStream(file) as unknown as RequestInit['body'],
        duplex: 'half',
      } as RequestInit);
      const body = (await res.json()) as Record<string, unknown>;
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { ms, body };
    };
    const line = (label: string, r: { ms: number; body: Record<string, unknown> }, extra = '') =>
      console.log(`${label.padEnd(44)} ${(r.ms / 1000).toFixed(2).padStart(6)} s   rows ${r.body.rows}  created ${r.body.created}  matched ${r.body.matched}  refused ${r.body.refused}${extra}`);
    console.log(`Scorecard file: ${(statSync(SCORECARD).size / 1024).toFixed(0)} KiB; SQLite at ${process.env.SQLITE_PATH}`);
    const first = await upload('/institutions/import', SCORECARD);
    line('POST /institutions/import (6,429 rows)', first, first.ms < 5000 ? '   [target < 5 s: met]' : '   [target < 5 s: MISSED]');
    line('  re-import (creates nothing)', await upload('/institutions/import', SCORECARD));
    line('  dry run', await upload('/institutions/import?dryRun=true', SCORECARD));
    const protests = await upload('/incidents/import?atomic=false', PROTESTS);
    line('POST /incidents/import campus protests', protests, `  institutions matched ${protests.body.institutionsMatched}`);
    line('  re-import (creates nothing)', await upload('/incidents/import?atomic=false', PROTESTS));
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
