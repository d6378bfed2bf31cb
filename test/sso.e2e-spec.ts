import type { Response } from 'supertest';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { idTokenFor, signInAtProvider, startProvider, TestClient, TestProvider } from './helpers/oidc';
import { cookiesOf, decode } from './helpers/pages';
import { createTestApp, TestApp } from './helpers/test-app';

const CALLBACK = 'http://forewarn.test/pages/sso/callback';
const PLAIN: TestClient = { client_id: 'forewarn', client_secret: 'forewarn-test-client-secret-0123456789', redirect_uris: [CALLBACK] };
const MAPPED: TestClient = { client_id: 'forewarn-mapped', client_secret: 'forewarn-mapped-client-secret-0123456789', redirect_uris: [CALLBACK] };
const OTHER: TestClient = { client_id: 'other-app', client_secret: 'other-app-client-secret-0123456789', redirect_uris: ['http://other.test/callback'] };
const HOUR = 3_600_000;

let seq = 0;
const sub = () => `person-${Date.now().toString(36)}-${seq++}`;

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) on 127.0.0.1: each case
 * follows the real redirects, signs in and consents at the provider's own forms, and comes back to
 * Forewarn's callback.
 */
describe('single sign-on (OpenID Connect)', () => {
  let provider: TestProvider;
  let plain: TestApp; // accounts must exist; Forewarn keeps the roles it has
  let mapped: TestApp; // roles and office from the provider's claims; unknown users created

  beforeAll(async () => {
    provider = await startProvider([PLAIN, MAPPED, OTHER]);
    const common = { enabled: true, issuer: provider.issuer, allowedDomains: ['agency.example'], stateTtlMs: 600_000 };
    plain = await createTestApp({ now: Date.now(), sso: { ...common, clientId: PLAIN.client_id, clientSecret: PLAIN.client_secret, scopes: 'openid email profile' } });
    mapped = await createTestApp({
      now: Date.now(),
      sso: {
        ...common,
        clientId: MAPPED.client_id,
        clientSecret: MAPPED.client_secret,
        scopes: 'openid email profile groups office',
        roleClaim: 'groups',
        roleMap: { 'fw-admins': 'admin', 'fw-hr': 'hr', 'fw-coordinators': 'coordinator', 'fw-recruiters': 'recruiter' },
        officeClaim: 'office',
        jit: true,
      },
    });
  });
  afterAll(async () => {
    await plain?.close();
    await mapped?.close();
    await provider?.stop();
  });
  beforeEach(() => {
    plain.clock.set(Date.now());
    mapped.clock.set(Date.now());
  });

  /** /pages/sso → the provider (login + consent) → back at the callback. */
  async function signIn(
    t: TestApp,
    login: string,
    tamper: { next?: string; query?: (q: URLSearchParams) => void; cookie?: (c: string) => string; beforeCallback?: (authorize: URL) => Promise<void> } = {},
  ): Promise<Response> {
    const start = await t
      .http()
      .get(`/pages/sso${tamper.next ? `?next=${encodeURIComponent(tamper.next)}` : ''}`)
      .expect(303);
    const authorize = new URL(start.headers.location);
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    await tamper.beforeCallback?.(authorize);
    const back = new URL(await signInAtProvider(authorize.href, login, CALLBACK));
    tamper.query?.(back.searchParams);
    const cookie = cookiesOf(start);
    return t
      .http()
      .get(`/pages/sso/callback?${back.searchParams}`)
      .set('Cookie', tamper.cookie ? tamper.cookie(cookie) : cookie);
  }

  const account = async (o: { email: string; groups?: string[]; office?: string; name?: string }) => {
    const s = sub();
    await provider.addAccount({ sub: s, ...o });
    return s;
  };
  /** The audit entries of this test (its clock window), newest first. */
  const auditsOf = async (t: TestApp, action: string, since: number) => {
    const admin = await t.factories.user('admin');
    const window = `from=${new Date(since).toISOString()}&to=${new Date(t.clock.now() + 1).toISOString()}`;
    return (await t.http().get(`/audit?action=${action}&${window}&pageSize=20`).set(t.auth(admin)).expect(200)).body.items;
  };
  const auditOf = async (t: TestApp, action: string) => (await auditsOf(t, action, t.clock.now() - 60_000))[0];
  const refused = (res: Response, status: number, code: string) => {
    expect({ status: res.status, code: res.headers['x-error-code'] }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(cookiesOf(res)).not.toMatch(/fw_session=/);
  };

  it('offers the organisation sign-in on the sign-in page', async () => {
    const page = await plain.http().get('/pages/login').expect(200);
    expect(page.text).toContain('href="/pages/sso"');
    const withNext = await plain.http().get('/pages/login?next=/pages/board').expect(200);
    expect(decode(withNext.text)).toContain('href="/pages/sso?next=%2Fpages%2Fboard"');
  });

  it('signs a known user in to the same session as a password sign-in, landing on their page, and audits it', async () => {
    const office = await plain.factories.office();
    const user = await plain.factories.user('recruiter', { email: `dana.${sub()}@agency.example`, officeId: office.id });
    const res = await signIn(plain, await account({ email: user.email.toUpperCase() }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/pages/me');
    const cookies = cookiesOf(res);
    expect(cookies).toMatch(/fw_session=/);
    await plain.http().get('/pages/me').set('Cookie', cookies).expect(200);
    // the session's token is a normal bearer token too
    const jwt = /fw_session=([^;]+)/.exec(cookies)![1];
    expect(
      (
        await plain
          .http()
          .get('/me')
          .set('Authorization', `Bearer ${decodeURIComponent(jwt)}`)
          .expect(200)
      ).body.id,
    ).toBe(user.id);
    const entry = await auditOf(plain, 'sso_login');
    expect(entry).toMatchObject({ actorId: user.id, entityId: user.id, meta: { email: user.email, role: 'recruiter', issuer: provider.issuer } });
  });

  it('refuses an id token issued to another client (wrong audience)', async () => {
    const user = await plain.factories.user('hr', { email: `aud.${sub()}@agency.example` });
    const login = await account({ email: user.email });
    const res = await signIn(plain, login, {
      beforeCallback: async (authorize) => provider.swapNextIdToken(await idTokenFor(provider.issuer, OTHER, login, authorize.searchParams.get('nonce')!)),
    });
    refused(res, 401, 'SSO_TOKEN_REFUSED');
    expect(res.text).toContain('issued to another application');
    expect((await auditOf(plain, 'sso_login_failed')).meta).toMatchObject({ reason: 'wrong_audience' });
  });

  it('refuses an expired id token (Forewarn’s clock past its expiry)', async () => {
    const user = await plain.factories.user('hr', { email: `late.${sub()}@agency.example` });
    plain.clock.set(Date.now() + 2 * HOUR); // the provider's id tokens live an hour
    const res = await signIn(plain, await account({ email: user.email }));
    refused(res, 401, 'SSO_TOKEN_REFUSED');
    expect((await auditOf(plain, 'sso_login_failed')).meta).toMatchObject({ reason: 'token_expired' });
  });

  it('refuses a disabled user', async () => {
    const user = await plain.factories.user('hr', { email: `gone.${sub()}@agency.example`, active: false });
    const res = await signIn(plain, await account({ email: user.email }));
    refused(res, 401, 'ACCOUNT_DISABLED');
    expect(await auditOf(plain, 'sso_login_failed')).toMatchObject({ actorId: user.id, meta: { reason: 'disabled', email: user.email } });
  });

  it('refuses an e-mail domain that is not allowed, and an unknown user when accounts are not created', async () => {
    refused(await signIn(plain, await account({ email: `x.${sub()}@elsewhere.example` })), 403, 'SSO_DOMAIN_REFUSED');
    expect((await auditOf(plain, 'sso_login_failed')).meta).toMatchObject({ reason: 'domain_refused' });
    const email = `new.${sub()}@agency.example`;
    refused(await signIn(plain, await account({ email })), 403, 'SSO_UNKNOWN_USER');
    expect(await plain.db.getRepository(User).countBy({ email })).toBe(0);
  });

  it('refuses a tampered state, a missing or forged state cookie, and a state past its time', async () => {
    const since = plain.clock.now();
    const user = await plain.factories.user('hr', { email: `state.${sub()}@agency.example` });
    const login = await account({ email: user.email });
    refused(await signIn(plain, login, { query: (q) => q.set('state', `${q.get('state')}x`) }), 400, 'SSO_STATE_MISMATCH');
    refused(await signIn(plain, login, { cookie: () => '' }), 400, 'SSO_STATE_MISSING');
    refused(await signIn(plain, login, { cookie: (c) => c.replace(/fw_sso=([^.;]+)/, (_m, v: string) => `fw_sso=${v.slice(0, -2)}AA`) }), 400, 'SSO_STATE_MISSING');
    refused(
      await signIn(plain, login, {
        beforeCallback: async () => plain.clock.advance(11 * 60_000),
      }),
      400,
      'SSO_STATE_EXPIRED',
    );
    const reasons = (await auditsOf(plain, 'sso_login_failed', since)).map((a: { meta: { reason: string } }) => a.meta.reason);
    expect(reasons.sort()).toEqual(['no_state', 'no_state', 'state_expired', 'state_mismatch']);
  });

  describe('with roles and offices from the provider', () => {
    let office: Office;
    beforeAll(async () => {
      office = await mapped.factories.office({ name: `Cleveland Field Office ${sub()}` });
    });

    it('applies the role the groups claim maps to, at every sign-in, and lands on that role’s page', async () => {
      const user = await mapped.factories.user('recruiter', { email: `map.${sub()}@agency.example`, officeId: office.id });
      const asHr = await signIn(mapped, await account({ email: user.email, groups: ['staff', 'fw-hr'] }));
      expect(asHr.status).toBe(303);
      expect(asHr.headers.location).toBe('/dashboard');
      expect(cookiesOf(asHr)).toMatch(/fw_dashboard=/);
      expect(await mapped.db.getRepository(User).findOneByOrFail({ id: user.id })).toMatchObject({ role: 'hr', officeId: null });
      // several groups: the most powerful role wins; the office comes from its claim (by name)
      const asCoordinator = await signIn(mapped, await account({ email: user.email, groups: ['fw-recruiters', 'fw-coordinators'], office: office.name.toUpperCase() }), { next: '/pages/me' });
      expect(asCoordinator.headers.location).toBe('/pages/me'); // where the sign-in started from
      expect(await mapped.db.getRepository(User).findOneByOrFail({ id: user.id })).toMatchObject({ role: 'coordinator', officeId: office.id });
      const again = await signIn(mapped, await account({ email: user.email, groups: ['fw-coordinators'], office: office.id }));
      expect(again.headers.location).toBe('/pages/board');
      // the role the provider changed ended the session signed in as hr
      const hrJwt = decodeURIComponent(/fw_session=([^;]+)/.exec(cookiesOf(asHr))![1]);
      expect((await mapped.http().get('/me').set('Authorization', `Bearer ${hrJwt}`)).status).toBe(401);
      refused(await signIn(mapped, await account({ email: user.email, groups: ['staff'] })), 403, 'SSO_NO_ROLE');
    });

    it('creates an unknown user at the first sign-in when configured, with the mapped role and office', async () => {
      const email = `jit.${sub()}@agency.example`;
      const res = await signIn(mapped, await account({ email, name: 'Jo Newcomer', groups: ['fw-recruiters'], office: office.id }));
      expect(res.headers.location).toBe('/pages/me');
      expect(await mapped.db.getRepository(User).findOneByOrFail({ email })).toMatchObject({ role: 'recruiter', officeId: office.id, displayName: 'Jo Newcomer', active: true });
      // a recruiter without a known office cannot be created
      refused(await signIn(mapped, await account({ email: `jit2.${sub()}@agency.example`, groups: ['fw-recruiters'], office: 'Nowhere' })), 403, 'SSO_NO_OFFICE');
    });
  });

  it('has no single sign-on when it is not configured', async () => {
    const off = await createTestApp();
    try {
      const res = await off.http().get('/pages/sso');
      expect({ status: res.status, code: res.headers['x-error-code'] }).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect((await off.http().get('/pages/login').expect(200)).text).not.toContain('/pages/sso');
    } finally {
      await off.close();
    }
  });
});
