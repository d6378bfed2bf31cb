import { MigrationInterface, QueryRunner } from 'typeorm';

/** The subject line a notification was sent with (null until it is sent), for the lists of mail. */
export class NotificationSubject1798800001000 implements MigrationInterface {
  name = 'NotificationSubject1798800001000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.options.type === 'postgres' ? 'character varying(300)' : 'varchar(300)';
    await queryRunner.query(`ALTER TABLE "notifications" ADD "subject" ${type}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "subject"`);
  }
}
