import fastifyCookie, { Signer } from '@fastify/cookie';
import { INestApplication, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import helmet from '@fastify/helmet';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, OpenAPIObject } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { KeyRing } from './auth/key-ring';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { completeDocument } from './common/openapi-document';
import { ErrorBody } from './common/error-body';
import { assertCleanRequest } from './common/input-guard';
import { createValidationPipe } from './common/validation';
import { appConfig } from './config';
import { withMigrationLock } from './database/migrate';
import { UsersService } from './users/users.service';

/**
 * The Fastify adapter with the configured body limit and request timeout: a request whose headers
 * and body have not all arrived within requestTimeoutMs is answered 408 and closed (Node checks
 * open requests every quarter of that, at least every second), so a client trickling its body
 * cannot hold a connection open.
 */
export function createAdapter(bodyLimit: number, requestTimeoutMs = 20_000): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit,
    trustProxy: false,
    logger: false,
    requestTimeout: requestTimeoutMs,
    // Node enforces requestTimeout only with a headersTimeout no longer than it (its default is 60 s)
    http: { connectionsCheckingInterval: Math.min(1000, Math.ceil(requestTimeoutMs / 4)), headersTimeout: Math.min(60_000, requestTimeoutMs) },
  });
}

/** For HTML that sets no policy of its own (API docs, mail-link pages): same-origin scripts and styles only. */
const HTML_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

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
        "Times: send ISO-8601 with an offset, or a local date-time plus the venue's IANA time zone.",
        '',
        'Privacy: Forewarn records what happened to outreach and how institutions responded, never who protested.',
      ].join('\n'),
    )
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer(app.get<ConfigType<typeof appConfig>>(appConfig.KEY).publicUrl, 'This instance (PUBLIC_URL)')
    .addBearerAuth()
    .build();
  return completeDocument(app, SwaggerModule.createDocument(app, config, { extraModels: [ErrorBody] }));
}

/** Everything main.ts and the tests share: filter, validation, body parsers, OpenAPI. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const cfg = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  // Security headers on every response (nosniff, frame options, referrer policy...); HSTS only when
  // served over https; a Content-Security-Policy on HTML (JSON and CSV need none).
  await app.register(helmet, {
    contentSecurityPolicy: false,
    hsts: cfg.publicUrl.startsWith('https://') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Before any pipe or handler: bounded nesting, no NUL, well-formed Unicode in body, query and path.
  fastify.addHook('preValidation', async (req) => assertCleanRequest(req));
  fastify.addHook('onSend', async (_req, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html') && !reply.hasHeader('content-security-policy')) {
      void reply.header('Content-Security-Policy', HTML_CSP);
    }
    return payload;
  });
  // Cookies of the pages (session, CSRF secret) are parsed and signed by @fastify/cookie, with a key
  // of the key ring (derived from the master secret; read when the first cookie is signed, after start-up)
  const ring = app.get(KeyRing);
  let signer: { sign(v: string): string; unsign(v: string): unknown } | null = null;
  const cookieSigner = () => (signer ??= new Signer(ring.cookieKey.toString('base64url')));
  await app.register(fastifyCookie as never, { secret: { sign: (v: string) => cookieSigner().sign(v), unsign: (v: string) => cookieSigner().unsign(v) } });
  // CSV uploads are handed to the handler as a stream (parsed row by row, never buffered whole).
  fastify.addContentTypeParser(['text/csv', 'application/csv'], { bodyLimit: cfg.importLimit }, (_req, payload, done) => done(null, payload));
  const doc = buildOpenApi(app);
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

/** Runs pending migrations and creates the first admin. Called once at start-up (and by tests). */
export async function prepareDatabase(app: INestApplication): Promise<void> {
  const db = app.get(DataSource);
  // Several instances may start at once on one PostgreSQL database: they take turns (advisory lock).
  await withMigrationLock(db, async () => {
    const ran = await db.runMigrations({ transaction: 'each' });
    if (ran.length) new Logger('Database').log(`Applied ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}`);
    await app.get(KeyRing).load();
    await app.get(UsersService).ensureInitialAdmin();
  });
}
