/**
 * A local smtp-server in its own process for bench/outbox.bench.ts (so receiving does not compete
 * with the sender for the same event loop). Prints "port <n>"; on a "report" line on stdin prints
 * {"total":n,"unique":m} (messages accepted, distinct Message-IDs) and resets; exits on "exit".
 */
import { createInterface } from 'node:readline';
import { TestSmtpServer } from '../test/helpers/smtp-server';

async function main(): Promise<void> {
  const sink = await TestSmtpServer.start({ parse: false });
  process.stdout.write(`port ${sink.port}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === 'report') {
      const ids = sink.messages.map((m) => m.messageId);
      process.stdout.write(`${JSON.stringify({ total: ids.length, unique: new Set(ids).size })}\n`);
      sink.clear();
    } else if (line.trim() === 'exit') {
      await sink.close();
      process.exit(0);
    }
  }
}

void main();
