import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks and chat through the outbox: the notifications table gains a channel (email, webhook,
 * slack, teams), the event type and the last answer (code, latency, excerpt); webhook endpoints and
 * office chat channels get their tables (src/webhooks).
 */
export class WebhooksAndChat1798100000000 implements MigrationInterface {
  name = 'WebhooksAndChat1798100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const pg = queryRunner.connection.options.type === 'postgres';
    const str = pg ? 'character varying' : 'varchar';
    await queryRunner.query(`ALTER TABLE "notifications" ADD "channel" ${str}(16) NOT NULL DEFAULT 'email'`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD "event_type" ${str}(64)`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD "response_code" integer`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD "latency_ms" integer`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD "response_excerpt" ${str}(300)`);
    await queryRunner.query(`CREATE INDEX "ix_notifications_channel_due" ON "notifications" ("channel", "status", "next_attempt_at")`);
    if (pg) {
      await queryRunner.query(
        `CREATE TABLE "webhook_endpoints" ("id" character varying(36) NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "url" character varying(2048) NOT NULL, "description" character varying(200), "event_types" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "secret_cipher" text NOT NULL, "previous_secret_cipher" text, "previous_secret_until" bigint, "created_by_id" character varying(36), CONSTRAINT "PK_WEBHOOK_ENDPOINTS" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(
        `CREATE TABLE "office_chat_channels" ("office_id" character varying(36) NOT NULL, "slack_url_cipher" text, "teams_url_cipher" text, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "updated_by_id" character varying(36), CONSTRAINT "PK_OFFICE_CHAT" PRIMARY KEY ("office_id"))`,
      );
    } else {
      await queryRunner.query(
        `CREATE TABLE "webhook_endpoints" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "url" varchar(2048) NOT NULL, "description" varchar(200), "event_types" text NOT NULL, "active" boolean NOT NULL DEFAULT (1), "secret_cipher" text NOT NULL, "previous_secret_cipher" text, "previous_secret_until" bigint, "created_by_id" varchar(36))`,
      );
      await queryRunner.query(
        `CREATE TABLE "office_chat_channels" ("office_id" varchar(36) PRIMARY KEY NOT NULL, "slack_url_cipher" text, "teams_url_cipher" text, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "updated_by_id" varchar(36))`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "office_chat_channels"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
    await queryRunner.query(`DROP INDEX "ix_notifications_channel_due"`);
    for (const c of ['response_excerpt', 'latency_ms', 'response_code', 'event_type', 'channel']) await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "${c}"`);
  }
}
