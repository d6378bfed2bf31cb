/**
 * Webhook dispatch benchmark (issue 11): N due webhook deliveries in the outbox (SQLite), delivered
 * by the webhook dispatcher — leased claim, decrypt the endpoint's secret, sign (Standard Webhooks),
 * POST over keep-alive with the DNS-checked agent, record code/latency/excerpt — to a loopback
 * receiver in its own process, side by side in the same run with a bare `fetch` loop posting the
 * same bodies with the same concurrency (no outbox, no signing, no records). Rounds interleave;
 * medians are reported. Also the signing cost per delivery (one secret, and two during a rotation).
 * Targets: ≥ 500 deliveries/s and ≥ 0.6 of bare fetch.
 *
 *   npm run bench webhooks          (BENCH_N, BENCH_ROUNDS, WEBHOOK_CONCURRENCY to change)
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';

async function startSink() {
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'http-sink.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value);
  const port = Number((await next()).split(' ')[1]);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    report: async (): Promise<{ total: number; unique: number }> => {
      proc.stdin!.write('report\n');
      return JSON.parse(await next());
    },
    close: () => proc.stdin!.write('exit\n'),
  };
}

const N = Number(process.env.BENCH_N ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-webhooks-bench-'));
  const sink = await startSink();
  Object.assign(process.env, { SQLITE_PATH: join(dir, 'bench.sqlite'), SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'error', PUBLIC_URL: 'http://forewarn.bench', NODE_ENV: 'development' });
  const { AppModule } = await import('../src/app.module');
  const { WebhookDispatcher } = await import('../src/webhooks/webhook-dispatcher.service');
  const { WebhooksService } = await import('../src/webhooks/webhooks.service');
  const { OutboxWriter } = await import('../src/notifications/outbox-writer');
  const { signatureHeaders } = await import('../src/webhooks/delivery-sender');
  const { newSigningSecret } = await import('../src/webhooks/delivery-targets');
  const { Clock } = await import('../src/common/clock');
  const { webhooksConfig } = await import('../src/config');

  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  const db = app.get(DataSource);
  await db.runMigrations({ transaction: 'each' });
  const concurrency = app.get<{ concurrency: number }>(webhooksConfig.KEY).concurrency;
  const ep = await app.get(WebhooksService).create({ url: sink.url, eventTypes: ['appearance.created'] }, { id: randomUUID(), email: 'bench@forewarn', role: 'admin', officeId: null } as never);
  const data = {
    appearanceId: randomUUID(),
    officeId: randomUUID(),
    institutionId: randomUUID(),
    kind: 'career_fair',
    title: 'Spring career fair',
    startsAt: '2026-04-01T14:00:00.000Z',
    endsAt: '2026-04-01T18:00:00.000Z',
    timeZone: 'America/New_York',
    format: 'in_person',
    status: 'planned',
    sequence: 0,
  };
  const body = (i: number) => ({ type: 'appearance.created', timestamp: new Date().toISOString(), data: { ...data, appearanceId: `${i}` } });
  const clock = app.get(Clock);

  async function dispatchRound(r: number): Promise<number> {
    const now = clock.now();
    await db.transaction((m) =>
      app.get(OutboxWriter).enqueueDeliveries(
        m,
        Array.from({ length: N }, (_, i) => ({ key: `bench:${r}:${i}`, channel: 'webhook' as const, targetId: ep.id, eventType: 'appearance.created', payload: body(i) })),
        now,
      ),
    );
    const t0 = performance.now();
    const rep = await app.get(WebhookDispatcher).dispatchDue(clock.now());
    const s = (performance.now() - t0) / 1000;
    const got = await sink.report();
    if (rep.delivered !== N || got.unique !== N) throw new Error(`round ${r}: delivered ${rep.delivered}, sink saw ${got.unique} distinct of ${got.total}`);
    return N / s;
  }

  async function fetchRound(): Promise<number> {
    const bodies = Array.from({ length: N }, (_, i) => JSON.stringify(body(i)));
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < N) {
          const i = next++;
          const res = await fetch(sink.url, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': `f${i}` }, body: bodies[i], redirect: 'manual' });
          await res.text();
        }
      }),
    );
    const s = (performance.now() - t0) / 1000;
    const got = await sink.report();
    if (got.unique !== N) throw new Error(`fetch round: sink saw ${got.unique}`);
    return N / s;
  }

  await fetchRound(); // warm-up both paths
  await dispatchRound(0);
  const hooks: number[] = [];
  const bare: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    bare.push(await fetchRound());
    hooks.push(await dispatchRound(r));
  }

  // signing cost per delivery
  const { Webhook } = await import('standardwebhooks');
  const secrets = [new Webhook(newSigningSecret()), new Webhook(newSigningSecret())];
  const sample = JSON.stringify(body(1));
  const SIGN_N = 20_000;
  const sign = (k: number) => {
    const t0 = performance.now();
    for (let i = 0; i < SIGN_N; i++) signatureHeaders(`msg_${i}`, Date.now(), sample, secrets.slice(0, k));
    return ((performance.now() - t0) * 1000) / SIGN_N;
  };
  sign(1);
  const one = sign(1);
  const two = sign(2);

  const h = median(hooks);
  const b = median(bare);
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  process.stdout.write(
    [
      `webhook dispatch, ${N} deliveries × ${ROUNDS} rounds (interleaved), concurrency ${concurrency}, SQLite, loopback receiver in its own process, ${cpus().length} cores, load ${load}`,
      `  outbox dispatcher (claim, sign, POST, record): median ${h.toFixed(0)} deliveries/s  [${hooks.map((x) => x.toFixed(0)).join(', ')}]`,
      `  bare fetch loop, same concurrency:              median ${b.toFixed(0)} requests/s    [${bare.map((x) => x.toFixed(0)).join(', ')}]`,
      `  ratio ${(h / b).toFixed(2)} of bare fetch (target ≥ 0.6); target ≥ 500/s: ${h >= 500 ? 'met' : 'NOT met'}`,
      `  signing per delivery (standardwebhooks, ${sample.length}-byte body): ${one.toFixed(1)} µs with one secret, ${two.toFixed(1)} µs with two (rotation overlap)`,
      '',
    ].join('\n'),
  );
  await app.close();
  sink.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
