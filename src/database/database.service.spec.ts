import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseService } from './database.service';

/** A stand-in connection: runs a transaction's function at once and counts how often it is closed. */
function connection(type: 'sqlite' | 'postgres' = 'sqlite') {
  const c = {
    options: { type },
    transactions: 0,
    destroyed: 0,
    transaction: async <T>(fn: (m: EntityManager) => Promise<T>) => {
      c.transactions++;
      return fn({} as EntityManager);
    },
    destroy: async () => void c.destroyed++,
  };
  return c;
}

describe('DatabaseService: the read-only connections at shut-down', () => {
  it('waits for a read in flight, closes each connection once, and later reads use the writer', async () => {
    const writer = connection();
    const a = connection();
    const b = connection();
    const db = new DatabaseService(writer as unknown as DataSource, [a, b] as unknown as DataSource[]);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const long = db.read(() => held); // holds one connection
    const closing = db.onApplicationShutdown();
    await new Promise((r) => setImmediate(r));
    expect(a.destroyed + b.destroyed).toBe(0); // the read in flight is not cut off
    release();
    await long;
    await closing;
    expect([a.destroyed, b.destroyed]).toEqual([1, 1]);
    await db.read(async () => undefined);
    expect(writer.transactions).toBe(1);
    expect(a.transactions + b.transactions).toBe(1);
  });
});
