import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL: the ~4 KB `detail` of every risk snapshot is compressed with lz4 instead of pglz
 * (PostgreSQL 14+ built with lz4; elsewhere nothing changes). A full refresh writes 10,000 of them,
 * and pglz was a large share of its INSERTs (bench/risk.bench.ts). Rows written before keep pglz;
 * both read the same. SQLite stores text as it is.
 */
export class RiskDetailLz41799000000000 implements MigrationInterface {
  name = 'RiskDetailLz41799000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(`DO $$ BEGIN
      ALTER TABLE "risk_assessments" ALTER COLUMN "detail" SET COMPRESSION lz4;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'risk_assessments.detail keeps the default compression: %', SQLERRM;
    END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(`DO $$ BEGIN
      ALTER TABLE "risk_assessments" ALTER COLUMN "detail" SET COMPRESSION default;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'risk_assessments.detail compression unchanged: %', SQLERRM;
    END $$`);
  }
}
