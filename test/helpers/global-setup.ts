import { postgresTemplate, sqliteTemplate } from './template-database';

/**
 * Jest globalSetup of the e2e projects (run once for both, as they name the same file): makes the
 * migrated template databases before the workers start, so that they copy them instead of racing
 * to make them.
 */
export default async function globalSetup(): Promise<void> {
  await sqliteTemplate();
  const admin = process.env.TEST_DATABASE_URL;
  if (admin) await postgresTemplate(admin);
}
