import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk that forewarns (RISK_MODEL §1, §4, §7):
 *  - incidents.topic_mask: what an incident was about (a bit per topic, common/topics.ts). Existing
 *    rows get what their target says: actions against peer recruiters → recruiting and employers
 *    (bit 1), general campus activism → other (bit 6); incidents aimed at the organisation keep no
 *    topic (0). Re-importing a campus-protest file fills in the real topics of its rows.
 *  - institutions.highest_degree (College Scorecard), beside the ownership already kept.
 *  - risk_parameter_sets (versioned, fitted parameters with their back-test) and risk_settings
 *    (the organisation's topic relations).
 *  - the covering evidence index gains topic_mask, so the by-relation sums stay index-only.
 */
export class RiskTopicsAndParameterSets1797000000000 implements MigrationInterface {
  name = 'RiskTopicsAndParameterSets1797000000000';

  public async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    if (pg) {
      await q.query(`DROP INDEX "public"."ix_incidents_risk_evidence"`);
      await q.query(
        `CREATE TABLE "risk_parameter_sets" ("version" character varying(40) NOT NULL, "params" text NOT NULL, "report" text, "beats_baselines" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT false, "created_at" bigint NOT NULL, "created_by_id" character varying(36), "activated_at" bigint, "activated_by_id" character varying(36), CONSTRAINT "PK_f2ce89483b27f3bff42bcb3c208" PRIMARY KEY ("version"))`,
      );
      await q.query(
        `CREATE TABLE "risk_settings" ("key" character varying(64) NOT NULL, "value" text NOT NULL, "updated_at" bigint NOT NULL, "updated_by_id" character varying(36), CONSTRAINT "PK_740e86f70fcc89c4dd0110715a0" PRIMARY KEY ("key"))`,
      );
      await q.query(`ALTER TABLE "institutions" ADD "highest_degree" character varying(20)`);
      await q.query(`ALTER TABLE "incidents" ADD "topic_mask" integer NOT NULL DEFAULT '0'`);
    } else {
      await q.query(`DROP INDEX "ix_incidents_risk_evidence"`);
      await q.query(
        `CREATE TABLE "risk_parameter_sets" ("version" varchar(40) PRIMARY KEY NOT NULL, "params" text NOT NULL, "report" text, "beats_baselines" boolean NOT NULL DEFAULT (0), "active" boolean NOT NULL DEFAULT (0), "created_at" bigint NOT NULL, "created_by_id" varchar(36), "activated_at" bigint, "activated_by_id" varchar(36))`,
      );
      await q.query(`CREATE TABLE "risk_settings" ("key" varchar(64) PRIMARY KEY NOT NULL, "value" text NOT NULL, "updated_at" bigint NOT NULL, "updated_by_id" varchar(36))`);
      await q.query(`ALTER TABLE "institutions" ADD COLUMN "highest_degree" varchar(20)`);
      await q.query(`ALTER TABLE "incidents" ADD COLUMN "topic_mask" integer NOT NULL DEFAULT (0)`);
    }
    await q.query(`UPDATE incidents SET topic_mask = CASE target WHEN 'peer_recruiters' THEN 2 WHEN 'general_activism' THEN 64 ELSE 0 END`);
    await q.query(
      `CREATE INDEX "ix_incidents_risk_evidence" ON "incidents" ("state", "institution_id", "occurred_at", "recorded_at", "target", "kind", "severity", "verification", "appearance_id", "topic_mask") `,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    await q.query(`DROP INDEX ${pg ? '"public".' : ''}"ix_incidents_risk_evidence"`);
    await q.query(`ALTER TABLE "incidents" DROP COLUMN "topic_mask"`);
    await q.query(`ALTER TABLE "institutions" DROP COLUMN "highest_degree"`);
    await q.query(`DROP TABLE "risk_settings"`);
    await q.query(`DROP TABLE "risk_parameter_sets"`);
    await q.query(`CREATE INDEX "ix_incidents_risk_evidence" ON "incidents" ("state", "institution_id", "occurred_at", "recorded_at", "target", "kind", "severity", "verification", "appearance_id") `);
  }
}
