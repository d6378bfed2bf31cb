import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The initial schema: offices, users, institutions, appearances, reception ledger, incidents, risk
 * assessments, the notification outbox, outcomes and the audit log. One migration runs on both
 * databases; the SQL differs only where the dialects do (generated from the entities with
 * `npm run migration:generate` on each, then merged here).
 */
export class Initial1764400000000 implements MigrationInterface {
  name = 'Initial1764400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE TABLE "institutions" ("id" character varying(36) NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "name" character varying(300) NOT NULL, "search_name" character varying(300) NOT NULL, "dedupe_key" character varying(500) NOT NULL, "kind" character varying(32) NOT NULL, "city" character varying(120) NOT NULL DEFAULT '', "state" character varying(64) NOT NULL DEFAULT '', "country" character varying(2) NOT NULL DEFAULT 'US', "time_zone" character varying(64) NOT NULL, "external_id" character varying(64), "ownership" character varying(40), "limits_immigration_cooperation" boolean NOT NULL DEFAULT false, "requires_advance_notice" boolean NOT NULL DEFAULT false, "advance_notice_days" integer, "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_0be7539dcdba335470dc05e9690" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(`CREATE INDEX "ix_institutions_external_id" ON "institutions" ("external_id") `);
      await queryRunner.query(`CREATE INDEX "ix_institutions_state_kind" ON "institutions" ("state", "kind") `);
      await queryRunner.query(`CREATE INDEX "ix_institutions_search" ON "institutions" ("search_name") `);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_institutions_dedupe" ON "institutions" ("dedupe_key") `);
      await queryRunner.query(
        `CREATE TABLE "offices" ("id" character varying(36) NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "name" character varying(200) NOT NULL, "region" character varying(200) NOT NULL DEFAULT '', "time_zone" character varying(64) NOT NULL, CONSTRAINT "PK_1ea41502c6dddcec44ad9fcbbb3" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_offices_name" ON "offices" ("name") `);
      await queryRunner.query(
        `CREATE TABLE "users" ("id" character varying(36) NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "email" character varying(254) NOT NULL, "display_name" character varying(200) NOT NULL, "role" character varying(16) NOT NULL, "office_id" character varying(36), "password_hash" character varying(200) NOT NULL, "active" boolean NOT NULL DEFAULT true, "calendar_token" character varying(64) NOT NULL, "token_version" integer NOT NULL DEFAULT '0', "muted_kinds" text NOT NULL DEFAULT '[]', CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email") `);
      await queryRunner.query(`CREATE INDEX "ix_users_office" ON "users" ("office_id") `);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_calendar_token" ON "users" ("calendar_token") `);
      await queryRunner.query(
        `CREATE TABLE "appearance_recruiters" ("appearance_id" character varying(36) NOT NULL, "user_id" character varying(36) NOT NULL, CONSTRAINT "PK_7c7b4977222e469c0db0588672c" PRIMARY KEY ("appearance_id", "user_id"))`,
      );
      await queryRunner.query(`CREATE INDEX "ix_appearance_recruiters_user" ON "appearance_recruiters" ("user_id", "appearance_id") `);
      await queryRunner.query(
        `CREATE TABLE "appearances" ("id" character varying(36) NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "institution_id" character varying(36) NOT NULL, "office_id" character varying(36) NOT NULL, "kind" character varying(32) NOT NULL, "title" character varying(200) NOT NULL, "starts_at" bigint NOT NULL, "ends_at" bigint NOT NULL, "time_zone" character varying(64) NOT NULL, "venue" character varying(300) NOT NULL DEFAULT '', "format" character varying(16) NOT NULL, "audience" character varying(16) NOT NULL, "expected_attendance" integer, "visible_branding" boolean NOT NULL DEFAULT false, "protest_announced" boolean NOT NULL DEFAULT false, "status" character varying(16) NOT NULL DEFAULT 'planned', "version" integer NOT NULL DEFAULT '1', "sequence" integer NOT NULL DEFAULT '0', "briefing_offsets" text, "disrupted" boolean NOT NULL DEFAULT false, "cancel_reason" character varying(500), "created_by_id" character varying(36), CONSTRAINT "PK_0ad92ffd5fb6882e4f27f729c63" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(`CREATE INDEX "ix_appearances_institution_window" ON "appearances" ("institution_id", "starts_at") `);
      await queryRunner.query(`CREATE INDEX "ix_appearances_office_window" ON "appearances" ("office_id", "starts_at") `);
      await queryRunner.query(`CREATE INDEX "ix_appearances_window" ON "appearances" ("starts_at", "status") `);
      await queryRunner.query(
        `CREATE TABLE "audit_entries" ("id" character varying(36) NOT NULL, "at" bigint NOT NULL, "actor_id" character varying(36), "action" character varying(32) NOT NULL, "entity_type" character varying(40) NOT NULL, "entity_id" character varying(64), "before" text, "after" text, "meta" text, CONSTRAINT "PK_6b1623bcad4d04530b76548d619" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(`CREATE INDEX "ix_audit_actor" ON "audit_entries" ("actor_id", "at") `);
      await queryRunner.query(`CREATE INDEX "ix_audit_entity" ON "audit_entries" ("entity_type", "entity_id", "at") `);
      await queryRunner.query(`CREATE INDEX "ix_audit_at" ON "audit_entries" ("at") `);
      await queryRunner.query(
        `CREATE TABLE "incidents" ("id" character varying(36) NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "institution_id" character varying(36) NOT NULL, "state" character varying(64) NOT NULL DEFAULT '', "appearance_id" character varying(36), "kind" character varying(32) NOT NULL, "occurred_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "severity" integer NOT NULL, "crowd_size" character varying(16) NOT NULL DEFAULT 'unknown', "impact" character varying(16) NOT NULL DEFAULT 'none', "target" character varying(24) NOT NULL, "source" character varying(16) NOT NULL, "verification" character varying(16) NOT NULL DEFAULT 'reported', "dispute_statement" text, "dispute_recorded_by_id" character varying(36), "dispute_recorded_at" bigint, "description" text, "description_expired_at" bigint, "recorded_by_id" character varying(36), "import_key" character varying(200), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_ccb34c01719889017e2246469f9" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_incidents_import_key" ON "incidents" ("import_key") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_appearance" ON "incidents" ("appearance_id") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_occurred" ON "incidents" ("occurred_at") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_state_occurred" ON "incidents" ("state", "occurred_at") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_institution_evidence" ON "incidents" ("institution_id", "recorded_at", "occurred_at", "target", "severity", "verification") `);
      await queryRunner.query(
        `CREATE TABLE "notifications" ("id" character varying(36) NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "idempotency_key" character varying(300) NOT NULL, "kind" character varying(32) NOT NULL, "recipient_id" character varying(36) NOT NULL, "recipient_email" character varying(254) NOT NULL, "appearance_id" character varying(36), "assessment_id" character varying(36), "due_at" bigint NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" bigint NOT NULL, "lease_until" bigint, "lease_owner" character varying(100), "last_error" text, "message_id" character varying(300), "sent_at" bigint, "payload" text NOT NULL DEFAULT '{}', "ack_required" boolean NOT NULL DEFAULT false, "acknowledged_at" bigint, "acknowledged_by_id" character varying(36), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_notifications_idempotency" ON "notifications" ("idempotency_key") `);
      await queryRunner.query(`CREATE INDEX "ix_notifications_recipient" ON "notifications" ("recipient_id", "created_at") `);
      await queryRunner.query(`CREATE INDEX "ix_notifications_appearance" ON "notifications" ("appearance_id", "status") `);
      await queryRunner.query(`CREATE INDEX "ix_notifications_due" ON "notifications" ("status", "next_attempt_at") `);
      await queryRunner.query(
        `CREATE TABLE "outcomes" ("appearance_id" character varying(36) NOT NULL, "result" character varying(24) NOT NULL, "attendance" integer, "conversations" integer, "leads" integer, "applications_started" integer, "mitigations_used" text NOT NULL DEFAULT '[]', "notes" text NOT NULL DEFAULT '', "submitted_by_id" character varying(36) NOT NULL, "submitted_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "PK_4d91564257bdd74f602ee687ea0" PRIMARY KEY ("appearance_id"))`,
      );
      await queryRunner.query(
        `CREATE TABLE "reception_entries" ("id" character varying(36) NOT NULL, "institution_id" character varying(36) NOT NULL, "kind" character varying(40) NOT NULL, "stance" character varying(16) NOT NULL, "reason" text NOT NULL DEFAULT '', "source" character varying(300) NOT NULL DEFAULT '', "effective_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "recorded_by_id" character varying(36), "supersedes_id" character varying(36), CONSTRAINT "PK_d1a1f5d0064ac6ac47679f42527" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(`CREATE INDEX "ix_reception_supersedes" ON "reception_entries" ("supersedes_id") `);
      await queryRunner.query(`CREATE INDEX "ix_reception_recorded" ON "reception_entries" ("recorded_at") `);
      await queryRunner.query(`CREATE INDEX "ix_reception_institution_effective" ON "reception_entries" ("institution_id", "effective_at") `);
      await queryRunner.query(
        `CREATE TABLE "risk_assessments" ("id" character varying(36) NOT NULL, "appearance_id" character varying(36) NOT NULL, "as_of" bigint NOT NULL, "trigger" character varying(40) NOT NULL, "model_version" character varying(40) NOT NULL, "p" double precision NOT NULL, "p_severe" double precision NOT NULL, "level" character varying(16) NOT NULL, "interval_low" double precision NOT NULL, "interval_high" double precision NOT NULL, "detail" text NOT NULL, "created_at" bigint NOT NULL, CONSTRAINT "PK_2717ff3f294d30390a712653d63" PRIMARY KEY ("id"))`,
      );
      await queryRunner.query(`CREATE INDEX "ix_risk_created" ON "risk_assessments" ("created_at") `);
      await queryRunner.query(`CREATE INDEX "ix_risk_appearance_asof" ON "risk_assessments" ("appearance_id", "as_of") `);
      await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "FK_6b31546fc92b0d7344f032d0447" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
      await queryRunner.query(
        `ALTER TABLE "appearance_recruiters" ADD CONSTRAINT "FK_80cd663ef2388cc5dd821e0f3d6" FOREIGN KEY ("appearance_id") REFERENCES "appearances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      );
      await queryRunner.query(
        `ALTER TABLE "appearance_recruiters" ADD CONSTRAINT "FK_17c86369e71fc91f70e04e6c33e" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
      await queryRunner.query(
        `ALTER TABLE "appearances" ADD CONSTRAINT "FK_9804608da604a696c5052c002d8" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
      await queryRunner.query(`ALTER TABLE "appearances" ADD CONSTRAINT "FK_782087e71409a5a88e209c438a7" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
      await queryRunner.query(
        `ALTER TABLE "incidents" ADD CONSTRAINT "FK_c0028dd714dd5c04280e4a172ab" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
      await queryRunner.query(
        `ALTER TABLE "incidents" ADD CONSTRAINT "FK_7a7363202f7fd6b74ab1bfeddea" FOREIGN KEY ("appearance_id") REFERENCES "appearances"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
      );
      await queryRunner.query(
        `ALTER TABLE "outcomes" ADD CONSTRAINT "FK_4d91564257bdd74f602ee687ea0" FOREIGN KEY ("appearance_id") REFERENCES "appearances"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      );
      await queryRunner.query(
        `ALTER TABLE "reception_entries" ADD CONSTRAINT "FK_8f7dda1e0a2fa73624f033ac5d8" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
    } else {
      await queryRunner.query(
        `CREATE TABLE "institutions" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "name" varchar(300) NOT NULL, "search_name" varchar(300) NOT NULL, "dedupe_key" varchar(500) NOT NULL, "kind" varchar(32) NOT NULL, "city" varchar(120) NOT NULL DEFAULT (''), "state" varchar(64) NOT NULL DEFAULT (''), "country" varchar(2) NOT NULL DEFAULT ('US'), "time_zone" varchar(64) NOT NULL, "external_id" varchar(64), "ownership" varchar(40), "limits_immigration_cooperation" boolean NOT NULL DEFAULT (0), "requires_advance_notice" boolean NOT NULL DEFAULT (0), "advance_notice_days" integer, "version" integer NOT NULL DEFAULT (1))`,
      );
      await queryRunner.query(`CREATE INDEX "ix_institutions_external_id" ON "institutions" ("external_id") `);
      await queryRunner.query(`CREATE INDEX "ix_institutions_state_kind" ON "institutions" ("state", "kind") `);
      await queryRunner.query(`CREATE INDEX "ix_institutions_search" ON "institutions" ("search_name") `);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_institutions_dedupe" ON "institutions" ("dedupe_key") `);
      await queryRunner.query(
        `CREATE TABLE "offices" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "name" varchar(200) NOT NULL, "region" varchar(200) NOT NULL DEFAULT (''), "time_zone" varchar(64) NOT NULL)`,
      );
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_offices_name" ON "offices" ("name") `);
      await queryRunner.query(
        `CREATE TABLE "users" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "email" varchar(254) NOT NULL, "display_name" varchar(200) NOT NULL, "role" varchar(16) NOT NULL, "office_id" varchar(36), "password_hash" varchar(200) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "calendar_token" varchar(64) NOT NULL, "token_version" integer NOT NULL DEFAULT (0), "muted_kinds" text NOT NULL DEFAULT ('[]'))`,
      );
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email") `);
      await queryRunner.query(`CREATE INDEX "ix_users_office" ON "users" ("office_id") `);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_calendar_token" ON "users" ("calendar_token") `);
      await queryRunner.query(`CREATE TABLE "appearance_recruiters" ("appearance_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, PRIMARY KEY ("appearance_id", "user_id"))`);
      await queryRunner.query(`CREATE INDEX "ix_appearance_recruiters_user" ON "appearance_recruiters" ("user_id", "appearance_id") `);
      await queryRunner.query(
        `CREATE TABLE "appearances" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "institution_id" varchar(36) NOT NULL, "office_id" varchar(36) NOT NULL, "kind" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "starts_at" bigint NOT NULL, "ends_at" bigint NOT NULL, "time_zone" varchar(64) NOT NULL, "venue" varchar(300) NOT NULL DEFAULT (''), "format" varchar(16) NOT NULL, "audience" varchar(16) NOT NULL, "expected_attendance" integer, "visible_branding" boolean NOT NULL DEFAULT (0), "protest_announced" boolean NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL DEFAULT ('planned'), "version" integer NOT NULL DEFAULT (1), "sequence" integer NOT NULL DEFAULT (0), "briefing_offsets" text, "disrupted" boolean NOT NULL DEFAULT (0), "cancel_reason" varchar(500), "created_by_id" varchar(36))`,
      );
      await queryRunner.query(`CREATE INDEX "ix_appearances_institution_window" ON "appearances" ("institution_id", "starts_at") `);
      await queryRunner.query(`CREATE INDEX "ix_appearances_office_window" ON "appearances" ("office_id", "starts_at") `);
      await queryRunner.query(`CREATE INDEX "ix_appearances_window" ON "appearances" ("starts_at", "status") `);
      await queryRunner.query(
        `CREATE TABLE "audit_entries" ("id" varchar(36) PRIMARY KEY NOT NULL, "at" bigint NOT NULL, "actor_id" varchar(36), "action" varchar(32) NOT NULL, "entity_type" varchar(40) NOT NULL, "entity_id" varchar(64), "before" text, "after" text, "meta" text)`,
      );
      await queryRunner.query(`CREATE INDEX "ix_audit_actor" ON "audit_entries" ("actor_id", "at") `);
      await queryRunner.query(`CREATE INDEX "ix_audit_entity" ON "audit_entries" ("entity_type", "entity_id", "at") `);
      await queryRunner.query(`CREATE INDEX "ix_audit_at" ON "audit_entries" ("at") `);
      await queryRunner.query(
        `CREATE TABLE "incidents" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "institution_id" varchar(36) NOT NULL, "state" varchar(64) NOT NULL DEFAULT (''), "appearance_id" varchar(36), "kind" varchar(32) NOT NULL, "occurred_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "severity" integer NOT NULL, "crowd_size" varchar(16) NOT NULL DEFAULT ('unknown'), "impact" varchar(16) NOT NULL DEFAULT ('none'), "target" varchar(24) NOT NULL, "source" varchar(16) NOT NULL, "verification" varchar(16) NOT NULL DEFAULT ('reported'), "dispute_statement" text, "dispute_recorded_by_id" varchar(36), "dispute_recorded_at" bigint, "description" text, "description_expired_at" bigint, "recorded_by_id" varchar(36), "import_key" varchar(200), "version" integer NOT NULL DEFAULT (1))`,
      );
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_incidents_import_key" ON "incidents" ("import_key") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_appearance" ON "incidents" ("appearance_id") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_occurred" ON "incidents" ("occurred_at") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_state_occurred" ON "incidents" ("state", "occurred_at") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_institution_evidence" ON "incidents" ("institution_id", "recorded_at", "occurred_at", "target", "severity", "verification") `);
      await queryRunner.query(
        `CREATE TABLE "notifications" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "idempotency_key" varchar(300) NOT NULL, "kind" varchar(32) NOT NULL, "recipient_id" varchar(36) NOT NULL, "recipient_email" varchar(254) NOT NULL, "appearance_id" varchar(36), "assessment_id" varchar(36), "due_at" bigint NOT NULL, "status" varchar(16) NOT NULL DEFAULT ('pending'), "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" bigint NOT NULL, "lease_until" bigint, "lease_owner" varchar(100), "last_error" text, "message_id" varchar(300), "sent_at" bigint, "payload" text NOT NULL DEFAULT ('{}'), "ack_required" boolean NOT NULL DEFAULT (0), "acknowledged_at" bigint, "acknowledged_by_id" varchar(36))`,
      );
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_notifications_idempotency" ON "notifications" ("idempotency_key") `);
      await queryRunner.query(`CREATE INDEX "ix_notifications_recipient" ON "notifications" ("recipient_id", "created_at") `);
      await queryRunner.query(`CREATE INDEX "ix_notifications_appearance" ON "notifications" ("appearance_id", "status") `);
      await queryRunner.query(`CREATE INDEX "ix_notifications_due" ON "notifications" ("status", "next_attempt_at") `);
      await queryRunner.query(
        `CREATE TABLE "outcomes" ("appearance_id" varchar(36) PRIMARY KEY NOT NULL, "result" varchar(24) NOT NULL, "attendance" integer, "conversations" integer, "leads" integer, "applications_started" integer, "mitigations_used" text NOT NULL DEFAULT ('[]'), "notes" text NOT NULL DEFAULT (''), "submitted_by_id" varchar(36) NOT NULL, "submitted_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`,
      );
      await queryRunner.query(
        `CREATE TABLE "reception_entries" ("id" varchar(36) PRIMARY KEY NOT NULL, "institution_id" varchar(36) NOT NULL, "kind" varchar(40) NOT NULL, "stance" varchar(16) NOT NULL, "reason" text NOT NULL DEFAULT (''), "source" varchar(300) NOT NULL DEFAULT (''), "effective_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "recorded_by_id" varchar(36), "supersedes_id" varchar(36))`,
      );
      await queryRunner.query(`CREATE INDEX "ix_reception_supersedes" ON "reception_entries" ("supersedes_id") `);
      await queryRunner.query(`CREATE INDEX "ix_reception_recorded" ON "reception_entries" ("recorded_at") `);
      await queryRunner.query(`CREATE INDEX "ix_reception_institution_effective" ON "reception_entries" ("institution_id", "effective_at") `);
      await queryRunner.query(
        `CREATE TABLE "risk_assessments" ("id" varchar(36) PRIMARY KEY NOT NULL, "appearance_id" varchar(36) NOT NULL, "as_of" bigint NOT NULL, "trigger" varchar(40) NOT NULL, "model_version" varchar(40) NOT NULL, "p" double precision NOT NULL, "p_severe" double precision NOT NULL, "level" varchar(16) NOT NULL, "interval_low" double precision NOT NULL, "interval_high" double precision NOT NULL, "detail" text NOT NULL, "created_at" bigint NOT NULL)`,
      );
      await queryRunner.query(`CREATE INDEX "ix_risk_created" ON "risk_assessments" ("created_at") `);
      await queryRunner.query(`CREATE INDEX "ix_risk_appearance_asof" ON "risk_assessments" ("appearance_id", "as_of") `);
      await queryRunner.query(`DROP INDEX "uq_users_email"`);
      await queryRunner.query(`DROP INDEX "ix_users_office"`);
      await queryRunner.query(`DROP INDEX "uq_users_calendar_token"`);
      await queryRunner.query(
        `CREATE TABLE "temporary_users" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "email" varchar(254) NOT NULL, "display_name" varchar(200) NOT NULL, "role" varchar(16) NOT NULL, "office_id" varchar(36), "password_hash" varchar(200) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "calendar_token" varchar(64) NOT NULL, "token_version" integer NOT NULL DEFAULT (0), "muted_kinds" text NOT NULL DEFAULT ('[]'), CONSTRAINT "FK_6b31546fc92b0d7344f032d0447" FOREIGN KEY ("office_id") REFERENCES "offices" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
      );
      await queryRunner.query(
        `INSERT INTO "temporary_users"("id", "created_at", "updated_at", "email", "display_name", "role", "office_id", "password_hash", "active", "calendar_token", "token_version", "muted_kinds") SELECT "id", "created_at", "updated_at", "email", "display_name", "role", "office_id", "password_hash", "active", "calendar_token", "token_version", "muted_kinds" FROM "users"`,
      );
      await queryRunner.query(`DROP TABLE "users"`);
      await queryRunner.query(`ALTER TABLE "temporary_users" RENAME TO "users"`);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email") `);
      await queryRunner.query(`CREATE INDEX "ix_users_office" ON "users" ("office_id") `);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_calendar_token" ON "users" ("calendar_token") `);
      await queryRunner.query(`DROP INDEX "ix_appearance_recruiters_user"`);
      await queryRunner.query(
        `CREATE TABLE "temporary_appearance_recruiters" ("appearance_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, CONSTRAINT "FK_80cd663ef2388cc5dd821e0f3d6" FOREIGN KEY ("appearance_id") REFERENCES "appearances" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_17c86369e71fc91f70e04e6c33e" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("appearance_id", "user_id"))`,
      );
      await queryRunner.query(`INSERT INTO "temporary_appearance_recruiters"("appearance_id", "user_id") SELECT "appearance_id", "user_id" FROM "appearance_recruiters"`);
      await queryRunner.query(`DROP TABLE "appearance_recruiters"`);
      await queryRunner.query(`ALTER TABLE "temporary_appearance_recruiters" RENAME TO "appearance_recruiters"`);
      await queryRunner.query(`CREATE INDEX "ix_appearance_recruiters_user" ON "appearance_recruiters" ("user_id", "appearance_id") `);
      await queryRunner.query(`DROP INDEX "ix_appearances_institution_window"`);
      await queryRunner.query(`DROP INDEX "ix_appearances_office_window"`);
      await queryRunner.query(`DROP INDEX "ix_appearances_window"`);
      await queryRunner.query(
        `CREATE TABLE "temporary_appearances" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "institution_id" varchar(36) NOT NULL, "office_id" varchar(36) NOT NULL, "kind" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "starts_at" bigint NOT NULL, "ends_at" bigint NOT NULL, "time_zone" varchar(64) NOT NULL, "venue" varchar(300) NOT NULL DEFAULT (''), "format" varchar(16) NOT NULL, "audience" varchar(16) NOT NULL, "expected_attendance" integer, "visible_branding" boolean NOT NULL DEFAULT (0), "protest_announced" boolean NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL DEFAULT ('planned'), "version" integer NOT NULL DEFAULT (1), "sequence" integer NOT NULL DEFAULT (0), "briefing_offsets" text, "disrupted" boolean NOT NULL DEFAULT (0), "cancel_reason" varchar(500), "created_by_id" varchar(36), CONSTRAINT "FK_9804608da604a696c5052c002d8" FOREIGN KEY ("institution_id") REFERENCES "institutions" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_782087e71409a5a88e209c438a7" FOREIGN KEY ("office_id") REFERENCES "offices" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
      );
      await queryRunner.query(
        `INSERT INTO "temporary_appearances"("id", "created_at", "updated_at", "institution_id", "office_id", "kind", "title", "starts_at", "ends_at", "time_zone", "venue", "format", "audience", "expected_attendance", "visible_branding", "protest_announced", "status", "version", "sequence", "briefing_offsets", "disrupted", "cancel_reason", "created_by_id") SELECT "id", "created_at", "updated_at", "institution_id", "office_id", "kind", "title", "starts_at", "ends_at", "time_zone", "venue", "format", "audience", "expected_attendance", "visible_branding", "protest_announced", "status", "version", "sequence", "briefing_offsets", "disrupted", "cancel_reason", "created_by_id" FROM "appearances"`,
      );
      await queryRunner.query(`DROP TABLE "appearances"`);
      await queryRunner.query(`ALTER TABLE "temporary_appearances" RENAME TO "appearances"`);
      await queryRunner.query(`CREATE INDEX "ix_appearances_institution_window" ON "appearances" ("institution_id", "starts_at") `);
      await queryRunner.query(`CREATE INDEX "ix_appearances_office_window" ON "appearances" ("office_id", "starts_at") `);
      await queryRunner.query(`CREATE INDEX "ix_appearances_window" ON "appearances" ("starts_at", "status") `);
      await queryRunner.query(`DROP INDEX "uq_incidents_import_key"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_appearance"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_occurred"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_state_occurred"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_institution_evidence"`);
      await queryRunner.query(
        `CREATE TABLE "temporary_incidents" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "institution_id" varchar(36) NOT NULL, "state" varchar(64) NOT NULL DEFAULT (''), "appearance_id" varchar(36), "kind" varchar(32) NOT NULL, "occurred_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "severity" integer NOT NULL, "crowd_size" varchar(16) NOT NULL DEFAULT ('unknown'), "impact" varchar(16) NOT NULL DEFAULT ('none'), "target" varchar(24) NOT NULL, "source" varchar(16) NOT NULL, "verification" varchar(16) NOT NULL DEFAULT ('reported'), "dispute_statement" text, "dispute_recorded_by_id" varchar(36), "dispute_recorded_at" bigint, "description" text, "description_expired_at" bigint, "recorded_by_id" varchar(36), "import_key" varchar(200), "version" integer NOT NULL DEFAULT (1), CONSTRAINT "FK_c0028dd714dd5c04280e4a172ab" FOREIGN KEY ("institution_id") REFERENCES "institutions" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_7a7363202f7fd6b74ab1bfeddea" FOREIGN KEY ("appearance_id") REFERENCES "appearances" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`,
      );
      await queryRunner.query(
        `INSERT INTO "temporary_incidents"("id", "created_at", "updated_at", "institution_id", "state", "appearance_id", "kind", "occurred_at", "recorded_at", "severity", "crowd_size", "impact", "target", "source", "verification", "dispute_statement", "dispute_recorded_by_id", "dispute_recorded_at", "description", "description_expired_at", "recorded_by_id", "import_key", "version") SELECT "id", "created_at", "updated_at", "institution_id", "state", "appearance_id", "kind", "occurred_at", "recorded_at", "severity", "crowd_size", "impact", "target", "source", "verification", "dispute_statement", "dispute_recorded_by_id", "dispute_recorded_at", "description", "description_expired_at", "recorded_by_id", "import_key", "version" FROM "incidents"`,
      );
      await queryRunner.query(`DROP TABLE "incidents"`);
      await queryRunner.query(`ALTER TABLE "temporary_incidents" RENAME TO "incidents"`);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_incidents_import_key" ON "incidents" ("import_key") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_appearance" ON "incidents" ("appearance_id") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_occurred" ON "incidents" ("occurred_at") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_state_occurred" ON "incidents" ("state", "occurred_at") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_institution_evidence" ON "incidents" ("institution_id", "recorded_at", "occurred_at", "target", "severity", "verification") `);
      await queryRunner.query(
        `CREATE TABLE "temporary_outcomes" ("appearance_id" varchar(36) PRIMARY KEY NOT NULL, "result" varchar(24) NOT NULL, "attendance" integer, "conversations" integer, "leads" integer, "applications_started" integer, "mitigations_used" text NOT NULL DEFAULT ('[]'), "notes" text NOT NULL DEFAULT (''), "submitted_by_id" varchar(36) NOT NULL, "submitted_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "FK_4d91564257bdd74f602ee687ea0" FOREIGN KEY ("appearance_id") REFERENCES "appearances" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
      );
      await queryRunner.query(
        `INSERT INTO "temporary_outcomes"("appearance_id", "result", "attendance", "conversations", "leads", "applications_started", "mitigations_used", "notes", "submitted_by_id", "submitted_at", "updated_at") SELECT "appearance_id", "result", "attendance", "conversations", "leads", "applications_started", "mitigations_used", "notes", "submitted_by_id", "submitted_at", "updated_at" FROM "outcomes"`,
      );
      await queryRunner.query(`DROP TABLE "outcomes"`);
      await queryRunner.query(`ALTER TABLE "temporary_outcomes" RENAME TO "outcomes"`);
      await queryRunner.query(`DROP INDEX "ix_reception_supersedes"`);
      await queryRunner.query(`DROP INDEX "ix_reception_recorded"`);
      await queryRunner.query(`DROP INDEX "ix_reception_institution_effective"`);
      await queryRunner.query(
        `CREATE TABLE "temporary_reception_entries" ("id" varchar(36) PRIMARY KEY NOT NULL, "institution_id" varchar(36) NOT NULL, "kind" varchar(40) NOT NULL, "stance" varchar(16) NOT NULL, "reason" text NOT NULL DEFAULT (''), "source" varchar(300) NOT NULL DEFAULT (''), "effective_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "recorded_by_id" varchar(36), "supersedes_id" varchar(36), CONSTRAINT "FK_8f7dda1e0a2fa73624f033ac5d8" FOREIGN KEY ("institution_id") REFERENCES "institutions" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
      );
      await queryRunner.query(
        `INSERT INTO "temporary_reception_entries"("id", "institution_id", "kind", "stance", "reason", "source", "effective_at", "recorded_at", "recorded_by_id", "supersedes_id") SELECT "id", "institution_id", "kind", "stance", "reason", "source", "effective_at", "recorded_at", "recorded_by_id", "supersedes_id" FROM "reception_entries"`,
      );
      await queryRunner.query(`DROP TABLE "reception_entries"`);
      await queryRunner.query(`ALTER TABLE "temporary_reception_entries" RENAME TO "reception_entries"`);
      await queryRunner.query(`CREATE INDEX "ix_reception_supersedes" ON "reception_entries" ("supersedes_id") `);
      await queryRunner.query(`CREATE INDEX "ix_reception_recorded" ON "reception_entries" ("recorded_at") `);
      await queryRunner.query(`CREATE INDEX "ix_reception_institution_effective" ON "reception_entries" ("institution_id", "effective_at") `);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`ALTER TABLE "reception_entries" DROP CONSTRAINT "FK_8f7dda1e0a2fa73624f033ac5d8"`);
      await queryRunner.query(`ALTER TABLE "outcomes" DROP CONSTRAINT "FK_4d91564257bdd74f602ee687ea0"`);
      await queryRunner.query(`ALTER TABLE "incidents" DROP CONSTRAINT "FK_7a7363202f7fd6b74ab1bfeddea"`);
      await queryRunner.query(`ALTER TABLE "incidents" DROP CONSTRAINT "FK_c0028dd714dd5c04280e4a172ab"`);
      await queryRunner.query(`ALTER TABLE "appearances" DROP CONSTRAINT "FK_782087e71409a5a88e209c438a7"`);
      await queryRunner.query(`ALTER TABLE "appearances" DROP CONSTRAINT "FK_9804608da604a696c5052c002d8"`);
      await queryRunner.query(`ALTER TABLE "appearance_recruiters" DROP CONSTRAINT "FK_17c86369e71fc91f70e04e6c33e"`);
      await queryRunner.query(`ALTER TABLE "appearance_recruiters" DROP CONSTRAINT "FK_80cd663ef2388cc5dd821e0f3d6"`);
      await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_6b31546fc92b0d7344f032d0447"`);
      await queryRunner.query(`DROP INDEX "public"."ix_risk_appearance_asof"`);
      await queryRunner.query(`DROP INDEX "public"."ix_risk_created"`);
      await queryRunner.query(`DROP TABLE "risk_assessments"`);
      await queryRunner.query(`DROP INDEX "public"."ix_reception_institution_effective"`);
      await queryRunner.query(`DROP INDEX "public"."ix_reception_recorded"`);
      await queryRunner.query(`DROP INDEX "public"."ix_reception_supersedes"`);
      await queryRunner.query(`DROP TABLE "reception_entries"`);
      await queryRunner.query(`DROP TABLE "outcomes"`);
      await queryRunner.query(`DROP INDEX "public"."ix_notifications_due"`);
      await queryRunner.query(`DROP INDEX "public"."ix_notifications_appearance"`);
      await queryRunner.query(`DROP INDEX "public"."ix_notifications_recipient"`);
      await queryRunner.query(`DROP INDEX "public"."uq_notifications_idempotency"`);
      await queryRunner.query(`DROP TABLE "notifications"`);
      await queryRunner.query(`DROP INDEX "public"."ix_incidents_institution_evidence"`);
      await queryRunner.query(`DROP INDEX "public"."ix_incidents_state_occurred"`);
      await queryRunner.query(`DROP INDEX "public"."ix_incidents_occurred"`);
      await queryRunner.query(`DROP INDEX "public"."ix_incidents_appearance"`);
      await queryRunner.query(`DROP INDEX "public"."uq_incidents_import_key"`);
      await queryRunner.query(`DROP TABLE "incidents"`);
      await queryRunner.query(`DROP INDEX "public"."ix_audit_at"`);
      await queryRunner.query(`DROP INDEX "public"."ix_audit_entity"`);
      await queryRunner.query(`DROP INDEX "public"."ix_audit_actor"`);
      await queryRunner.query(`DROP TABLE "audit_entries"`);
      await queryRunner.query(`DROP INDEX "public"."ix_appearances_window"`);
      await queryRunner.query(`DROP INDEX "public"."ix_appearances_office_window"`);
      await queryRunner.query(`DROP INDEX "public"."ix_appearances_institution_window"`);
      await queryRunner.query(`DROP TABLE "appearances"`);
      await queryRunner.query(`DROP INDEX "public"."ix_appearance_recruiters_user"`);
      await queryRunner.query(`DROP TABLE "appearance_recruiters"`);
      await queryRunner.query(`DROP INDEX "public"."uq_users_calendar_token"`);
      await queryRunner.query(`DROP INDEX "public"."ix_users_office"`);
      await queryRunner.query(`DROP INDEX "public"."uq_users_email"`);
      await queryRunner.query(`DROP TABLE "users"`);
      await queryRunner.query(`DROP INDEX "public"."uq_offices_name"`);
      await queryRunner.query(`DROP TABLE "offices"`);
      await queryRunner.query(`DROP INDEX "public"."uq_institutions_dedupe"`);
      await queryRunner.query(`DROP INDEX "public"."ix_institutions_search"`);
      await queryRunner.query(`DROP INDEX "public"."ix_institutions_state_kind"`);
      await queryRunner.query(`DROP INDEX "public"."ix_institutions_external_id"`);
      await queryRunner.query(`DROP TABLE "institutions"`);
    } else {
      await queryRunner.query(`DROP INDEX "ix_reception_institution_effective"`);
      await queryRunner.query(`DROP INDEX "ix_reception_recorded"`);
      await queryRunner.query(`DROP INDEX "ix_reception_supersedes"`);
      await queryRunner.query(`ALTER TABLE "reception_entries" RENAME TO "temporary_reception_entries"`);
      await queryRunner.query(
        `CREATE TABLE "reception_entries" ("id" varchar(36) PRIMARY KEY NOT NULL, "institution_id" varchar(36) NOT NULL, "kind" varchar(40) NOT NULL, "stance" varchar(16) NOT NULL, "reason" text NOT NULL DEFAULT (''), "source" varchar(300) NOT NULL DEFAULT (''), "effective_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "recorded_by_id" varchar(36), "supersedes_id" varchar(36))`,
      );
      await queryRunner.query(
        `INSERT INTO "reception_entries"("id", "institution_id", "kind", "stance", "reason", "source", "effective_at", "recorded_at", "recorded_by_id", "supersedes_id") SELECT "id", "institution_id", "kind", "stance", "reason", "source", "effective_at", "recorded_at", "recorded_by_id", "supersedes_id" FROM "temporary_reception_entries"`,
      );
      await queryRunner.query(`DROP TABLE "temporary_reception_entries"`);
      await queryRunner.query(`CREATE INDEX "ix_reception_institution_effective" ON "reception_entries" ("institution_id", "effective_at") `);
      await queryRunner.query(`CREATE INDEX "ix_reception_recorded" ON "reception_entries" ("recorded_at") `);
      await queryRunner.query(`CREATE INDEX "ix_reception_supersedes" ON "reception_entries" ("supersedes_id") `);
      await queryRunner.query(`ALTER TABLE "outcomes" RENAME TO "temporary_outcomes"`);
      await queryRunner.query(
        `CREATE TABLE "outcomes" ("appearance_id" varchar(36) PRIMARY KEY NOT NULL, "result" varchar(24) NOT NULL, "attendance" integer, "conversations" integer, "leads" integer, "applications_started" integer, "mitigations_used" text NOT NULL DEFAULT ('[]'), "notes" text NOT NULL DEFAULT (''), "submitted_by_id" varchar(36) NOT NULL, "submitted_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`,
      );
      await queryRunner.query(
        `INSERT INTO "outcomes"("appearance_id", "result", "attendance", "conversations", "leads", "applications_started", "mitigations_used", "notes", "submitted_by_id", "submitted_at", "updated_at") SELECT "appearance_id", "result", "attendance", "conversations", "leads", "applications_started", "mitigations_used", "notes", "submitted_by_id", "submitted_at", "updated_at" FROM "temporary_outcomes"`,
      );
      await queryRunner.query(`DROP TABLE "temporary_outcomes"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_institution_evidence"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_state_occurred"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_occurred"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_appearance"`);
      await queryRunner.query(`DROP INDEX "uq_incidents_import_key"`);
      await queryRunner.query(`ALTER TABLE "incidents" RENAME TO "temporary_incidents"`);
      await queryRunner.query(
        `CREATE TABLE "incidents" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "institution_id" varchar(36) NOT NULL, "state" varchar(64) NOT NULL DEFAULT (''), "appearance_id" varchar(36), "kind" varchar(32) NOT NULL, "occurred_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "severity" integer NOT NULL, "crowd_size" varchar(16) NOT NULL DEFAULT ('unknown'), "impact" varchar(16) NOT NULL DEFAULT ('none'), "target" varchar(24) NOT NULL, "source" varchar(16) NOT NULL, "verification" varchar(16) NOT NULL DEFAULT ('reported'), "dispute_statement" text, "dispute_recorded_by_id" varchar(36), "dispute_recorded_at" bigint, "description" text, "description_expired_at" bigint, "recorded_by_id" varchar(36), "import_key" varchar(200), "version" integer NOT NULL DEFAULT (1))`,
      );
      await queryRunner.query(
        `INSERT INTO "incidents"("id", "created_at", "updated_at", "institution_id", "state", "appearance_id", "kind", "occurred_at", "recorded_at", "severity", "crowd_size", "impact", "target", "source", "verification", "dispute_statement", "dispute_recorded_by_id", "dispute_recorded_at", "description", "description_expired_at", "recorded_by_id", "import_key", "version") SELECT "id", "created_at", "updated_at", "institution_id", "state", "appearance_id", "kind", "occurred_at", "recorded_at", "severity", "crowd_size", "impact", "target", "source", "verification", "dispute_statement", "dispute_recorded_by_id", "dispute_recorded_at", "description", "description_expired_at", "recorded_by_id", "import_key", "version" FROM "temporary_incidents"`,
      );
      await queryRunner.query(`DROP TABLE "temporary_incidents"`);
      await queryRunner.query(`CREATE INDEX "ix_incidents_institution_evidence" ON "incidents" ("institution_id", "recorded_at", "occurred_at", "target", "severity", "verification") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_state_occurred" ON "incidents" ("state", "occurred_at") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_occurred" ON "incidents" ("occurred_at") `);
      await queryRunner.query(`CREATE INDEX "ix_incidents_appearance" ON "incidents" ("appearance_id") `);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_incidents_import_key" ON "incidents" ("import_key") `);
      await queryRunner.query(`DROP INDEX "ix_appearances_window"`);
      await queryRunner.query(`DROP INDEX "ix_appearances_office_window"`);
      await queryRunner.query(`DROP INDEX "ix_appearances_institution_window"`);
      await queryRunner.query(`ALTER TABLE "appearances" RENAME TO "temporary_appearances"`);
      await queryRunner.query(
        `CREATE TABLE "appearances" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "institution_id" varchar(36) NOT NULL, "office_id" varchar(36) NOT NULL, "kind" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "starts_at" bigint NOT NULL, "ends_at" bigint NOT NULL, "time_zone" varchar(64) NOT NULL, "venue" varchar(300) NOT NULL DEFAULT (''), "format" varchar(16) NOT NULL, "audience" varchar(16) NOT NULL, "expected_attendance" integer, "visible_branding" boolean NOT NULL DEFAULT (0), "protest_announced" boolean NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL DEFAULT ('planned'), "version" integer NOT NULL DEFAULT (1), "sequence" integer NOT NULL DEFAULT (0), "briefing_offsets" text, "disrupted" boolean NOT NULL DEFAULT (0), "cancel_reason" varchar(500), "created_by_id" varchar(36))`,
      );
      await queryRunner.query(
        `INSERT INTO "appearances"("id", "created_at", "updated_at", "institution_id", "office_id", "kind", "title", "starts_at", "ends_at", "time_zone", "venue", "format", "audience", "expected_attendance", "visible_branding", "protest_announced", "status", "version", "sequence", "briefing_offsets", "disrupted", "cancel_reason", "created_by_id") SELECT "id", "created_at", "updated_at", "institution_id", "office_id", "kind", "title", "starts_at", "ends_at", "time_zone", "venue", "format", "audience", "expected_attendance", "visible_branding", "protest_announced", "status", "version", "sequence", "briefing_offsets", "disrupted", "cancel_reason", "created_by_id" FROM "temporary_appearances"`,
      );
      await queryRunner.query(`DROP TABLE "temporary_appearances"`);
      await queryRunner.query(`CREATE INDEX "ix_appearances_window" ON "appearances" ("starts_at", "status") `);
      await queryRunner.query(`CREATE INDEX "ix_appearances_office_window" ON "appearances" ("office_id", "starts_at") `);
      await queryRunner.query(`CREATE INDEX "ix_appearances_institution_window" ON "appearances" ("institution_id", "starts_at") `);
      await queryRunner.query(`DROP INDEX "ix_appearance_recruiters_user"`);
      await queryRunner.query(`ALTER TABLE "appearance_recruiters" RENAME TO "temporary_appearance_recruiters"`);
      await queryRunner.query(`CREATE TABLE "appearance_recruiters" ("appearance_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, PRIMARY KEY ("appearance_id", "user_id"))`);
      await queryRunner.query(`INSERT INTO "appearance_recruiters"("appearance_id", "user_id") SELECT "appearance_id", "user_id" FROM "temporary_appearance_recruiters"`);
      await queryRunner.query(`DROP TABLE "temporary_appearance_recruiters"`);
      await queryRunner.query(`CREATE INDEX "ix_appearance_recruiters_user" ON "appearance_recruiters" ("user_id", "appearance_id") `);
      await queryRunner.query(`DROP INDEX "uq_users_calendar_token"`);
      await queryRunner.query(`DROP INDEX "ix_users_office"`);
      await queryRunner.query(`DROP INDEX "uq_users_email"`);
      await queryRunner.query(`ALTER TABLE "users" RENAME TO "temporary_users"`);
      await queryRunner.query(
        `CREATE TABLE "users" ("id" varchar(36) PRIMARY KEY NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "email" varchar(254) NOT NULL, "display_name" varchar(200) NOT NULL, "role" varchar(16) NOT NULL, "office_id" varchar(36), "password_hash" varchar(200) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "calendar_token" varchar(64) NOT NULL, "token_version" integer NOT NULL DEFAULT (0), "muted_kinds" text NOT NULL DEFAULT ('[]'))`,
      );
      await queryRunner.query(
        `INSERT INTO "users"("id", "created_at", "updated_at", "email", "display_name", "role", "office_id", "password_hash", "active", "calendar_token", "token_version", "muted_kinds") SELECT "id", "created_at", "updated_at", "email", "display_name", "role", "office_id", "password_hash", "active", "calendar_token", "token_version", "muted_kinds" FROM "temporary_users"`,
      );
      await queryRunner.query(`DROP TABLE "temporary_users"`);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_calendar_token" ON "users" ("calendar_token") `);
      await queryRunner.query(`CREATE INDEX "ix_users_office" ON "users" ("office_id") `);
      await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email") `);
      await queryRunner.query(`DROP INDEX "ix_risk_appearance_asof"`);
      await queryRunner.query(`DROP INDEX "ix_risk_created"`);
      await queryRunner.query(`DROP TABLE "risk_assessments"`);
      await queryRunner.query(`DROP INDEX "ix_reception_institution_effective"`);
      await queryRunner.query(`DROP INDEX "ix_reception_recorded"`);
      await queryRunner.query(`DROP INDEX "ix_reception_supersedes"`);
      await queryRunner.query(`DROP TABLE "reception_entries"`);
      await queryRunner.query(`DROP TABLE "outcomes"`);
      await queryRunner.query(`DROP INDEX "ix_notifications_due"`);
      await queryRunner.query(`DROP INDEX "ix_notifications_appearance"`);
      await queryRunner.query(`DROP INDEX "ix_notifications_recipient"`);
      await queryRunner.query(`DROP INDEX "uq_notifications_idempotency"`);
      await queryRunner.query(`DROP TABLE "notifications"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_institution_evidence"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_state_occurred"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_occurred"`);
      await queryRunner.query(`DROP INDEX "ix_incidents_appearance"`);
      await queryRunner.query(`DROP INDEX "uq_incidents_import_key"`);
      await queryRunner.query(`DROP TABLE "incidents"`);
      await queryRunner.query(`DROP INDEX "ix_audit_at"`);
      await queryRunner.query(`DROP INDEX "ix_audit_entity"`);
      await queryRunner.query(`DROP INDEX "ix_audit_actor"`);
      await queryRunner.query(`DROP TABLE "audit_entries"`);
      await queryRunner.query(`DROP INDEX "ix_appearances_window"`);
      await queryRunner.query(`DROP INDEX "ix_appearances_office_window"`);
      await queryRunner.query(`DROP INDEX "ix_appearances_institution_window"`);
      await queryRunner.query(`DROP TABLE "appearances"`);
      await queryRunner.query(`DROP INDEX "ix_appearance_recruiters_user"`);
      await queryRunner.query(`DROP TABLE "appearance_recruiters"`);
      await queryRunner.query(`DROP INDEX "uq_users_calendar_token"`);
      await queryRunner.query(`DROP INDEX "ix_users_office"`);
      await queryRunner.query(`DROP INDEX "uq_users_email"`);
      await queryRunner.query(`DROP TABLE "users"`);
      await queryRunner.query(`DROP INDEX "uq_offices_name"`);
      await queryRunner.query(`DROP TABLE "offices"`);
      await queryRunner.query(`DROP INDEX "uq_institutions_dedupe"`);
      await queryRunner.query(`DROP INDEX "ix_institutions_search"`);
      await queryRunner.query(`DROP INDEX "ix_institutions_state_kind"`);
      await queryRunner.query(`DROP INDEX "ix_institutions_external_id"`);
      await queryRunner.query(`DROP TABLE "institutions"`);
    }
  }
}
