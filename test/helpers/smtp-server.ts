import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  rcptTo: string[];
  parsed: ParsedMail;
  messageId: string;
}

/**
 * A real SMTP server on 127.0.0.1 (random port, no auth, no STARTTLS) that keeps every message it
 * accepts, parsed with mailparser. `stop()` / `start()` simulate a relay outage on the same port;
 * `waitFor(n)` resolves when n messages have arrived (no sleeping).
 */
export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  private waiters: { n: number; resolve: () => void }[] = [];
  private listeners: ((m: ReceivedMail) => void)[] = [];
  port = 0;

  /** Addresses the server refuses with 550 (a permanent failure). */
  readonly rejected = new Set<string>();

  static async start(opts: { parse?: boolean } = {}): Promise<TestSmtpServer> {
    const s = new TestSmtpServer(opts.parse ?? true);
    await s.listen(0);
    return s;
  }

  private constructor(private readonly parse: boolean) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Called for every accepted message (e.g. to kill a child process mid-batch). */
  onMessage(fn: (m: ReceivedMail) => void): void {
    this.listeners.push(fn);
  }

  private listen(port: number): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 50,
      size: 10 * 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        if (this.rejected.has(address.address)) {
          const err = new Error('Mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 550;
          return callback(err);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const rcptTo = session.envelope.rcptTo.map((r) => r.address);
        if (!this.parse) {
          // Bench mode: drain only, read the Message-ID header cheaply.
          let head = '';
          stream.on('data', (c: Buffer) => {
            if (head.length < 4096) head += c.toString('latin1');
          });
          stream.on('end', () => {
            const messageId = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? '';
            this.accept({ rcptTo, messageId, parsed: undefined as unknown as ParsedMail });
            callback();
          });
          return;
        }
        simpleParser(stream)
          .then((parsed) => {
            this.accept({ rcptTo, parsed, messageId: parsed.messageId ?? '' });
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.on('error', () => undefined);
      const net = (server as unknown as { server: import('node:net').Server }).server;
      net.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (net.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(m: ReceivedMail): void {
    this.messages.push(m);
    for (const l of this.listeners) l(m);
    const n = this.messages.length;
    this.waiters = this.waiters.filter((w) => (w.n <= n ? (w.resolve(), false) : true));
  }

  waitFor(n: number): Promise<void> {
    if (this.messages.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** Messages to one address. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.rcptTo.includes(address));
  }

  clear(): void {
    this.messages.length = 0;
  }

  /** Relay outage: drop connections and stop listening (the port stays ours to restart on). */
  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    const conns = (s as unknown as { connections: Set<{ close(): void }> }).connections;
    for (const c of conns) c.close();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Back after an outage, on the same port. */
  async restart(): Promise<void> {
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.stop();
  }
}
