/**
 * A separate Forewarn process for the webhook crash test: boots the real AppModule (no HTTP) on the
 * SQLite file named in the environment, delivers every webhook due at FW_DISPATCH_AT (or now),
 * prints the report as one JSON line and exits. The parent kills it with SIGKILL mid-batch.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.service';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  const at = process.env.FW_DISPATCH_AT ? Number(process.env.FW_DISPATCH_AT) : Date.now();
  process.stdout.write('ready\n');
  const report = await app.get(WebhookDispatcher).dispatchDue(at);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await app.close();
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
