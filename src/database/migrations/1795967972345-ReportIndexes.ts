import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the HR reports (bench/reports.bench.ts): incidents aimed at the organisation by time
 * (covering the monthly counts); the latest risk snapshot at or before an appearance's start found
 * by one backwards index step. (Incidents per appearance use ix_incidents_risk_attached, whose
 * prefix is appearance_id, target, kind.)
 */
export class ReportIndexes1795967972345 implements MigrationInterface {
  name = 'ReportIndexes1795967972345';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_incidents_target_occurred" ON "incidents" ("target", "occurred_at", "severity", "institution_id") `);
    await queryRunner.query(`CREATE INDEX "ix_risk_appearance_asof_seq" ON "risk_assessments" ("appearance_id", "as_of", "seq", "level", "p") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const pg = queryRunner.connection.options.type === 'postgres';
    for (const ix of ['ix_risk_appearance_asof_seq', 'ix_incidents_target_occurred']) {
      await queryRunner.query(pg ? `DROP INDEX "public"."${ix}"` : `DROP INDEX "${ix}"`);
    }
  }
}
