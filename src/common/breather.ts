/**
 * For CPU-heavy loops (an import's rows, the risk refresh's evidence): `await breathe()` between rows gives the event loop back (one
 * setImmediate) whenever `sliceMs` have passed since the last time, so other requests are served
 * while the loop runs instead of after it. A request's read takes several turns of the event
 * loop (BEGIN, each statement, COMMIT) and may wait out a slice at each while it holds one of the
 * two read-only connections, so the slice is short (2 ms, was 10): one setImmediate per 2 ms costs
 * the import little, and each read holds its connection for less time.
 */
export function breather(sliceMs = 2): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await new Promise<void>((r) => setImmediate(r));
    since = performance.now();
  };
}
