import { checksum, generateToken, hashToken, looksLikeApiToken, parseToken, TOKEN_PATTERN, tokenHint } from './token-format';

describe('API token format', () => {
  it.each(['personal', 'service'] as const)('makes %s tokens that match the published pattern and their checksum', (kind) => {
    const t = generateToken(kind);
    expect(t).toMatch(TOKEN_PATTERN);
    expect(t.startsWith(kind === 'personal' ? 'fwp_' : 'fws_')).toBe(true);
    expect(parseToken(t)).toBe(kind);
    expect(looksLikeApiToken(t)).toBe(true);
  });

  it('makes a different token every time', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateToken('personal')));
    expect(seen.size).toBe(200);
  });

  it.each([
    ['one character changed', (t: string) => t.slice(0, 10) + (t[10] === 'a' ? 'b' : 'a') + t.slice(11)],
    ['checksum changed', (t: string) => t.slice(0, -1) + (t.endsWith('0') ? '1' : '0')],
    ['prefix of the other kind', (t: string) => `fws_${t.slice(4)}`],
    ['too short', (t: string) => t.slice(0, -2)],
    ['not base62', (t: string) => `${t.slice(0, -7)}-${t.slice(-6)}`],
    ['a JWT', () => 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
  ])('refuses a token with %s', (_name, mangle) => {
    expect(parseToken(mangle(generateToken('personal')))).toBeNull();
  });

  it('checksums are 6 base62 characters of the CRC-32 of prefix and random part', () => {
    expect(checksum('abc')).toMatch(/^[0-9A-Za-z]{6}$/);
    expect(checksum('abc')).toBe(checksum('abc'));
    expect(checksum('abc')).not.toBe(checksum('abd'));
  });

  it('stores a SHA-256 hex digest and shows only the first characters', () => {
    const t = generateToken('service');
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t.slice(4));
    expect(tokenHint(t)).toBe(`${t.slice(0, 10)}…`);
  });
});
