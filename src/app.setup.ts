import fastifyCookie from '@fastify/cookie';
import { createHash } from 'node:crypto';
import { INestApplication, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, OpenAPIObject } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { ErrorBody } from './common/error-body';
import { assertCleanRequest } from './common/input-guard';
import { createValidationPipe } from './common/validation';
import { appConfig, authConfig } from './config';
import { UsersService } from './users/users.service';

/** The Fastify adapter with the configured body limit. */
export function createAdapter(bodyLimit: number): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit, trustProxy: false, logger: false });
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Forewarn API')
    .setDescription(
      [
        'Plan outreach appearances, keep an honest ledger of how institutions receive the organisation,',
        'assess the risk of disruption before every appearance and warn the people going there.',
        '',
        'Sign in with POST /auth/login and send `Authorization: Bearer <token>`.',
        'Every error has the same shape (ErrorBody): status, a stable code, a message and per-field reasons.',
        'Times: send ISO-8601 with an offset, or a local date-time plus the venue\'s IANA time zone.',
        '',
        'Privacy: Forewarn records what happened to outreach and how institutions responded, never who protested.',
      ].join('\n'),
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ErrorBody] });
}

/** Everything main.ts and the tests share: filter, validation, body parsers, OpenAPI. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const cfg = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  // Before any pipe or handler: bounded nesting, no NUL, well-formed Unicode in body, query and path.
  fastify.addHook('preValidation', async (req) => assertCleanRequest(req));
  // Cookies of the pages (session, CSRF secret) are parsed and signed by @fastify/cookie, with a key derived from JWT_SECRET.
  const auth = app.get<ConfigType<typeof authConfig>>(authConfig.KEY);
  await app.register(fastifyCookie as never, { secret: createHash('sha256').update(`cookies.${auth.jwtSecret}`).digest('base64url') });
  // CSV uploads are handed to the handler as a stream (parsed row by row, never buffered whole).
  fastify.addContentTypeParser(['text/csv', 'application/csv'], { bodyLimit: cfg.importLimit }, (_req, payload, done) => done(null, payload));
  const doc = buildOpenApi(app);
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

/** Runs pending migrations and creates the first admin. Called once at start-up (and by tests). */
export async function prepareDatabase(app: INestApplication): Promise<void> {
  const db = app.get(DataSource);
  const ran = await db.runMigrations({ transaction: 'each' });
  if (ran.length) new Logger('Database').log(`Applied ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}`);
  await app.get(UsersService).ensureInitialAdmin();
}
