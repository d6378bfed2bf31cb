import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { KeyRing } from '../src/auth/key-ring';
import { DEFAULT_DEV_SECRET } from '../src/config';
import { testDbKind } from './helpers/databases';
import { TEST_PASSWORD } from './helpers/factories';
import { createTestApp, TestApp } from './helpers/test-app';

const forgeToken = (secret: string | Buffer, u: { id: string; email: string }) =>
  jwt.sign({ sub: u.id, email: u.email, role: 'admin', office: null, tv: 0, jti: randomUUID() }, secret, { expiresIn: 3600 });
const forgeLink = (secret: string | Buffer, purpose: string, claims: object) => {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(`${purpose}.${payload}`).digest('base64url')}`;
};

/** No secret ships in the source; the one Forewarn makes for itself is kept with the data and shared by every instance. */
describe('signing secrets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(); // no JWT_SECRET: what `npm start` does
  });
  afterAll(() => t.close());

  it('refuses a token or a link signed with the development secret once published in the source', async () => {
    const admin = await t.factories.user('admin');
    expect(
      (
        await t
          .http()
          .get('/audit')
          .set('Authorization', `Bearer ${forgeToken(DEFAULT_DEV_SECRET, admin)}`)
          .expect(401)
      ).body.code,
    ).toBe('BAD_TOKEN');
    const link = forgeLink(DEFAULT_DEV_SECRET, 'ack', { sub: admin.id, exp: t.clock.now() + 86_400_000 });
    expect((await t.http().post(`/notifications/ack?token=${link}`).expect(400)).headers['x-error-code']).toBe('BAD_LINK');
  });

  it('signs sign-in tokens and links with separate keys derived from the master secret', async () => {
    const secret = randomBytes(36).toString('base64url');
    const t2 = await createTestApp({ auth: { jwtSecret: secret } });
    try {
      const admin = await t2.factories.user('admin');
      const keys = t2.app.get(KeyRing);
      expect(keys.tokenKey.equals(keys.linkKey)).toBe(false);
      const claims = { sub: admin.id, kind: 'weekly_digest', iat: t2.clock.now(), exp: t2.clock.now() + 86_400_000 };
      await t2
        .http()
        .get('/audit')
        .set('Authorization', `Bearer ${forgeToken(keys.tokenKey, admin)}`)
        .expect(200);
      // a token without a session id (so no logout could end it) is no sign-in token
      const noSession = jwt.sign({ sub: admin.id, email: admin.email, role: 'admin', office: null, tv: 0 }, keys.tokenKey, { expiresIn: 3600 });
      await t2.http().get('/audit').set('Authorization', `Bearer ${noSession}`).expect(401);
      // the configured secret itself signs nothing
      await t2
        .http()
        .get('/audit')
        .set('Authorization', `Bearer ${forgeToken(secret, admin)}`)
        .expect(401);
      await t2
        .http()
        .post(`/notifications/unsubscribe?token=${forgeLink(secret, 'unsubscribe', claims)}`)
        .expect(400);
      // a link MAC'd with the token key is not a link, a JWT signed with the link key is not a token
      await t2
        .http()
        .post(`/notifications/unsubscribe?token=${forgeLink(keys.tokenKey, 'unsubscribe', claims)}`)
        .expect(400);
      await t2
        .http()
        .get('/audit')
        .set('Authorization', `Bearer ${forgeToken(keys.linkKey, admin)}`)
        .expect(401);
      await t2
        .http()
        .post(`/notifications/unsubscribe?token=${forgeLink(keys.linkKey, 'unsubscribe', claims)}`)
        .expect(200);
    } finally {
      await t2.close();
    }
  });

  it('generates the secret on first start, keeps it with the data (SQLite: a 0600 file; PostgreSQL: the database) and reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forewarn-secret-'));
    const sqlitePath = join(dir, 'forewarn.sqlite');
    const first = await createTestApp(testDbKind() === 'sqlite' ? { sqlitePath } : {});
    let second: TestApp | null = null;
    try {
      const rec = await first.factories.user('recruiter');
      const token = (await first.http().post('/auth/login').send({ email: rec.email, password: TEST_PASSWORD }).expect(200)).body.accessToken;
      if (testDbKind() === 'sqlite') {
        expect(statSync(`${sqlitePath}.secret`).mode & 0o777).toBe(0o600);
      } else {
        const rows = await first.db.query(`SELECT value FROM app_secrets`);
        expect(rows).toHaveLength(1);
        expect(rows[0].value.length).toBeGreaterThanOrEqual(64);
      }
      await first.close({ keepDatabase: true });
      second = await createTestApp({ database: first.database });
      await second.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    } finally {
      await second?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Two instances on one database: what one decides about a session, the other knows at once. */
describe('sessions across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp({ auth: { loginAccountLimit: 3 } });
    b = await createTestApp({ database: a.database, auth: { loginAccountLimit: 3 } });
  });
  afterAll(async () => {
    await b.close({ keepDatabase: true });
    await a.close();
  });

  it('a user disabled on one instance is refused on the other at the very next request', async () => {
    const admin = await a.factories.user('admin');
    const rec = await a.factories.user('recruiter');
    const token = `Bearer ${(await a.http().post('/auth/login').send({ email: rec.email, password: TEST_PASSWORD }).expect(200)).body.accessToken}`;
    await b.http().get('/me').set('Authorization', token).expect(200);
    await a.http().patch(`/users/${rec.id}`).set(a.auth(admin)).send({ active: false }).expect(200);
    expect((await b.http().get('/me').set('Authorization', token).expect(401)).body.code).toBe('ACCOUNT_DISABLED');
  });

  it('a logout on one instance ends the session on the other', async () => {
    const rec = await a.factories.user('recruiter');
    const token = `Bearer ${(await a.http().post('/auth/login').send({ email: rec.email, password: TEST_PASSWORD }).expect(200)).body.accessToken}`;
    await b.http().get('/me').set('Authorization', token).expect(200);
    await a.http().post('/auth/logout').set('Authorization', token).expect(204);
    await b.http().get('/me').set('Authorization', token).expect(401);
  });

  it('counts wrong passwords for an account across instances', async () => {
    const hr = await a.factories.user('hr');
    await a.http().post('/auth/login').send({ email: hr.email, password: 'wrong-password-1' }).expect(401);
    await b.http().post('/auth/login').send({ email: hr.email, password: 'wrong-password-2' }).expect(401);
    await a.http().post('/auth/login').send({ email: hr.email, password: 'wrong-password-3' }).expect(401);
    await b.http().post('/auth/login').send({ email: hr.email, password: TEST_PASSWORD }).expect(429);
  });
});
