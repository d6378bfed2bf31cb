import { connect } from 'node:net';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * Sends a JSON request whose body trickles in one byte at a time until the server answers or closes;
 * resolves with what came back and how many body bytes had been sent by then.
 */
function trickle(port: number, bodyLength: number, everyMs: number): Promise<{ response: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let sent = 0;
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearInterval(timer);
      socket.destroy();
      resolve({ response, sent });
    };
    socket.on('connect', () => {
      socket.write(`POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${bodyLength}\r\n\r\n`);
      timer = setInterval(() => {
        if (sent < bodyLength && socket.writable) {
          socket.write(' ');
          sent++;
        }
      }, everyMs);
    });
    socket.on('data', (d) => (response += d.toString()));
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? done() : reject(e)));
  });
}

describe('production posture', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ app: { requestTimeoutMs: 1000 } });
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(() => t.close());

  it('sends security headers on every response: JSON, errors, CSV, HTML', async () => {
    const admin = await t.factories.user('admin');
    for (const res of [
      await t.http().get('/health').expect(200),
      await t.http().get('/me').expect(401),
      await t.http().get('/institutions/export').set(t.auth(admin)).expect(200),
      await t.http().get('/dashboard/login').expect(200),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBeDefined();
      expect(res.headers['strict-transport-security']).toBeUndefined(); // served over http here
    }
  });

  it('gives every HTML page a Content-Security-Policy, the mail-link pages and the API docs included', async () => {
    for (const path of ['/notifications/ack?token=abc', '/notifications/unsubscribe?token=abc', '/docs', '/dashboard/login']) {
      const res = await t.http().get(path).redirects(1);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    }
    const docs = await t.http().get('/docs').redirects(1);
    expect(docs.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script for the policy to block
  });

  it('sends HSTS when it is served over https', async () => {
    const t2 = await createTestApp({ app: { publicUrl: 'https://forewarn.example' } });
    try {
      const res = await t2.http().get('/health').expect(200);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await t2.close();
    }
  });

  it('answers 408 and closes a request whose body trickles in (1 byte every 200 ms of 150)', async () => {
    const port = Number(new URL(await t.app.getUrl()).port);
    const { response, sent } = await trickle(port, 150, 200);
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(sent).toBeLessThan(150);
    await t.http().get('/health').expect(200); // and the service goes on
  });
});
