import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtService } from '@nestjs/jwt';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createAdapter, prepareDatabase } from '../../src/app.setup';
import { Clock, FixedClock } from '../../src/common/clock';
import { appConfig, authConfig, databaseConfig, ssoConfig } from '../../src/config';
import type { AppConfig, AuthConfig, SsoConfig } from '../../src/config';
import { DatabaseService } from '../../src/database/database.service';
import { createTestDatabase, TestDatabase } from './databases';
import { Factories } from './factories';

/** The first admin's password in every test app that does not choose one. */
export const TEST_ADMIN_PASSWORD = 'test-admin-lantern-harbour';

export interface TestAppOptions {
  /** Start time of the injected clock (default 2026-01-15T12:00Z). */
  now?: string | number;
  app?: Partial<AppConfig>;
  auth?: Partial<AuthConfig>;
  /** Single sign-on settings (default: off). */
  sso?: Partial<SsoConfig>;
  /** Reuse a SQLite file (restart tests); ignored on PostgreSQL. */
  sqlitePath?: string;
  /** Reuse a database created earlier (restart tests, two instances). */
  database?: TestDatabase;
  /** Extra provider overrides (e.g. a mail transport pointed at a test SMTP server). */
  override?: (b: TestingModuleBuilder) => TestingModuleBuilder;
}

export interface TestApp {
  app: NestFastifyApplication;
  db: DataSource;
  /** A write through the app's DatabaseService (its lock, its after-commit work), as the services make them. */
  write: <T>(fn: (m: EntityManager) => Promise<T>) => Promise<T>;
  clock: FixedClock;
  database: TestDatabase;
  factories: Factories;
  /** supertest against the real HTTP server. */
  http: () => ReturnType<typeof request>;
  /** A bearer header for a user (signs a real JWT with the app's key). */
  auth: (user: { id: string; email: string; role: string; officeId: string | null; tokenVersion?: number }) => { Authorization: string };
  close: (opts?: { keepDatabase?: boolean }) => Promise<void>;
}

/**
 * Boots the real AppModule on Fastify with a fresh database (SQLite file, or a new PostgreSQL
 * database when the e2e-postgres project runs), runs the real migrations, listens on a random
 * loopback port. Only the clock and config are replaced.
 */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase({ sqlitePath: opts.sqlitePath }));
  const clock = new FixedClock(opts.now === undefined ? Date.UTC(2026, 0, 15, 12) : new Date(opts.now).getTime());
  const baseApp = appConfig();
  const appCfg: AppConfig = { ...baseApp, publicUrl: 'http://forewarn.test', schedulerEnabled: false, importReportDir: join(tmpdir(), 'forewarn-test-import-reports'), ...opts.app };
  // A known first-admin password: a generated one would be printed by every test app.
  const authCfg: AuthConfig = { ...authConfig(), adminPassword: TEST_ADMIN_PASSWORD, loginRateLimit: 1000, loginAccountLimit: 1000, feedMissLimit: 1000, ...opts.auth };
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(databaseConfig.KEY)
    .useValue(database.config)
    .overrideProvider(appConfig.KEY)
    .useValue(appCfg)
    .overrideProvider(authConfig.KEY)
    .useValue(authCfg)
    .overrideProvider(ssoConfig.KEY)
    .useValue({ ...ssoConfig(), ...opts.sso });
  if (opts.override) builder = opts.override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(appCfg.bodyLimit, appCfg.requestTimeoutMs), { logger: ['error', 'warn'] });
  await configureApp(app);
  await prepareDatabase(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const db = app.get(DataSource);
  const jwt = app.get(JwtService);
  const factories = new Factories(db, clock);
  return {
    app,
    db,
    write: (fn) => app.get(DatabaseService).write(fn),
    clock,
    database,
    factories,
    http: () => request(app.getHttpServer()),
    auth: (u) => ({
      Authorization: `Bearer ${jwt.sign({ sub: u.id, email: u.email, role: u.role, office: u.officeId, tv: u.tokenVersion ?? 0, jti: randomUUID() })}`,
    }),
    close: async (o) => {
      await app.close();
      if (!o?.keepDatabase) await database.drop();
    },
  };
}
