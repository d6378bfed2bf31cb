import { createHash } from 'node:crypto';

/**
 * The rows an import is about to create, by key (dedupe key, external id, import key) → the file's
 * row number and the new id, in typed arrays outside the JS heap: an open-addressing table of 96-bit
 * key hashes, the row numbers and the ids (16 bytes each) — about 50 bytes a row, where a Map of keys
 * to objects took ≈ 220 on the heap (680,000 rows of a 64 MiB file had filled it). Rows are staged,
 * not yet in the table, so later rows of the same file find their earlier twin here. Two keys would
 * have to share 96 bits of SHA-1 to be confused.
 */
export class CreatedRows {
  /** slot → three 32-bit words of the key's hash, and the entry (index + 1; 0 = empty). */
  private hashes = new Uint32Array(3 * 1024);
  private slots = new Int32Array(1024);
  private rows = new Int32Array(512);
  private ids = Buffer.alloc(512 * 16);
  private n = 0;
  private used = 0;

  private static hash(key: string): Uint32Array {
    const d = createHash('sha1').update(key).digest();
    return new Uint32Array([d.readUInt32LE(0), d.readUInt32LE(4), d.readUInt32LE(8)]);
  }

  private slotOf(h: Uint32Array): number {
    const mask = this.slots.length - 1;
    for (let s = h[0] & mask; ; s = (s + 1) & mask) {
      if (this.slots[s] === 0) return s;
      const o = 3 * s;
      if (this.hashes[o] === h[0] && this.hashes[o + 1] === h[1] && this.hashes[o + 2] === h[2]) return s;
    }
  }

  private grow(): void {
    const old = { hashes: this.hashes, slots: this.slots };
    this.hashes = new Uint32Array(old.hashes.length * 2);
    this.slots = new Int32Array(old.slots.length * 2);
    for (let s = 0; s < old.slots.length; s++) {
      if (old.slots[s] === 0) continue;
      const h = old.hashes.subarray(3 * s, 3 * s + 3);
      const t = this.slotOf(h);
      this.hashes.set(h, 3 * t);
      this.slots[t] = old.slots[s];
    }
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
    for (const k of keys) {
      if (10 * (this.used + 1) > 7 * this.slots.length) this.grow(); // load factor ≤ 0.7
      const h = CreatedRows.hash(k);
      const s = this.slotOf(h);
      if (this.slots[s] === 0) this.used++;
      this.hashes.set(h, 3 * s);
      this.slots[s] = this.n + 1;
    }
    this.n++;
  }

  find(key: string): { row: number; id: string } | undefined {
    const i = this.slots[this.slotOf(CreatedRows.hash(key))] - 1;
    if (i < 0) return undefined;
    return { row: this.rows[i], id: this.idAt(i) };
  }

  /** The remembered ids in the order they were remembered, `size` at a time. */
  *idChunks(size: number): Generator<string[]> {
    for (let i = 0; i < this.n; i += size) yield Array.from({ length: Math.min(size, this.n - i) }, (_, k) => this.idAt(i + k));
  }

  private idAt(i: number): string {
    const hex = this.ids.toString('hex', i * 16, i * 16 + 16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
