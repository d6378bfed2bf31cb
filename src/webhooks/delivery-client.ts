import http from 'node:http';
import https from 'node:https';
import type { FetchFunction } from '@slack/webhook';
import { UrlPolicy, UrlRefusedError } from './url-guard';

/** How much of a receiver's answer is kept (the delivery log's excerpt). */
export const EXCERPT_BYTES = 300;
/** How much of an answer is read at most (then the connection is dropped). */
const READ_LIMIT = 64 * 1024;

export interface DeliveryResult {
  status: number;
  /** The first EXCERPT_BYTES bytes of the body, as text. */
  excerpt: string;
  latencyMs: number;
}

/** A delivery that got no HTTP answer (refused address, connection error, timeout). */
export class DeliveryFailedError extends Error {
  constructor(
    message: string,
    readonly latencyMs: number,
    /** Refused by the URL policy: retrying cannot help. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryFailedError';
  }
}

/**
 * POSTs JSON to webhook and chat receivers: keep-alive agents whose DNS lookup is checked by the URL
 * policy on every connection, a hard timeout for the whole exchange, redirects never followed (a 3xx
 * is an answer like any other), and at most READ_LIMIT bytes of the answer read, EXCERPT_BYTES kept.
 */
export class DeliveryClient {
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };

  constructor(
    private readonly policy: UrlPolicy,
    private readonly timeoutMs: number,
    maxSockets: number,
  ) {
    this.agents = {
      'http:': new http.Agent({ keepAlive: true, maxSockets, lookup: policy.lookupFor('http:') as never }),
      'https:': new https.Agent({ keepAlive: true, maxSockets, lookup: policy.lookupFor('https:') as never }),
    };
  }

  async post(rawUrl: string, headers: Record<string, string>, body: string): Promise<DeliveryResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = this.policy.checkForm(rawUrl);
    } catch (err) {
      throw new DeliveryFailedError(`refused: the URL ${(err as Error).message}`, 0, true);
    }
    const protocol = url.protocol as 'http:' | 'https:';
    const transport = protocol === 'https:' ? https : http;
    return new Promise<DeliveryResult>((resolve, reject) => {
      const req = transport.request(
        url,
        { method: 'POST', agent: this.agents[protocol], headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          let read = 0;
          res.on('data', (c: Buffer) => {
            read += c.length;
            if (read <= EXCERPT_BYTES + c.length) chunks.push(c);
            if (read > READ_LIMIT) res.destroy();
          });
          const done = () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'), latencyMs: elapsed() });
          };
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        const refused = err instanceof UrlRefusedError;
        reject(new DeliveryFailedError(refused ? `refused: the URL ${err.message}` : `${(err as NodeJS.ErrnoException).code ?? 'ERROR'}: ${err.message}`, elapsed(), refused));
      });
      req.end(body);
    });
  }

  /**
   * The same client as a `fetch` for @slack/webhook's IncomingWebhook (which asks for
   * redirect: "error"; this client never follows one anyway). `onResult` sees each answer.
   */
  fetchFor(onResult: (r: DeliveryResult) => void): FetchFunction {
    return async (input, init) => {
      const r = await this.post(String(input), (init?.headers ?? {}) as Record<string, string>, String(init?.body ?? ''));
      onResult(r);
      const response: Awaited<ReturnType<FetchFunction>> = {
        ok: r.status >= 200 && r.status < 300,
        status: r.status,
        statusText: '',
        url: String(input),
        headers: { get: () => null, entries: () => [][Symbol.iterator]() },
        text: async () => r.excerpt,
        json: async () => JSON.parse(r.excerpt),
        arrayBuffer: async () => new TextEncoder().encode(r.excerpt).buffer as ArrayBuffer,
      };
      return response;
    };
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}
