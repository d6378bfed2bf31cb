import { DataSource } from 'typeorm';
import { STANCES } from '../common/enums';
import { num, plainText, query, sql } from '../database/sql';
import { entryInForce, NEUTRAL_RANK, stanceRank } from './reception-sql';

describe('reception predicates in SQL', () => {
  it('ranks stances in the order of the enum, the same text on both dialects (what the reports ran before)', () => {
    expect(plainText(stanceRank(sql`e.stance`))).toBe("CASE e.stance WHEN 'welcoming' THEN 0 WHEN 'neutral' THEN 1 WHEN 'cautious' THEN 2 WHEN 'restricted' THEN 3 WHEN 'hostile' THEN 4 ELSE 1 END");
    expect(NEUTRAL_RANK).toBe(STANCES.indexOf('neutral'));
  });

  it('an entry is in force while no entry supersedes it; refuses an alias that would clash', () => {
    expect(plainText(entryInForce('r'))).toBe('NOT EXISTS (SELECT 1 FROM reception_entries s WHERE s.supersedes_id = r.id)');
    expect(() => entryInForce('s')).toThrow(/alias/);
    expect(() => entryInForce('e.id; --')).toThrow(/alias/);
  });

  describe('on SQLite', () => {
    let ds: DataSource;
    beforeAll(async () => {
      ds = await new DataSource({ type: 'sqlite', database: ':memory:' }).initialize();
      await ds.query('CREATE TABLE reception_entries (id varchar PRIMARY KEY, stance varchar, supersedes_id varchar)');
      await ds.query(`INSERT INTO reception_entries VALUES ('a', 'hostile', NULL), ('b', 'cautious', 'a'), ('c', 'welcoming', NULL), ('d', 'unheard-of', NULL)`);
    });
    afterAll(() => ds?.destroy());

    it('evaluates the rank of every stance (unknown → neutral) and keeps only entries in force', async () => {
      const rows = await query<{ id: string; rnk: unknown }>(ds.manager, sql`SELECT e.id, ${stanceRank(sql`e.stance`)} AS rnk FROM reception_entries e WHERE ${entryInForce('e')} ORDER BY e.id`);
      expect(rows.map((r) => [r.id, num(r.rnk)])).toEqual([
        ['b', STANCES.indexOf('cautious')],
        ['c', STANCES.indexOf('welcoming')],
        ['d', NEUTRAL_RANK],
      ]);
      for (const s of STANCES) {
        const [r] = await query<{ rnk: unknown }>(ds.manager, sql`SELECT ${stanceRank(sql`${s}`)} AS rnk`);
        expect(num(r.rnk)).toBe(STANCES.indexOf(s));
      }
    });
  });
});
