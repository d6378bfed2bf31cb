import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedHook {
  id: string;
  timestamp: string;
  signatures: string[];
  headers: Record<string, string>;
  body: string;
  json: any;
  /** Which of the receiver's secrets verified the delivery (standardwebhooks' Webhook.verify). */
  verifiedWith: number[];
}

/**
 * A real HTTP receiver on loopback. Every delivery is checked with the `standardwebhooks` package
 * against each secret it knows (a delivery none of them verifies is counted in `rejected` and
 * answered 401). It can answer a chosen status, and stop and start again on the same port.
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  rejected = 0;
  status = 200;
  secrets: string[] = [];
  /** Skip verification (chat receivers: Slack and Teams sign nothing). */
  verify = true;
  private server: Server | null = null;
  private waiters: (() => void)[] = [];

  private constructor(public port: number) {}

  static async start(port = 0): Promise<WebhookReceiver> {
    const r = new WebhookReceiver(port);
    await r.listen();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Deliveries by webhook-id: how many times each arrived. */
  countsById(): Map<string, number> {
    const m = new Map<string, number>();
    for (const h of this.received) m.set(h.id, (m.get(h.id) ?? 0) + 1);
    return m;
  }

  onDelivery(fn: () => void): void {
    this.waiters.push(fn);
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      void read(req).then((body) => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const verifiedWith = this.verify ? this.secrets.map((s, i) => (verifies(s, body, headers) ? i : -1)).filter((i) => i >= 0) : [];
        if (this.verify && !verifiedWith.length) {
          this.rejected++;
          res.writeHead(401).end('bad signature');
          return;
        }
        if (this.status >= 200 && this.status < 300) {
          let json: unknown = null;
          try {
            json = JSON.parse(body);
          } catch {
            /* recorded as text */
          }
          this.received.push({ id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signatures: (headers['webhook-signature'] ?? '').split(' '), headers, body, json, verifiedWith });
        }
        res.writeHead(this.status, { 'content-type': 'text/plain' }).end(this.status < 300 ? 'ok' : `failing with ${this.status} ${'x'.repeat(2000)}`);
        for (const w of this.waiters) w();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

function verifies(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });
}
