/**
 * Start-up smoke test of the built server under whatever Node runs this script (CI runs it under
 * each supported Node release): starts dist/src/main.js as `npm start` would, on a fresh SQLite
 * file, and checks that it serves: health, security headers, sign-in, a signed-in read, logout,
 * and the generated secret stored at mode 0600. `npm run smoke` builds first.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ADMIN = { email: 'smoke@forewarn.test', password: 'smoke-test-lantern-harbour-42' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`smoke: ${what}`);
  process.stdout.write(`  ok  ${what}\n`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-smoke-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const sqlitePath = join(dir, 'forewarn.sqlite');
  let output = '';
  const child = spawn(process.execPath, ['--max-old-space-size=192', join(__dirname, '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      SQLITE_PATH: sqlitePath,
      OUTBOX_DIR: join(dir, 'outbox'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
      DATABASE_URL: '',
      JWT_SECRET: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    process.stdout.write(`Smoke test on Node ${process.version}\n`);
    let health: Response | null = null;
    for (let i = 0; i < 120 && !health; i++) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      health = await fetch(`${base}/health`).catch(() => null);
      if (!health) await new Promise((r) => setTimeout(r, 250));
    }
    check(!!health && health.status === 200, 'starts and answers GET /health with 200');
    check(JSON.stringify(await health!.json()) === '{"status":"ok"}', '/health tells the public only its status');
    check(health!.headers.get('x-content-type-options') === 'nosniff', 'sends security headers');
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    check(login.status === 200, 'signs in the first admin from ADMIN_PASSWORD');
    const auth = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    check((await fetch(`${base}/institutions?pageSize=1`, { headers: auth })).status === 200, 'serves a signed-in read');
    check((await fetch(`${base}/auth/logout`, { method: 'POST', headers: auth })).status === 204, 'signs out');
    check((await fetch(`${base}/me`, { headers: auth })).status === 401, 'refuses the token after logout');
    check((statSync(`${sqlitePath}.secret`).mode & 0o777) === 0o600, 'keeps the generated secret beside the database, mode 0600');
  } catch (err) {
    process.stderr.write(`${output}\n`);
    throw err;
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
