import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { KeyRing } from './key-ring';

// what the key ring logs (secret generated, mode fixed) is not this spec's subject: one line per suite
Logger.overrideLogger(false);

const STRONG = 'c2lnbmluZy1zZWNyZXQtZm9yLWEta2V5LXJpbmctdGVzdC0xMjM0NTY3ODkw';

function ring(auth: { jwtSecret?: string; secretFile?: string }, sqlitePath: string): KeyRing {
  return new KeyRing(null as never, auth as never, { type: 'sqlite', sqlitePath } as never);
}

describe('key ring (SQLite: the secret file)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fw-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to hand out keys before load()', () => {
    expect(() => ring({ jwtSecret: STRONG }, ':memory:').linkKey).toThrow('KeyRing.load() has not run yet');
  });

  it('derives a separate 32-byte key per use from JWT_SECRET, the same every time', async () => {
    const a = ring({ jwtSecret: STRONG }, ':memory:');
    const b = ring({ jwtSecret: STRONG }, ':memory:');
    await a.load();
    await b.load();
    expect(a.linkKey).toHaveLength(32);
    expect(a.linkKey.equals(b.linkKey)).toBe(true);
    expect(a.tokenKey.equals(b.tokenKey)).toBe(true);
    expect(a.cookieKey.equals(b.cookieKey)).toBe(true);
    const keys = [a.tokenKey, a.linkKey, a.cookieKey].map((k) => k.toString('hex'));
    expect(new Set(keys).size).toBe(3);
    const c = ring({ jwtSecret: `${STRONG}x` }, ':memory:');
    await c.load();
    expect(c.linkKey.equals(a.linkKey)).toBe(false);
  });

  it('load() is idempotent: the keys of the first load stay', async () => {
    const db = join(dir, 'fw.sqlite');
    const k = ring({}, db);
    await k.load();
    const first = k.linkKey;
    writeFileSync(`${db}.secret`, `${STRONG}\n`);
    await k.load();
    expect(k.linkKey.equals(first)).toBe(true);
  });

  it('generates the secret beside the database on first start (mode 0600) and reads it back after', async () => {
    const db = join(dir, 'sub', 'fw.sqlite');
    const first = ring({}, db);
    await first.load();
    const file = `${db}.secret`;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(64);
    const again = ring({}, db);
    await again.load();
    expect(again.linkKey.equals(first.linkKey)).toBe(true);
  });

  it('uses SECRET_FILE when set, keeps an existing secret and makes a readable file private', async () => {
    const file = join(dir, 'secret');
    writeFileSync(file, `${STRONG}\n`, { mode: 0o644 });
    const k = ring({ secretFile: file }, ':memory:');
    await k.load();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const same = ring({ jwtSecret: STRONG }, ':memory:');
    await same.load();
    expect(k.linkKey.equals(same.linkKey)).toBe(true);
  });

  it('refuses a weak secret in the file, saying where it is', async () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 'changeme\n', { mode: 0o600 });
    await expect(ring({ secretFile: file }, ':memory:').load()).rejects.toThrow(`The signing secret in ${file} must be at least`);
  });

  it('an in-memory database without JWT_SECRET gets a secret for this process only', async () => {
    const a = ring({}, ':memory:');
    const b = ring({}, ':memory:');
    await a.load();
    await b.load();
    expect(a.linkKey.equals(b.linkKey)).toBe(false);
  });
});
