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

  it('tells apart two keys whose hashes share the slot and the third word (a 42-bit partial collision, found offline)', () => {
    // sha1('row-571975') and sha1('row-1172212'): first words equal in their low 10 bits (slot 176 of
    // 1,024), third words equal (2334723438), second words differ — only the whole 96 bits tell them apart
    const c = new CreatedRows();
    const id = randomUUID();
    c.remember(['row-571975'], 2, id);
    expect(c.find('row-1172212')).toBeUndefined();
    expect(c.find('row-571975')).toEqual({ row: 2, id });
    c.remember(['row-1172212'], 3, randomUUID());
    expect(c.find('row-571975')).toEqual({ row: 2, id });
  });

  it('hands out the ids in chunks with no empty chunk at the end, and none when nothing was remembered', () => {
    expect([...new CreatedRows().idChunks(2)]).toEqual([]);
    const c = new CreatedRows();
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    ids.forEach((id, i) => c.remember([`k${i}`], i + 2, id));
    expect([...c.idChunks(2)]).toEqual([ids.slice(0, 2), ids.slice(2)]);
    expect([...c.idChunks(3)]).toEqual([ids.slice(0, 3), ids.slice(3)]);
  });
});
