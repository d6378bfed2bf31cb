import { readApiTokensConfig } from './api-tokens.config';
import { readSsoConfig } from './sso.config';

const ON = { OIDC_ISSUER: 'https://id.agency.example', OIDC_CLIENT_ID: 'forewarn', OIDC_CLIENT_SECRET: 's3cret', OIDC_ALLOWED_DOMAINS: 'agency.example, @Field.Agency.example' };

describe('single sign-on configuration', () => {
  it('is off without an issuer', () => {
    expect(readSsoConfig({})).toMatchObject({ enabled: false, jit: false, roleMap: {} });
  });

  it('reads domains, role map and JIT', () => {
    const c = readSsoConfig({ ...ON, OIDC_ROLE_MAP: 'fw-admins=admin, fw-hr=hr,cn=x=y=recruiter', OIDC_JIT: 'true', OIDC_OFFICE_CLAIM: 'office' });
    expect(c).toMatchObject({
      enabled: true,
      allowedDomains: ['agency.example', 'field.agency.example'],
      roleMap: { 'fw-admins': 'admin', 'fw-hr': 'hr', 'cn=x=y': 'recruiter' },
      jit: true,
      officeClaim: 'office',
      redirectUri: null,
    });
  });

  it.each([
    ['a missing client id', { OIDC_CLIENT_ID: '' }, 'OIDC_CLIENT_ID'],
    ['a missing secret', { OIDC_CLIENT_SECRET: '' }, 'OIDC_CLIENT_SECRET'],
    ['no allowed domains', { OIDC_ALLOWED_DOMAINS: '' }, 'OIDC_ALLOWED_DOMAINS'],
    ['plain http off loopback', { OIDC_ISSUER: 'http://id.agency.example' }, 'must be https'],
    ['a role that does not exist', { OIDC_ROLE_MAP: 'fw-boss=owner' }, 'OIDC_ROLE_MAP'],
    ['JIT without a role map', { OIDC_JIT: 'true' }, 'OIDC_JIT'],
    ['JIT not true or false', { OIDC_JIT: 'yes' }, 'OIDC_JIT'],
    ['scopes without openid', { OIDC_SCOPES: 'email' }, 'OIDC_SCOPES'],
  ])('refuses to start with %s, naming the variable', (_name, env, message) => {
    expect(() => readSsoConfig({ ...ON, ...env })).toThrow(message);
  });

  it('allows plain http for a provider on loopback', () => {
    expect(readSsoConfig({ ...ON, OIDC_ISSUER: 'http://127.0.0.1:9000' }).enabled).toBe(true);
  });
});

describe('API token configuration', () => {
  it('defaults to 90 days, at most 365, last use written once a minute, uses kept 90 days', () => {
    expect(readApiTokensConfig({})).toEqual({ defaultDays: 90, maxDays: 365, lastUsedIntervalMs: 60_000, usesKeepMs: 90 * 86_400_000, usesFlushMs: 5000 });
  });
  it('refuses a default longer than the maximum', () => {
    expect(() => readApiTokensConfig({ API_TOKEN_DEFAULT_DAYS: '400' })).toThrow('API_TOKEN_DEFAULT_DAYS');
  });
});
