import fs from 'node:fs';
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

const hex = (k: KeyRing) => [k.tokenKey, k.linkKey, k.cookieKey, k.secretsKey].map((b) => b.toString('hex'));

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

describe('key ring: the derived keys stay the same from one version to the next', () => {
  // Links already mailed, sign-in tokens in use and the secrets encrypted at rest were made with these
  // keys: a change in the derivation (salt, a use's label) would silently invalidate all of them.
  it('derives the known keys (HKDF-SHA256, salt "forewarn", one label per use) from a known secret', async () => {
    const k = ring({ jwtSecret: STRONG }, ':memory:');
    await k.load();
    expect(hex(k)).toEqual([
      '092243b98aacb06234ac73f72ba03425b3b646bbb5a3ab4e41ba7d015697a34b',
      'cbc6256b6c322dce51358f65b1c51cf2df9e0fbf9678e92cc8cbb1fd455108eb',
      '406de201ad6a16bc0620dadbc8b2eec20fe29b7eef294486a17ba85d9cce7c79',
      'd7be824b11bb74bb912e7a0b3e15ce827b318a0d986fd6ce25502032b173afaa',
    ]);
  });
});

describe('key ring: what it tells the operator, and the races on the secret file', () => {
  let dir: string;
  let lines: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fw-keys-'));
    lines = [];
    const note = (level: string) => (message: unknown) => void lines.push(`${level}: ${String(message)}`);
    Logger.overrideLogger({ log: note('log'), warn: note('warn'), error: note('error') });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    Logger.overrideLogger(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says where it stored a generated secret, and nothing more when it was created private', async () => {
    const db = join(dir, 'fw.sqlite');
    await ring({}, db).load();
    expect(lines).toEqual([`log: Generated the signing secret and stored it in ${db}.secret (mode 0600)`]);
    lines.length = 0;
    await ring({}, db).load();
    expect(lines).toEqual([]);
  });

  it('warns when it had to make a readable secret file private', async () => {
    const file = join(dir, 'secret');
    writeFileSync(file, `${STRONG}\n`, { mode: 0o640 });
    await ring({ secretFile: file }, ':memory:').load();
    expect(lines).toEqual([`warn: ${file} was readable by others; now mode 0600`]);
  });

  it('warns that an in-memory database without JWT_SECRET gets a secret for this process only', async () => {
    await ring({}, ':memory:').load();
    expect(lines).toEqual(['warn: In-memory database and no JWT_SECRET: a new secret for this process only']);
  });

  it('another process creating the file first wins: its secret is used, not overwritten', async () => {
    // The interleaving is made deterministic: the other process writes its secret just after this
    // one found no file.
    const db = join(dir, 'fw.sqlite');
    const realExists = fs.existsSync;
    jest.spyOn(fs, 'existsSync').mockImplementation((p) => {
      if (p === `${db}.secret`) {
        writeFileSync(`${db}.secret`, `${STRONG}\n`, { mode: 0o600 });
        return false;
      }
      return realExists(p);
    });
    const k = ring({}, db);
    await k.load();
    expect(readFileSync(`${db}.secret`, 'utf8')).toBe(`${STRONG}\n`);
    const same = ring({ jwtSecret: STRONG }, ':memory:');
    await same.load();
    expect(hex(k)).toEqual(hex(same));
    expect(lines).toEqual([]);
  });

  it('any other failure to create the file stops the start-up with that failure', async () => {
    // A full disk cannot be arranged here: the write fails as it would.
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    jest.spyOn(fs, 'writeFileSync').mockImplementation(() => {
      throw full;
    });
    await expect(ring({}, join(dir, 'fw.sqlite')).load()).rejects.toBe(full);
  });
});

describe('key ring (PostgreSQL: the app_secrets table)', () => {
  it('takes the secret every instance shares from the database, and writes no file beside a database path', async () => {
    // A stand-in for DatabaseService: the SQL itself runs against PostgreSQL in the secrets e2e spec.
    const calls: string[] = [];
    const db = {
      write: async () => void calls.push('write'),
      read: async () => (calls.push('read'), [{ value: STRONG }]),
    };
    const dir = mkdtempSync(join(tmpdir(), 'fw-keys-'));
    try {
      const k = new KeyRing(db as never, {} as never, { type: 'postgres', sqlitePath: join(dir, 'fw.sqlite') } as never);
      await k.load();
      const same = ring({ jwtSecret: STRONG }, ':memory:');
      await same.load();
      expect(hex(k)).toEqual(hex(same));
      expect(calls).toEqual(['write', 'read']);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
