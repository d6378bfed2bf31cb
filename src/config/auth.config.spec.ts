import { randomBytes } from 'node:crypto';
import { DEFAULT_DEV_SECRET, readAuthConfig } from './auth.config';

describe('auth config: no usable default secret, no weak admin password', () => {
  const strong = randomBytes(36).toString('base64url');

  it('leaves the secret unset when JWT_SECRET is unset (it is generated and stored on first start)', () => {
    expect(readAuthConfig({}).jwtSecret).toBeUndefined();
  });

  it.each([
    ['the development default published in the source', DEFAULT_DEV_SECRET],
    ['too short', 'x7Kp2QmZ9vB4'],
    ['a well-known value', 'supersecret-supersecret-supersecret-1'],
    ['one character repeated', 'a'.repeat(64)],
  ])('refuses JWT_SECRET that is %s, whatever NODE_ENV says', (_, secret) => {
    for (const NODE_ENV of [undefined, 'development', 'test', 'production']) {
      expect(() => readAuthConfig({ NODE_ENV, JWT_SECRET: secret })).toThrow(/JWT_SECRET/);
    }
  });

  it('accepts a long random JWT_SECRET', () => {
    expect(readAuthConfig({ JWT_SECRET: strong }).jwtSecret).toBe(strong);
  });

  it.each(['admin12345', 'password1234', 'qwertyuiop123', 'admin@forewarn.local', 'Forewarn2026'])('refuses ADMIN_PASSWORD %p', (password) => {
    expect(() => readAuthConfig({ ADMIN_PASSWORD: password })).toThrow(/ADMIN_PASSWORD/);
  });

  it.each(['correct horse battery staple', 'vellum-Quarry-41-orbit'])('accepts ADMIN_PASSWORD %p', (password) => {
    expect(readAuthConfig({ ADMIN_PASSWORD: password }).adminPassword).toBe(password);
  });
});
