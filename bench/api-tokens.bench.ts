/**
 * What an API token costs per request beside a sign-in token (JWT): the same `GET /me`, 10
 * connections, interleaved rounds, medians. The token path reads the token row (hash lookup),
 * checks the scope, and counts the use with one upsert after the response; last_used_at is written
 * at most once a minute. The JWT path verifies the signature (cached) and reads the user row.
 *
 *   npm run bench api-tokens        (ROUNDS=3 SECONDS=5 to change the runs)
 * Forewarn runs in this process, autocannon in a child process (pinned to core 0 when taskset exists).
 */
import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'forewarn-bench-tokens-'));
const ADMIN_PASSWORD = 'bench-lantern-harbour-quartz';
Object.assign(process.env, {
  SQLITE_PATH: join(dir, 'bench.sqlite'),
  JWT_SECRET: randomBytes(48).toString('base64url'),
  ADMIN_PASSWORD,
  SCHEDULER_ENABLED: 'false',
  LOG_LEVEL: 'error',
  NODE_ENV: 'test',
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;

function load(url: string, authorization: string): Promise<{ rps: number; p99: number; non2xx: number }> {
  const args = [require.resolve('autocannon/autocannon.js', { paths: [ROOT] }), '-j', '-c', '10', '-d', String(SECONDS), '-H', `authorization=${authorization}`, url];
  const [cmd, argv] = hasTaskset ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
  return new Promise((done, fail) => {
    let out = '';
    const p = spawn(cmd, argv as string[], { stdio: ['ignore', 'pipe', 'ignore'] });
    p.stdout.on('data', (c) => (out += c));
    p.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out);
      done({ rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx });
    });
  });
}

async function main(): Promise<void> {
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../src/app.module');
  const { configureApp, createAdapter, prepareDatabase } = await import('../src/app.setup');
  const { DataSource } = await import('typeorm');
  const app = await NestFactory.create(AppModule, createAdapter(1 << 20), { logger: ['error'] });
  await configureApp(app as never);
  await prepareDatabase(app as never);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const post = async (path: string, body: object, auth?: string) =>
    (await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) })).json() as Promise<
      Record<string, any>
    >;
  const login = await post('/auth/login', { email: 'admin@forewarn.local', password: ADMIN_PASSWORD });
  const jwt = `Bearer ${login.accessToken}`;
  const token = `Bearer ${(await post('/me/tokens', { name: 'bench', scopes: ['profile:read'] }, jwt)).token}`;
  const results = { jwt: [] as number[], token: [] as number[], jwtP99: [] as number[], tokenP99: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 ? (['token', 'jwt'] as const) : (['jwt', 'token'] as const)) {
      const r = await load(`${base}/me`, kind === 'jwt' ? jwt : token);
      if (r.non2xx) throw new Error(`${kind}: ${r.non2xx} answers were not 2xx`);
      results[kind].push(r.rps);
      results[`${kind}P99`].push(r.p99);
    }
  }
  const db = app.get(DataSource);
  const [uses] = await db.query(`SELECT COUNT(*) AS rows_, SUM(hits) AS hits FROM api_token_uses`);
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (before: see the shell's uptime); ${ROUNDS} interleaved rounds of ${SECONDS} s, 10 connections${hasTaskset ? ', autocannon on core 0' : ''}`,
  );
  console.log(`GET /me with a sign-in token (JWT): ${median(results.jwt).toFixed(0)} req/s, p99 ${median(results.jwtP99)} ms`);
  console.log(`GET /me with an API token (fwp_):   ${median(results.token).toFixed(0)} req/s, p99 ${median(results.tokenP99)} ms`);
  console.log(`ratio API token / JWT: ${(median(results.token) / median(results.jwt)).toFixed(2)}`);
  console.log(`uses counted: ${uses.hits} requests in ${uses.rows_} rows (one per minute × route × result)`);
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
