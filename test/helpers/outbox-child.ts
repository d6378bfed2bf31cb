/**
 * A separate Forewarn process for the crash test: boots the real AppModule (no HTTP) on the SQLite
 * file and SMTP server named in the environment, dispatches everything due at FW_DISPATCH_AT (or
 * now), prints the report as one JSON line and exits. The parent kills it with SIGKILL mid-batch.
 * Run: node -r ts-node/register/transpile-only test/helpers/outbox-child.ts
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.service';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  const at = process.env.FW_DISPATCH_AT ? Number(process.env.FW_DISPATCH_AT) : Date.now();
  process.stdout.write('ready\n');
  const report = await app.get(NotificationDispatcher).dispatchDue(at);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await app.close();
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
