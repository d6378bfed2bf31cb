/** BENCH_SCALE=<factor> multiplies a bench's dataset (1, the default, is the size its header names). */
const raw = process.env.BENCH_SCALE ?? '1';
export const BENCH_SCALE = Number(raw);
if (!(BENCH_SCALE > 0)) throw new Error(`BENCH_SCALE must be a positive number (got ${JSON.stringify(raw)})`);

/** A row count of the default dataset, scaled (at least 1). */
export const scaled = (n: number): number => Math.max(1, Math.round(n * BENCH_SCALE));
