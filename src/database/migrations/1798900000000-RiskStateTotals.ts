import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-state risk totals every instance reads (they replace a per-process cache that only the
 * instance running the scheduler kept fresh). Empty at first: the next full pass fills it.
 */
export class RiskStateTotals1798900000000 implements MigrationInterface {
  name = 'RiskStateTotals1798900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE TABLE "risk_state_totals" ("state" character varying(64) NOT NULL, "totals_key" character varying(120) NOT NULL, "as_of" bigint NOT NULL, "n" double precision NOT NULL, "k" double precision NOT NULL, "s1" double precision NOT NULL, "s2" double precision NOT NULL, "s3" double precision NOT NULL, "s4" double precision NOT NULL, "wave" double precision NOT NULL, "recent30" integer NOT NULL, CONSTRAINT "PK_risk_state_totals" PRIMARY KEY ("state"))`,
      );
    } else {
      await queryRunner.query(
        `CREATE TABLE "risk_state_totals" ("state" varchar(64) PRIMARY KEY NOT NULL, "totals_key" varchar(120) NOT NULL, "as_of" bigint NOT NULL, "n" double precision NOT NULL, "k" double precision NOT NULL, "s1" double precision NOT NULL, "s2" double precision NOT NULL, "s3" double precision NOT NULL, "s4" double precision NOT NULL, "wave" double precision NOT NULL, "recent30" integer NOT NULL)`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "risk_state_totals"`);
  }
}
