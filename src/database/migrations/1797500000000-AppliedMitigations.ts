import { MigrationInterface, QueryRunner } from 'typeorm';

/** Mitigations an appearance's team ticked as applied on the appearance page (src/outcomes/applied-mitigation.entity.ts). */
export class AppliedMitigations1797500000000 implements MigrationInterface {
  name = 'AppliedMitigations1797500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE TABLE "applied_mitigations" ("appearance_id" character varying(36) NOT NULL, "mitigation_id" character varying(64) NOT NULL, "applied_by_id" character varying(36) NOT NULL, "applied_at" bigint NOT NULL, CONSTRAINT "PK_569f52a4d3c3b46dafdded96ba2" PRIMARY KEY ("appearance_id", "mitigation_id"))`,
      );
    } else {
      await queryRunner.query(
        `CREATE TABLE "applied_mitigations" ("appearance_id" varchar(36) NOT NULL, "mitigation_id" varchar(64) NOT NULL, "applied_by_id" varchar(36) NOT NULL, "applied_at" bigint NOT NULL, PRIMARY KEY ("appearance_id", "mitigation_id"))`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "applied_mitigations"`);
  }
}
