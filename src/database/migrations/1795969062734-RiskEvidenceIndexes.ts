import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Covering indexes for the risk engine's set-based evidence (src/risk/evidence.ts): the whole
 * organisation or one state is aggregated from index entries alone, never from table rows.
 */
export class RiskEvidenceIndexes1795969062734 implements MigrationInterface {
  name = 'RiskEvidenceIndexes1795969062734';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_incidents_risk_evidence" ON "incidents" ("state", "institution_id", "occurred_at", "recorded_at", "target", "kind", "severity", "verification", "appearance_id") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_incidents_risk_attached" ON "incidents" ("appearance_id", "target", "kind", "recorded_at", "occurred_at", "verification", "state") `);
    await queryRunner.query(`CREATE INDEX "ix_appearances_risk_history" ON "appearances" ("institution_id", "starts_at", "created_at", "status") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const schema = queryRunner.connection.options.type === 'postgres' ? '"public".' : '';
    await queryRunner.query(`DROP INDEX ${schema}"ix_appearances_risk_history"`);
    await queryRunner.query(`DROP INDEX ${schema}"ix_incidents_risk_attached"`);
    await queryRunner.query(`DROP INDEX ${schema}"ix_incidents_risk_evidence"`);
  }
}
