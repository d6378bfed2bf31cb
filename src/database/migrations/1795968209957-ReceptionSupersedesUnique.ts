import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reception entry can be corrected once: a unique index on supersedes_id makes two concurrent
 * corrections of the same entry impossible (the second gets 409 ALREADY_SUPERSEDED). NULLs (entries
 * that correct nothing) stay unconstrained on both databases.
 */
export class ReceptionSupersedesUnique1795968209957 implements MigrationInterface {
  name = 'ReceptionSupersedesUnique1795968209957';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const pg = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(pg ? 'DROP INDEX "public"."ix_reception_supersedes"' : 'DROP INDEX "ix_reception_supersedes"');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_reception_supersedes" ON "reception_entries" ("supersedes_id") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const pg = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(pg ? 'DROP INDEX "public"."uq_reception_supersedes"' : 'DROP INDEX "uq_reception_supersedes"');
    await queryRunner.query('CREATE INDEX "ix_reception_supersedes" ON "reception_entries" ("supersedes_id") ');
  }
}
