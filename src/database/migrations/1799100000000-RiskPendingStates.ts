import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * States whose upcoming appearances wait to be re-assessed because a write moved the state's
 * regional wave. The write that moves it records the state here (in its own transaction, so it is
 * never lost and never recorded for a write that rolled back) and re-assesses only its own
 * institution's appearances; the rest of the state follows right after the commit, in a write of
 * its own. `generation` counts the requests, so a request made while the state is being re-assessed
 * is not cleared with it.
 */
export class RiskPendingStates1799100000000 implements MigrationInterface {
  name = 'RiskPendingStates1799100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE TABLE "risk_pending_states" ("state" character varying(64) NOT NULL, "requested_at" bigint NOT NULL, "generation" integer NOT NULL, CONSTRAINT "PK_risk_pending_states" PRIMARY KEY ("state"))`,
      );
    } else {
      await queryRunner.query(`CREATE TABLE "risk_pending_states" ("state" varchar(64) PRIMARY KEY NOT NULL, "requested_at" bigint NOT NULL, "generation" integer NOT NULL)`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "risk_pending_states"`);
  }
}
