import { randomUUID } from 'node:crypto';
import { CreatedRows } from './created-rows';

describe('CreatedRows', () => {
  it('finds each remembered key (and only those) with its row and id, through many growths', () => {
    const c = new CreatedRows();
    const ids: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      ids.push(randomUUID());
      c.remember(i % 3 === 0 ? [`key ${i}`, `ext:${i}`] : [`key ${i}`], i + 2, ids[i]);
    }
    for (const i of [0, 1, 2, 3, 999, 4096, 49_999]) {
      expect(c.find(`key ${i}`)).toEqual({ row: i + 2, id: ids[i] });
      expect(c.find(`ext:${i}`)).toEqual(i % 3 === 0 ? { row: i + 2, id: ids[i] } : undefined);
    }
    expect(c.find('key 50000')).toBeUndefined();
    expect(c.find('')).toBeUndefined();
    const chunks = [...c.idChunks(20_000)];
    expect(chunks.map((x) => x.length)).toEqual([20_000, 20_000, 10_000]);
    expect(chunks.flat()).toEqual(ids);
  });

  it('a key remembered again points at the later row', () => {
    const c = new CreatedRows();
    const [a, b] = [randomUUID(), randomUUID()];
    c.remember(['k'], 2, a);
    c.remember(['k'], 9, b);
    expect(c.find('k')).toEqual({ row: 9, id: b });
  });
});
