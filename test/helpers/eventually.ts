/** Polls until fn gives something truthy (e.g. token uses, counted after the response is sent); fails after 200 turns of the event loop. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition never became true');
}
