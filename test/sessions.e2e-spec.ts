import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Notification } from '../src/notifications/notification.entity';
import { LinkSigner } from '../src/notifications/signed-link';
import { TEST_PASSWORD } from './helpers/factories';
import { cookiesOf, hidden } from './helpers/pages';
import { createTestApp, TestApp } from './helpers/test-app';

/** POST /auth/login from a given loopback address (Linux routes all of 127/8 to lo); resolves with the status. */
function loginFrom(localAddress: string, port: number, email: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ email, password });
    const req = request(
      { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/auth/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sessions end when they should: logout, disabling, stale mail links, leaked calendar URLs, guessing. */
describe('sessions and links', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ auth: { loginAccountLimit: 3, feedMissLimit: 3 } });
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(() => t.close());

  const login = async (email: string, password = TEST_PASSWORD) => (await t.http().post('/auth/login').send({ email, password }).expect(200)).body.accessToken as string;
  const dashboardLogin = (email: string, password: string) => t.http().post('/dashboard/login').type('form').send({ email, password });

  it('logout ends the session: the token is refused afterwards, other sessions go on', async () => {
    const rec = await t.factories.user('recruiter');
    const a = await login(rec.email);
    const b = await login(rec.email);
    await t.http().post('/auth/logout').set('Authorization', `Bearer ${a}`).expect(204);
    expect((await t.http().get('/me').set('Authorization', `Bearer ${a}`).expect(401)).body.code).toBe('BAD_TOKEN');
    await t.http().get('/me').set('Authorization', `Bearer ${b}`).expect(200);
  });

  it('dashboard sign-out revokes the cookie’s token, not just the cookie', async () => {
    const hr = await t.factories.user('hr');
    const res = await dashboardLogin(hr.email, TEST_PASSWORD).expect(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const page = await t.http().get('/dashboard').set('Cookie', cookie).expect(200);
    await t
      .http()
      .post('/dashboard/logout')
      .set('Cookie', `${cookie}; ${cookiesOf(page)}`)
      .type('form')
      .send({ _csrf: hidden(page.text, '_csrf') })
      .expect(303);
    const after = await t.http().get('/dashboard').set('Cookie', cookie);
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/dashboard/login');
  });

  it('throttles wrong passwords per account, from any form: /auth/login and /dashboard/login share the count', async () => {
    const hr = await t.factories.user('hr');
    await t.http().post('/auth/login').send({ email: hr.email, password: 'wrong-password-1' }).expect(401);
    await dashboardLogin(hr.email, 'wrong-password-2').expect(401);
    await t.http().post('/auth/login').send({ email: hr.email, password: 'wrong-password-3' }).expect(401);
    expect((await t.http().post('/auth/login').send({ email: hr.email, password: TEST_PASSWORD }).expect(429)).body.code).toBe('RATE_LIMITED');
    const page = await dashboardLogin(hr.email, TEST_PASSWORD).expect(429);
    expect(page.text).toContain('Too many sign-in attempts');
    // another account from the same address is not affected
    const other = await t.factories.user('hr');
    await login(other.email);
  });

  it('counts an account’s wrong passwords from every address together', async () => {
    const rec = await t.factories.user('recruiter');
    const port = Number(new URL((await t.app.getUrl()).replace('[::1]', '127.0.0.1')).port);
    const statuses: number[] = [];
    for (let i = 2; i <= 5; i++) statuses.push(await loginFrom(`127.0.0.${i}`, port, rec.email, `wrong-password-${i}`));
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(await loginFrom('127.0.0.9', port, rec.email, TEST_PASSWORD)).toBe(429);
  });

  it('a successful sign-in clears the account’s count', async () => {
    const rec = await t.factories.user('recruiter');
    for (let round = 0; round < 3; round++) {
      await t.http().post('/auth/login').send({ email: rec.email, password: 'wrong-password' }).expect(401);
      await t.http().post('/auth/login').send({ email: rec.email, password: 'wrong-password' }).expect(401);
      await login(rec.email);
    }
  });

  async function sentAlert(recipient: { id: string; email: string }): Promise<Notification> {
    const now = t.clock.now();
    const repo = t.db.getRepository(Notification);
    return repo.save(
      repo.create({
        id: randomUUID(),
        idempotencyKey: `test:${randomUUID()}`,
        kind: 'escalation',
        recipientId: recipient.id,
        recipientEmail: recipient.email,
        appearanceId: null,
        assessmentId: null,
        dueAt: now,
        status: 'sent',
        attempts: 1,
        nextAttemptAt: now,
        sentAt: now,
        payload: {},
        ackRequired: true,
        createdAt: now,
        updatedAt: now,
      }),
    );
  }

  it('a disabled recipient’s acknowledge link no longer works', async () => {
    const admin = await t.factories.user('admin');
    const rec = await t.factories.user('recruiter');
    const links = t.app.get(LinkSigner);
    const live = await sentAlert(rec);
    const ok = links.sign('ack', { sub: live.id, exp: t.clock.now() + 86_400_000 });
    await t.http().post(`/notifications/ack?token=${ok}`).expect(200);

    const n = await sentAlert(rec);
    const token = links.sign('ack', { sub: n.id, exp: t.clock.now() + 86_400_000 });
    await t.http().patch(`/users/${rec.id}`).set(t.auth(admin)).send({ active: false }).expect(200);
    const res = await t.http().post(`/notifications/ack?token=${token}`).expect(403);
    expect(res.headers['x-error-code']).toBe('ACCOUNT_DISABLED');
    expect((await t.db.getRepository(Notification).findOneByOrFail({ id: n.id })).acknowledgedAt).toBeNull();
  });

  it('an unsubscribe link from before the user opted back in does not mute them again', async () => {
    const coord = await t.factories.user('coordinator');
    const old = t.app.get(LinkSigner).sign('unsubscribe', { sub: coord.id, kind: 'weekly_digest', iat: t.clock.now(), exp: t.clock.now() + 30 * 86_400_000 });
    await t.http().post(`/notifications/unsubscribe?token=${old}`).expect(200);
    t.clock.advance(60_000);
    await t.http().put('/me/notification-preferences').set(t.auth(coord)).send({ mutedKinds: [] }).expect(200);
    t.clock.advance(60_000);
    const res = await t.http().post(`/notifications/unsubscribe?token=${old}`).expect(422);
    expect(res.headers['x-error-code']).toBe('LINK_SUPERSEDED');
    expect((await t.http().get('/me/notification-preferences').set(t.auth(coord)).expect(200)).body.mutedKinds).toEqual([]);
    // a link from a mail sent after the change works
    const fresh = t.app.get(LinkSigner).sign('unsubscribe', { sub: coord.id, kind: 'weekly_digest', iat: t.clock.now(), exp: t.clock.now() + 86_400_000 });
    await t.http().post(`/notifications/unsubscribe?token=${fresh}`).expect(200);
    expect((await t.http().get('/me/notification-preferences').set(t.auth(coord)).expect(200)).body.mutedKinds).toEqual(['weekly_digest']);
  });

  const feedPath = (url: string) => new URL(url).pathname;

  it('rotates the calendar feed secret on request and on a password change; the old URL stops working', async () => {
    const admin = await t.factories.user('admin');
    const rec = await t.factories.user('recruiter');
    const first = (await t.http().get('/me').set(t.auth(rec)).expect(200)).body.calendarUrl as string;
    await t.http().get(feedPath(first)).expect(200);
    const rotated = (await t.http().post('/me/calendar-token').set(t.auth(rec)).expect(200)).body.calendarUrl as string;
    expect(rotated).not.toBe(first);
    await t.http().get(feedPath(first)).expect(404);
    await t.http().get(feedPath(rotated)).expect(200);
    await t.http().patch(`/users/${rec.id}`).set(t.auth(admin)).send({ password: 'a-brand-new-password' }).expect(200);
    await t.http().get(feedPath(rotated)).expect(404);
    const token = await login(rec.email, 'a-brand-new-password');
    const third = (await t.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200)).body.calendarUrl as string;
    expect([first, rotated]).not.toContain(third);
    await t.http().get(feedPath(third)).expect(200);
  });

  it('throttles guessing calendar feed secrets per address', async () => {
    const t2 = await createTestApp({ auth: { feedMissLimit: 3 } });
    try {
      const rec = await t2.factories.user('recruiter');
      const url = (await t2.http().get('/me').set(t2.auth(rec)).expect(200)).body.calendarUrl as string;
      for (let i = 0; i < 3; i++)
        await t2
          .http()
          .get(`/calendar/${randomUUID().replace(/-/g, '')}.ics`)
          .expect(404);
      expect(
        (
          await t2
            .http()
            .get(`/calendar/${randomUUID().replace(/-/g, '')}.ics`)
            .expect(429)
        ).body.code,
      ).toBe('RATE_LIMITED');
      await t2.http().get(feedPath(url)).expect(429); // even a right guess, until the minute is over
      t2.clock.advance(61_000);
      await t2.http().get(feedPath(url)).expect(200);
    } finally {
      await t2.close();
    }
  });
});
