import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The host's advance-notice deadline an appearance was booked past (allowShortNotice), or null:
 * the risk assessment reads it as a rule-based factor with its mitigation (RISK_MODEL §5).
 */
export class AppearanceShortNotice1798800000000 implements MigrationInterface {
  name = 'AppearanceShortNotice1798800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appearances" ADD "short_notice_deadline" bigint`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appearances" DROP COLUMN "short_notice_deadline"`);
  }
}
