import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The appearance window listing (src/appearances/appearance-listing.sql.ts): (starts_at, id) gives
 * the listing order without a sort and stops after one page; ends_at and status make the window
 * filter and the total count index-only. Replaces ix_appearances_window (starts_at, status).
 */
export class AppearanceWindowCover1795968171844 implements MigrationInterface {
  name = 'AppearanceWindowCover1795968171844';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_appearances_window"`);
    await queryRunner.query(`CREATE INDEX "ix_appearances_window_cover" ON "appearances" ("starts_at", "id", "ends_at", "status") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_appearances_window_cover"`);
    await queryRunner.query(`CREATE INDEX "ix_appearances_window" ON "appearances" ("starts_at", "status") `);
  }
}
