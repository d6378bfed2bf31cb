import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API tokens (personal and service; only their SHA-256 is stored) and their uses, counted per
 * minute, route, method and result.
 */
export class ApiTokens1798200000000 implements MigrationInterface {
  name = 'ApiTokens1798200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE TABLE "api_tokens" ("id" character varying(36) NOT NULL, "kind" character varying(16) NOT NULL, "name" character varying(100) NOT NULL, "token_hash" character varying(64) NOT NULL, "hint" character varying(16) NOT NULL, "user_id" character varying(36), "role" character varying(16), "office_id" character varying(36), "scopes" text NOT NULL, "created_by" character varying(36) NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "revoked_at" bigint, "revoked_by" character varying(36), "last_used_at" bigint, CONSTRAINT "PK_api_tokens" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(
        `CREATE TABLE "api_token_uses" ("token_id" character varying(36) NOT NULL, "window_start" bigint NOT NULL, "method" character varying(8) NOT NULL, "route" character varying(200) NOT NULL, "status" integer NOT NULL, "hits" integer NOT NULL, "last_at" bigint NOT NULL, CONSTRAINT "PK_api_token_uses" PRIMARY KEY ("token_id", "window_start", "method", "route", "status"))`,
      );
    } else {
      await queryRunner.query(
        `CREATE TABLE "api_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "kind" varchar(16) NOT NULL, "name" varchar(100) NOT NULL, "token_hash" varchar(64) NOT NULL, "hint" varchar(16) NOT NULL, "user_id" varchar(36), "role" varchar(16), "office_id" varchar(36), "scopes" text NOT NULL, "created_by" varchar(36) NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "revoked_at" bigint, "revoked_by" varchar(36), "last_used_at" bigint)`,
      );
      await queryRunner.query(
        `CREATE TABLE "api_token_uses" ("token_id" varchar(36) NOT NULL, "window_start" bigint NOT NULL, "method" varchar(8) NOT NULL, "route" varchar(200) NOT NULL, "status" integer NOT NULL, "hits" integer NOT NULL, "last_at" bigint NOT NULL, PRIMARY KEY ("token_id", "window_start", "method", "route", "status"))`,
      );
    }
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_tokens_hash" ON "api_tokens" ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "ix_api_tokens_user" ON "api_tokens" ("user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_api_tokens_office" ON "api_tokens" ("office_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_api_tokens_office"`);
    await queryRunner.query(`DROP INDEX "ix_api_tokens_user"`);
    await queryRunner.query(`DROP INDEX "uq_api_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "api_token_uses"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
  }
}
