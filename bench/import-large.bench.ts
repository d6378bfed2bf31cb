/**
 * Large-import benchmark: a 64 MiB College-Scorecard-style CSV (IMPORT_LIMIT_BYTES, just
 * under) through POST /institutions/import?atomic=false on SQLite (rows the privacy guard refuses
 * do not stop the commit being measured), with the server run as `npm start` runs it
 * (the built app, --max-old-space-size=FOREWARN_HEAP_MB, default 192) in its own process. While the
 * upload is imported, reads (GET /institutions?pageSize=1) go out open-loop at 20/s and writes
 * (POST /institutions) at 1/s; RSS is sampled every 100 ms. Then 200 incidents with 2 KB
 * descriptions (the privacy guard's name detector reads each). Targets: import succeeds, peak RSS
 * ≤ 300 MB, read p99 ≤ 100 ms, writers wait at most a few seconds.
 *
 *   npm run bench import            (also runs import.bench.ts; BENCH_IMPORT_MB to change the size)
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from './build-app';

const PASSWORD = 'bench-password-123';
const EMAIL = 'bench@forewarn.local';
const LIMIT = 64 * 1024 * 1024;
const TARGET_BYTES = Math.min(LIMIT, Number(process.env.BENCH_IMPORT_MB ?? 64) * 1024 * 1024) - 4096;
const STATES = ['OH', 'PA', 'NY', 'CA', 'TX', 'VT', 'MA', 'IL', 'MI', 'WA', 'OR', 'FL', 'GA', 'NC', 'VA'];
const WORDS = ['Northern', 'Technical', 'Community', 'State', 'Valley', 'Lakeside', 'Polytechnic', 'Metropolitan', 'Western', 'Coastal', 'Highland', 'Riverside'];

/** The row number in plain lowercase words: six-digit numbers read as student ids to the privacy guard, and short letter runs as names. */
const DIGITS = ['oak', 'elm', 'ash', 'bay', 'sun', 'sky', 'dew', 'fog', 'ice', 'sea'];
const tagOf = (n: number) =>
  String(n)
    .split('')
    .map((d) => DIGITS[Number(d)])
    .join(' ');

/** A Scorecard-shaped file of distinct institutions, about 100 bytes a row, just under the size. */
function writeCsv(file: string): number {
  const parts: string[] = ['name,city,state,ownership,highest_degree\n'];
  let bytes = parts[0].length;
  let n = 0;
  while (bytes < TARGET_BYTES - 200) {
    const w = (k: number) => WORDS[(n * 7 + k * 3) % WORDS.length];
    const tag = tagOf(n);
    const line = `${w(1)} ${w(2)} College of ${w(3)} Studies section ${tag},${w(4)}ville ${n % 997},${STATES[n % STATES.length]},public,associate\n`;
    parts.push(line);
    bytes += line.length;
    n++;
  }
  writeFileSync(file, parts.join(''));
  return n;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => res(port));
    });
  });
}

function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-import-large-'));
  let server: ChildProcess | null = null;
  try {
    const csv = join(dir, 'big.csv');
    const rows = writeCsv(csv);
    console.log(`file: ${(statSync(csv).size / 1024 / 1024).toFixed(1)} MiB, ${rows} rows (IMPORT_LIMIT_BYTES ${LIMIT})`);
    const main = buildApp(dir);
    const port = await freePort();
    const heap = process.env.FOREWARN_HEAP_MB ?? '192';
    const env = {
      ...process.env,
      SQLITE_PATH: join(dir, 'bench.sqlite'),
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_EMAIL: EMAIL,
      ADMIN_PASSWORD: PASSWORD,
      JWT_SECRET: randomBytes(24).toString('hex'),
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
      NODE_ENV: 'development',
      IMPORT_SPOOL_DIR: dir,
      IMPORT_REPORT_DIR: join(dir, 'reports'),
    };
    delete (env as Record<string, unknown>).DATABASE_URL;
    let t0 = performance.now();
    const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean); // e.g. --trace-gc
    server = spawn(process.execPath, [`--max-old-space-size=${heap}`, ...extra, main], { env: { ...env, LOG_LEVEL: 'log' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const serverLog: string[] = [];
    const gcLog: string[] = [];
    server.stdout!.setEncoding('utf8').on('data', (c: string) => {
      for (const l of c.split('\n')) {
        if (l.includes('import:')) serverLog.push(l);
        else if (l.includes('Mark-Compact')) gcLog.push(`${((performance.now() - t0) / 1000).toFixed(0)}s ${l.replace(/^\[[^\]]*\]\s*/, '').slice(0, 90)}`);
      }
    });
    const base = `http://127.0.0.1:${port}`;
    for (const until = Date.now() + 60_000; ;) {
      if (server.exitCode !== null) throw new Error('the server exited before answering');
      if (
        await fetch(`${base}/health`).then(
          (r) => r.status === 200,
          () => false,
        )
      )
        break;
      if (Date.now() > until) throw new Error('the server did not answer');
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const auth = { authorization: `Bearer ${token}` };
    const pid = server.pid!;
    const startRss = procKb(pid, 'VmRSS') / 1024;

    let rssMax = 0;
    t0 = performance.now();
    const bucket = () => {
      const k = Math.floor((performance.now() - t0) / 10_000);
      if (!timeline.has(k)) timeline.set(k, { n: 0, max: 0, rss: 0 });
      return timeline.get(k)!;
    };
    const sampler = setInterval(() => {
      const rss = procKb(pid, 'VmRSS') / 1024;
      rssMax = Math.max(rssMax, rss);
      const b = bucket();
      b.rss = Math.max(b.rss, rss);
    }, 100);
    const reads: number[] = [];
    const timeline = new Map<number, { n: number; max: number; rss: number }>(); // per 10 s of the import: reads and their slowest, RSS
    const writes: number[] = [];
    const failures: string[] = [];
    let importing = true;
    const inflight = new Set<Promise<void>>();
    const track = (p: Promise<void>) => {
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    };
    const reader = setInterval(() => {
      if (!importing) return;
      const started = performance.now();
      const b = bucket();
      track(
        fetch(`${base}/institutions?pageSize=1`, { headers: auth }).then(
          async (r) => {
            await r.arrayBuffer();
            if (r.status !== 200) failures.push(`read ${r.status}`);
            const took = performance.now() - started;
            reads.push(took);
            b.n++;
            b.max = Math.max(b.max, took);
          },
          (e) => void failures.push(`read ${e}`),
        ),
      );
    }, 50);
    let w = 0;
    const writer = setInterval(() => {
      if (!importing) return;
      const started = performance.now();
      const body = JSON.stringify({ name: `Written During Import ${w++}`, kind: 'college', city: 'Burlington', state: 'VT', timeZone: 'America/New_York' });
      track(
        fetch(`${base}/institutions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body }).then(
          async (r) => {
            await r.arrayBuffer();
            if (r.status !== 201) failures.push(`write ${r.status}`);
            writes.push(performance.now() - started);
          },
          (e) => void failures.push(`write ${e}`),
        ),
      );
    }, 1000);

    // node:http, not fetch: fetch gives up on an answer after 300 s (undici's headers timeout).
    const res = await new Promise<{ status: number; text: string }>((resolve) => {
      const req = request(`${base}/institutions/import?atomic=false`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' } }, (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (body += c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, text: body }));
      });
      req.on('error', (e) => resolve({ status: 0, text: String(e) }));
      createReadStream(csv).pipe(req);
    });
    const text = res.text;
    const took = performance.now() - t0;
    importing = false;
    clearInterval(reader);
    clearInterval(writer);
    await Promise.all(inflight);
    clearInterval(sampler);
    const hwm = procKb(pid, 'VmHWM') / 1024;
    const alive = server.exitCode === null;
    let summary = text.slice(0, 200);
    try {
      const b = JSON.parse(text) as Record<string, unknown>;
      summary =
        res.status === 200
          ? `rows ${b.rows} created ${b.created} matched ${b.matched} refused ${b.refused}, ${text.length} bytes of answer, items ${(b.items as unknown[] | undefined)?.length}, report ${b.reportUrl}`
          : `${b.code}: ${String(b.message).slice(0, 200)} ${JSON.stringify(b.fields ?? {}).slice(0, 300)}`;
    } catch {
      /* not JSON */
    }
    console.log(
      `POST /institutions/import (64 MiB): HTTP ${res.status} in ${(took / 1000).toFixed(1)} s (${((rows / took) * 1000).toFixed(0)} rows/s); ${summary}; server ${alive ? 'alive' : `DIED (${server.exitCode ?? server.signalCode})`}`,
    );
    console.log(`RSS: start ${startRss.toFixed(0)} MB, peak sampled ${rssMax.toFixed(0)} MB, VmHWM ${hwm.toFixed(0)} MB (target ≤ 300 MB, heap cap ${heap} MB)`);
    console.log(
      `reads during the import (GET /institutions?pageSize=1, 20/s open loop): n=${reads.length} p50 ${ms(pct(reads, 50))} p99 ${ms(pct(reads, 99))} max ${ms(pct(reads, 100))} (target p99 ≤ 100 ms)`,
    );
    if (gcLog.length) console.log(`full GCs during the run: ${gcLog.length}; every tenth: \n  ${gcLog.filter((_, i) => i % 10 === 0).join('\n  ')}`);
    for (const l of serverLog) console.log(`server: ${(/"msg":"([^"]+)"|"message":"([^"]+)"/.exec(l) ?? [])[1] ?? l.slice(0, 200)}`);
    console.log(`timeline (10 s buckets: reads started, slowest, peak RSS): ${[...timeline.entries()].map(([k, v]) => `${k * 10}s ${v.n}/${ms(v.max)}/${v.rss.toFixed(0)}MB`).join('  ')}`);
    console.log(
      `writes during the import (POST /institutions, 1/s): n=${writes.length} p50 ${ms(pct(writes, 50))} max ${ms(pct(writes, 100))}${failures.length ? `; failures: ${failures.slice(0, 5).join(', ')} (${failures.length})` : ''}`,
    );

    if (alive && res.status === 200) {
      const lines = ['date,institution,city,state,kind,severity,target,source,description'];
      const prose =
        'Students gathered by the table in the main hall and read statements about recruiting on campus; the organisers asked the table to move to the side entrance and the session continued after a short delay. ';
      for (let i = 0; i < 200; i++) {
        let d = '';
        while (d.length < 2000) d += prose;
        const tag = tagOf(i);
        lines.push(
          `2025-10-${String((i % 28) + 1).padStart(2, '0')},${WORDS[(i * 7 + 3) % WORDS.length]} ${WORDS[(i * 7 + 6) % WORDS.length]} College of ${WORDS[(i * 7 + 9) % WORDS.length]} Studies section ${tag},${WORDS[(i * 7 + 12) % WORDS.length]}ville ${i % 997},${STATES[i % STATES.length]},protest,2,organisation,news,"${d.slice(0, 2000)}"`,
        );
      }
      const t1 = performance.now();
      const r2 = await fetch(`${base}/incidents/import`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: lines.join('\n') });
      const b2 = (await r2.json()) as Record<string, unknown>;
      console.log(
        `POST /incidents/import, 200 rows with 2 KB descriptions: HTTP ${r2.status} in ${((performance.now() - t1) / 1000).toFixed(2)} s (created ${b2.created}, refused ${b2.refused}${b2.refused ? `: ${JSON.stringify(b2.fields ?? b2.items).slice(0, 200)}` : ''})`,
      );
    }
  } finally {
    if (server && server.exitCode === null) {
      const done = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await done;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
