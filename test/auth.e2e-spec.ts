import { createTestApp, TestApp } from './helpers/test-app';
import { TEST_PASSWORD } from './helpers/factories';

describe('auth and accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ auth: { adminEmail: 'boss@forewarn.test', adminPassword: 'first-admin-password' } });
  });
  afterAll(() => t.close());

  it('created the first admin from the configured email and password', async () => {
    const res = await t.http().post('/auth/login').send({ email: 'BOSS@forewarn.test', password: 'first-admin-password' }).expect(200);
    expect(res.body.tokenType).toBe('Bearer');
    expect(res.body.user.role).toBe('admin');
    const me = await t.http().get('/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.email).toBe('boss@forewarn.test');
    expect(me.body.calendarUrl).toMatch(/^http:\/\/forewarn\.test\/calendar\/[A-Za-z0-9_-]+\.ics$/);
  });

  it('refuses a wrong password with 401 and audits the failure', async () => {
    const res = await t.http().post('/auth/login').send({ email: 'boss@forewarn.test', password: 'nope-nope-nope' }).expect(401);
    expect(res.body).toMatchObject({ status: 401, code: 'BAD_CREDENTIALS' });
    const admin = await t.factories.user('admin');
    const audit = await t.http().get('/audit?action=login_failed').set(t.auth(admin)).expect(200);
    expect(audit.body.items[0].meta).toMatchObject({ email: 'boss@forewarn.test', reason: 'bad_password' });
  });

  it('refuses a disabled user, and their existing token stops working', async () => {
    const admin = await t.factories.user('admin');
    const rec = await t.factories.user('recruiter');
    const login = await t.http().post('/auth/login').send({ email: rec.email, password: TEST_PASSWORD }).expect(200);
    const token = `Bearer ${login.body.accessToken}`;
    await t.http().get('/me').set('Authorization', token).expect(200);
    await t.http().patch(`/users/${rec.id}`).set(t.auth(admin)).send({ active: false }).expect(200);
    const again = await t.http().post('/auth/login').send({ email: rec.email, password: TEST_PASSWORD }).expect(401);
    expect(again.body.code).toBe('ACCOUNT_DISABLED');
    await t.http().get('/me').set('Authorization', token).expect(401);
  });

  it('answers 401 without a token and with a forged one', async () => {
    expect((await t.http().get('/me').expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect((await t.http().get('/me').set('Authorization', 'Bearer abc.def.ghi').expect(401)).body.code).toBe('BAD_TOKEN');
  });

  it('rate-limits repeated sign-in attempts', async () => {
    const t2 = await createTestApp({ auth: { loginRateLimit: 3, loginRateWindowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) await t2.http().post('/auth/login').send({ email: 'x@y.test', password: 'wrong-password' }).expect(401);
      const res = await t2.http().post('/auth/login').send({ email: 'x@y.test', password: 'wrong-password' }).expect(429);
      expect(res.body.code).toBe('RATE_LIMITED');
    } finally {
      await t2.close();
    }
  });

  it('validates the login body with per-field reasons', async () => {
    const res = await t.http().post('/auth/login').send({ email: 'not-an-email', password: 'x', extra: 1 }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.fields).sort()).toEqual(['email', 'extra']);
  });

  it('reports health: the status to anyone, the dependencies to admins only', async () => {
    expect((await t.http().get('/health').expect(200)).body).toEqual({ status: 'ok' });
    const recruiter = await t.factories.user('recruiter');
    expect((await t.http().get('/health').set(t.auth(recruiter)).expect(200)).body).toEqual({ status: 'ok' });
    const res = await t
      .http()
      .get('/health')
      .set(t.auth(await t.factories.user('admin')))
      .expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
    expect(res.body.details.mail).toMatchObject({ status: 'up' });
  });
});
