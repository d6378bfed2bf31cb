/**
 * `npm run bench [name ...]`: runs every bench/*.bench.ts (or the named ones) one after another,
 * each in its own process, and prints their reports. Benchmarks measure; tests never time anything.
 * BENCH_SCALE=<factor> multiplies each bench's dataset. `npm run bench -- --growth` runs the growth
 * bench alone (the same figures at 10k, 100k and 1M appearances, see growth.bench.ts); the plain run
 * leaves it out, as its largest size takes long.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const wanted = args.includes('--growth') ? ['growth'] : args;
const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => (wanted.length === 0 ? f !== 'growth.bench.ts' : wanted.some((w) => f.startsWith(w))))
  .sort();
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n=== ${f} ===\n`);
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, f)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
