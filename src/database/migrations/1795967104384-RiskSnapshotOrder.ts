import { MigrationInterface, QueryRunner } from 'typeorm';

/** Risk snapshots: a per-appearance sequence (the order of snapshots) and the regional wave at as-of. */
export class RiskSnapshotOrder1795967104384 implements MigrationInterface {
  name = 'RiskSnapshotOrder1795967104384';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`ALTER TABLE "risk_assessments" ADD "seq" integer NOT NULL DEFAULT '0'`);
      await queryRunner.query(`ALTER TABLE "risk_assessments" ADD "regional_wave" double precision NOT NULL DEFAULT '0'`);
      await queryRunner.query(`CREATE INDEX "ix_risk_appearance_seq" ON "risk_assessments" ("appearance_id", "seq") `);
    } else {
      await queryRunner.query(`DROP INDEX "ix_risk_appearance_asof"`);
      await queryRunner.query(`DROP INDEX "ix_risk_created"`);
      await queryRunner.query(
        `CREATE TABLE "temporary_risk_assessments" ("id" varchar(36) PRIMARY KEY NOT NULL, "appearance_id" varchar(36) NOT NULL, "as_of" bigint NOT NULL, "trigger" varchar(40) NOT NULL, "model_version" varchar(40) NOT NULL, "p" double precision NOT NULL, "p_severe" double precision NOT NULL, "level" varchar(16) NOT NULL, "interval_low" double precision NOT NULL, "interval_high" double precision NOT NULL, "detail" text NOT NULL, "created_at" bigint NOT NULL, "seq" integer NOT NULL DEFAULT (0), "regional_wave" double precision NOT NULL DEFAULT (0))`,
      );
      await queryRunner.query(
        `INSERT INTO "temporary_risk_assessments"("id", "appearance_id", "as_of", "trigger", "model_version", "p", "p_severe", "level", "interval_low", "interval_high", "detail", "created_at") SELECT "id", "appearance_id", "as_of", "trigger", "model_version", "p", "p_severe", "level", "interval_low", "interval_high", "detail", "created_at" FROM "risk_assessments"`,
      );
      await queryRunner.query(`DROP TABLE "risk_assessments"`);
      await queryRunner.query(`ALTER TABLE "temporary_risk_assessments" RENAME TO "risk_assessments"`);
      await queryRunner.query(`CREATE INDEX "ix_risk_appearance_asof" ON "risk_assessments" ("appearance_id", "as_of") `);
      await queryRunner.query(`CREATE INDEX "ix_risk_created" ON "risk_assessments" ("created_at") `);
      await queryRunner.query(`CREATE INDEX "ix_risk_appearance_seq" ON "risk_assessments" ("appearance_id", "seq") `);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`DROP INDEX "public"."ix_risk_appearance_seq"`);
      await queryRunner.query(`ALTER TABLE "risk_assessments" DROP COLUMN "regional_wave"`);
      await queryRunner.query(`ALTER TABLE "risk_assessments" DROP COLUMN "seq"`);
    } else {
      await queryRunner.query(`DROP INDEX "ix_risk_appearance_seq"`);
      await queryRunner.query(`DROP INDEX "ix_risk_created"`);
      await queryRunner.query(`DROP INDEX "ix_risk_appearance_asof"`);
      await queryRunner.query(`ALTER TABLE "risk_assessments" RENAME TO "temporary_risk_assessments"`);
      await queryRunner.query(
        `CREATE TABLE "risk_assessments" ("id" varchar(36) PRIMARY KEY NOT NULL, "appearance_id" varchar(36) NOT NULL, "as_of" bigint NOT NULL, "trigger" varchar(40) NOT NULL, "model_version" varchar(40) NOT NULL, "p" double precision NOT NULL, "p_severe" double precision NOT NULL, "level" varchar(16) NOT NULL, "interval_low" double precision NOT NULL, "interval_high" double precision NOT NULL, "detail" text NOT NULL, "created_at" bigint NOT NULL)`,
      );
      await queryRunner.query(
        `INSERT INTO "risk_assessments"("id", "appearance_id", "as_of", "trigger", "model_version", "p", "p_severe", "level", "interval_low", "interval_high", "detail", "created_at") SELECT "id", "appearance_id", "as_of", "trigger", "model_version", "p", "p_severe", "level", "interval_low", "interval_high", "detail", "created_at" FROM "temporary_risk_assessments"`,
      );
      await queryRunner.query(`DROP TABLE "temporary_risk_assessments"`);
      await queryRunner.query(`CREATE INDEX "ix_risk_created" ON "risk_assessments" ("created_at") `);
      await queryRunner.query(`CREATE INDEX "ix_risk_appearance_asof" ON "risk_assessments" ("appearance_id", "as_of") `);
    }
  }
}
