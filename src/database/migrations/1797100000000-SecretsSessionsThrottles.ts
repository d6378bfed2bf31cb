import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secrets and sessions: the generated master secret on PostgreSQL (app_secrets), sign-in and feed
 * attempt counters every instance shares (attempt_counters), tokens ended by logout
 * (revoked_sessions), and when a user last changed their own notification preferences.
 */
export class SecretsSessionsThrottles1797100000000 implements MigrationInterface {
  name = 'SecretsSessionsThrottles1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE TABLE "app_secrets" ("name" character varying(64) NOT NULL, "value" character varying(200) NOT NULL, "created_at" bigint NOT NULL, CONSTRAINT "PK_app_secrets" PRIMARY KEY ("name"))`,
      );
      await queryRunner.query(
        `CREATE TABLE "attempt_counters" ("bucket" character varying(320) NOT NULL, "window_start" bigint NOT NULL, "hits" integer NOT NULL, CONSTRAINT "PK_attempt_counters" PRIMARY KEY ("bucket"))`,
      );
      await queryRunner.query(`CREATE TABLE "revoked_sessions" ("jti" character varying(36) NOT NULL, "expires_at" bigint NOT NULL, CONSTRAINT "PK_revoked_sessions" PRIMARY KEY ("jti"))`);
      await queryRunner.query(`ALTER TABLE "users" ADD "preferences_changed_at" bigint`);
    } else {
      await queryRunner.query(`CREATE TABLE "app_secrets" ("name" varchar(64) PRIMARY KEY NOT NULL, "value" varchar(200) NOT NULL, "created_at" bigint NOT NULL)`);
      await queryRunner.query(`CREATE TABLE "attempt_counters" ("bucket" varchar(320) PRIMARY KEY NOT NULL, "window_start" bigint NOT NULL, "hits" integer NOT NULL)`);
      await queryRunner.query(`CREATE TABLE "revoked_sessions" ("jti" varchar(36) PRIMARY KEY NOT NULL, "expires_at" bigint NOT NULL)`);
      await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "preferences_changed_at" bigint`);
    }
    await queryRunner.query(`CREATE INDEX "ix_revoked_sessions_expires" ON "revoked_sessions" ("expires_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_revoked_sessions_expires"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "preferences_changed_at"`);
    await queryRunner.query(`DROP TABLE "revoked_sessions"`);
    await queryRunner.query(`DROP TABLE "attempt_counters"`);
    await queryRunner.query(`DROP TABLE "app_secrets"`);
  }
}
