import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * HR reports (src/reports) over a window of appearances read, per appearance, the appearance's
 * window/status/grouping columns and its debrief: both lookups become index-only (no table row
 * fetch), which halves the outcomes summary and cuts the model reports by a third on SQLite.
 * ix_appearances_report_cover extends (starts_at, id, ...) so the window listing's order still holds.
 */
export class ReportCoverIndexes1795973862492 implements MigrationInterface {
  name = 'ReportCoverIndexes1795973862492';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_appearances_report_cover" ON "appearances" ("starts_at", "id", "ends_at", "status", "disrupted", "institution_id", "office_id", "kind") `);
    await queryRunner.query(`CREATE INDEX "ix_outcomes_report_cover" ON "outcomes" ("appearance_id", "result", "attendance", "leads", "applications_started", "mitigations_used") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const schema = queryRunner.connection.options.type === 'postgres' ? '"public".' : '';
    await queryRunner.query(`DROP INDEX ${schema}"ix_outcomes_report_cover"`);
    await queryRunner.query(`DROP INDEX ${schema}"ix_appearances_report_cover"`);
  }
}
