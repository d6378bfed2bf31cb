import type { EntityManager } from 'typeorm';
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
