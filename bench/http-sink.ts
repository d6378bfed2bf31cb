/**
 * A loopback HTTP receiver in its own process for bench/webhooks.bench.ts (so receiving does not
 * compete with the sender's event loop). Answers every POST 200 "ok". Prints "port <n>"; on a
 * "report" line on stdin prints {"total":n,"unique":m} (requests, distinct webhook-ids) and resets;
 * exits on "exit".
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

async function main(): Promise<void> {
  let total = 0;
  let ids = new Set<string>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      total++;
      const id = req.headers['webhook-id'];
      if (typeof id === 'string') ids.add(id);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === 'report') {
      process.stdout.write(`${JSON.stringify({ total, unique: ids.size })}\n`);
      total = 0;
      ids = new Set();
    } else if (line.trim() === 'exit') {
      server.close();
      process.exit(0);
    }
  }
}

void main();
