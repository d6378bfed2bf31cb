import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One risk snapshot per (appearance, seq > 0): two concurrent re-assessments could both store
 * "previous seq + 1". Rows from before seq existed keep seq 0 and are exempt (partial index). Any
 * duplicates already stored are renumbered first, per appearance, in their order (seq, created_at, id).
 */
export class RiskSeqUnique1795972202658 implements MigrationInterface {
  name = 'RiskSeqUnique1795972202658';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const pg = queryRunner.connection.options.type === 'postgres';
    const ph = (i: number) => (pg ? `$${i}` : '?');
    const dup: { appearance_id: string }[] = await queryRunner.query(
      `SELECT DISTINCT appearance_id FROM (SELECT appearance_id, seq FROM risk_assessments WHERE seq > 0 GROUP BY appearance_id, seq HAVING COUNT(*) > 1) d`,
    );
    for (let i = 0; i < dup.length; i += 200) {
      const ids = dup.slice(i, i + 200).map((r) => r.appearance_id);
      const rows: { id: string; appearance_id: string; seq: number | string }[] = await queryRunner.query(
        `SELECT id, appearance_id, seq FROM risk_assessments WHERE seq > 0 AND appearance_id IN (${ids.map((_, j) => ph(j + 1)).join(', ')}) ORDER BY appearance_id, seq, created_at, id`,
        ids,
      );
      const renumber: [string, number][] = [];
      let current = '';
      let n = 0;
      for (const r of rows) {
        if (r.appearance_id !== current) [current, n] = [r.appearance_id, 0];
        n++;
        if (Number(r.seq) !== n) renumber.push([r.id, n]);
      }
      for (let k = 0; k < renumber.length; k += 200) {
        const part = renumber.slice(k, k + 200);
        const cases = part.map((_, j) => `WHEN ${ph(2 * j + 1)} THEN CAST(${ph(2 * j + 2)} AS INTEGER)`).join(' ');
        const inList = part.map((_, j) => ph(2 * part.length + j + 1)).join(', ');
        await queryRunner.query(`UPDATE risk_assessments SET seq = CASE id ${cases} END WHERE id IN (${inList})`, [...part.flat(), ...part.map((p) => p[0])]);
      }
    }
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_risk_appearance_seq" ON "risk_assessments" ("appearance_id", "seq") WHERE seq > 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') await queryRunner.query(`DROP INDEX "public"."ux_risk_appearance_seq"`);
    else await queryRunner.query(`DROP INDEX "ux_risk_appearance_seq"`);
  }
}
