import 'reflect-metadata';
import { ConsoleLogger, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createAdapter, prepareDatabase } from './app.setup';
import { readAuthConfig, readDatabaseConfig, ConfigError } from './config';
import { appConfig } from './config/app.config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function bootstrap(): Promise<void> {
  // Validate every config namespace before Nest starts, so a bad value stops start-up with its name.
  const app0 = appConfig();
  readDatabaseConfig();
  readAuthConfig();
  const logLevels = LEVELS.slice(0, LEVELS.indexOf(app0.logLevel as LogLevel) + 1);
  const logger = new ConsoleLogger({ json: true, logLevels });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(app0.bodyLimit, app0.requestTimeoutMs), { logger });
  await configureApp(app);
  await prepareDatabase(app);
  await app.listen(app0.port, app0.host);
  new Logger('Forewarn').log(`Serving on ${app0.publicUrl} (API docs at ${app0.publicUrl}/docs)`);
}

bootstrap().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`Forewarn cannot start.\n${err.message}\n`);
  } else {
    process.stderr.write(`Forewarn failed to start: ${err?.stack ?? err}\n`);
  }
  process.exit(1);
});
