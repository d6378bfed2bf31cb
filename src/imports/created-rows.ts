import { createHash } from 'node:crypto';

/**
 * The rows an import is about to create, by key (dedupe key, external id, import key) → the file's
 * row number and the new id, compactly: a 96-bit hash of the key in a Map, the row numbers and the
 * ids (16 bytes each) in growing typed arrays outside the JS heap — about 70 bytes a row where a
 * Map of keys to objects took ≈ 220 (680,000 rows of a 64 MiB file had filled the heap). Rows are
 * staged, not yet in the table, so later rows of the same file find their earlier twin here.
 */
export class CreatedRows {
  private readonly index = new Map<string, number>();
  private rows = new Int32Array(1024);
  private ids = Buffer.alloc(1024 * 16);
  private n = 0;

  private static hash(key: string): string {
    return createHash('sha1').update(key).digest('base64').slice(0, 16);
  }

  remember(keys: string[], row: number, id: string): void {
    if (this.n === this.rows.length) {
      const rows = new Int32Array(this.rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
      const ids = Buffer.alloc(this.ids.length * 2);
      this.ids.copy(ids);
      this.ids = ids;
    }
    this.rows[this.n] = row;
    this.ids.write(id.replace(/-/g, ''), this.n * 16, 16, 'hex');
    for (const k of keys) this.index.set(CreatedRows.hash(k), this.n);
    this.n++;
  }

  find(key: string): { row: number; id: string } | undefined {
    const i = this.index.get(CreatedRows.hash(key));
    if (i === undefined) return undefined;
    const hex = this.ids.toString('hex', i * 16, i * 16 + 16);
    return { row: this.rows[i], id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
  }
}
