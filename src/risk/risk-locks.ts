import type { LoggerService } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { isPostgres, placeholders } from './evidence';

const LOCK_CHUNK = 5000;

/** PostgreSQL advisory lock key of the daily risk refresh: one instance runs it at a time. */
export const REFRESH_LOCK_KEY = 0x466f7265; // 'Fore'

/**
 * PostgreSQL: locks the appearances' rows (sorted by byte order, so every batch takes them in the
 * same global order) before their previous snapshots are read. Concurrent re-assessments of the same
 * appearance then queue up and the second one sees the first one's snapshot: no duplicate seq and no
 * second "rise". SQLite serialises writers already, so it does nothing there.
 */
export async function lockAppearances(m: EntityManager, targets: { id: string }[]): Promise<void> {
  if (!isPostgres(m) || !targets.length) return;
  const ids = [...new Set(targets.map((t) => t.id))].sort();
  for (let i = 0; i < ids.length; i += LOCK_CHUNK) {
    const chunk = ids.slice(i, i + LOCK_CHUNK);
    await m.query(`SELECT id FROM appearances WHERE id IN (${placeholders(m, chunk.length).join(', ')}) ORDER BY id COLLATE "C" FOR UPDATE`, chunk);
  }
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

/**
 * Runs `work` unless another instance holds the same job: a PostgreSQL SESSION advisory lock taken
 * on a dedicated connection (so `work` may commit in several transactions on other connections),
 * released at the end, or by the server if the connection dies. When it is taken, resolves with
 * `{ assessed: 0, levelRises: 0, skipped: true }`. SQLite: one process owns the file; it just runs.
 */
export async function exclusively<T extends { assessed: number; levelRises: number }>(
  ds: DataSource,
  key: number,
  logger: LoggerService,
  work: () => Promise<T>,
): Promise<T | { assessed: 0; levelRises: 0; skipped: true }> {
  if (!isPostgres(ds.manager)) return work();
  const qr = ds.createQueryRunner();
  try {
    await qr.connect();
    const [row] = (await qr.query('SELECT pg_try_advisory_lock($1) AS ok', [key])) as Record<string, unknown>[];
    if (!truthy(row?.ok)) {
      logger.log(`job ${key} is running on another instance; skipped`);
      return { assessed: 0, levelRises: 0, skipped: true };
    }
    try {
      return await work();
    } finally {
      await qr.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await qr.release();
  }
}
