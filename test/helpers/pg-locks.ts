import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** A connection of its own to the test app's PostgreSQL database (not one of the app's pool, which the requests need). */
export async function rawClient(ds: DataSource): Promise<Client> {
  const o = ds.options as { url?: string; host?: string; port?: number; username?: string; password?: string; database?: string };
  const client = new Client({ connectionString: o.url, host: o.host, port: o.port, user: o.username, password: o.password, database: o.database });
  await client.connect();
  return client;
}

/**
 * Until one of the app's statements waits for a lock the raw transaction holds (polls pg_stat_activity);
 * what waits, or null if the request ended first. Inside a transaction PostgreSQL keeps the first
 * activity snapshot it read, so each poll clears it.
 */
export async function blockedStatement(client: Client, done: () => boolean): Promise<string | null> {
  while (!done()) {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query(
      `SELECT wait_event, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND wait_event IN ('transactionid', 'tuple')`,
    );
    if (rows.length) return rows.map((r) => `${r.wait_event}: ${r.query}`).join('\n');
    await new Promise((r) => setImmediate(r));
  }
  return null;
}
