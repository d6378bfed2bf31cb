import { randomUUID } from 'node:crypto';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, TestApp } from './helpers/test-app';

/** A unique name part without digit runs (the privacy guard reads six digits in a row as an ID number). */
const lettersOnly = () => randomUUID().replace(/[0-9-]/g, (c) => (c === '-' ? '' : 'ghijklmnop'[Number(c)]));

/**
 * Who may do what: every (endpoint, method) × role → the expected status, including 401 without a
 * token and 403 for the wrong role. Each request gets fresh data, so rows do not depend on each other.
 */
type Who = 'anonymous' | 'admin' | 'coordinator' | 'recruiter' | 'hr';
const WHO: Who[] = ['anonymous', 'admin', 'coordinator', 'recruiter', 'hr'];
type Method = 'get' | 'post' | 'patch' | 'delete';

interface Row {
  method: Method;
  route: string;
  req: () => Promise<{ path: string; body?: object }>;
  expect: Record<Who, number>;
}

/** `ok` for the listed roles, 403 for the others, 401 without a token. */
function allow(ok: number, roles: Who[] | 'all'): Record<Who, number> {
  const out = { anonymous: 401 } as Record<Who, number>;
  for (const w of WHO.slice(1)) out[w] = roles === 'all' || roles.includes(w) ? ok : 403;
  return out;
}

describe('role matrix', () => {
  let t: TestApp;
  let office: Office;
  const users = {} as Record<Exclude<Who, 'anonymous'>, User>;

  beforeAll(async () => {
    t = await createTestApp();
    office = await t.factories.office();
    users.admin = await t.factories.user('admin');
    users.coordinator = await t.factories.user('coordinator', { officeId: office.id });
    users.recruiter = await t.factories.user('recruiter', { officeId: office.id });
    users.hr = await t.factories.user('hr');
  });
  afterAll(() => t.close());

  const f = () => t.factories;
  const tz = 'America/New_York';
  let n = 0;
  const appearanceBody = async () => ({
    institutionId: (await f().institution()).id,
    officeId: office.id,
    kind: 'info_session',
    title: 'Matrix session',
    startsAt: `2026-03-${String(10 + (n++ % 18))}T10:00:00-05:00`,
    endsAt: undefined as string | undefined,
    format: 'virtual',
    audience: 'invite_only',
  });
  const officeAppearance = () => f().appearance({ officeId: office.id });

  const rows: Row[] = [
    // offices
    { method: 'get', route: '/offices', req: async () => ({ path: '/offices' }), expect: allow(200, 'all') },
    { method: 'get', route: '/offices/:id', req: async () => ({ path: `/offices/${office.id}` }), expect: allow(200, 'all') },
    { method: 'post', route: '/offices', req: async () => ({ path: '/offices', body: { name: `Office ${lettersOnly()}`, timeZone: tz } }), expect: allow(201, ['admin']) },
    { method: 'patch', route: '/offices/:id', req: async () => ({ path: `/offices/${(await f().office()).id}`, body: { region: 'North' } }), expect: allow(200, ['admin']) },
    // users
    { method: 'get', route: '/me', req: async () => ({ path: '/me' }), expect: allow(200, 'all') },
    { method: 'get', route: '/users', req: async () => ({ path: '/users' }), expect: allow(200, 'all') },
    { method: 'get', route: '/users/:id', req: async () => ({ path: `/users/${users.recruiter.id}` }), expect: allow(200, 'all') },
    {
      method: 'post',
      route: '/users',
      req: async () => ({ path: '/users', body: { email: `${randomUUID()}@matrix.test`, displayName: 'New Person', role: 'hr', password: 'long-enough-password' } }),
      expect: allow(201, ['admin']),
    },
    { method: 'patch', route: '/users/:id', req: async () => ({ path: `/users/${(await f().user('hr')).id}`, body: { displayName: 'Renamed' } }), expect: allow(200, ['admin']) },
    // institutions
    { method: 'get', route: '/institutions', req: async () => ({ path: '/institutions?q=test' }), expect: allow(200, 'all') },
    { method: 'get', route: '/institutions/:id', req: async () => ({ path: `/institutions/${(await f().institution()).id}` }), expect: allow(200, 'all') },
    {
      method: 'post',
      route: '/institutions',
      req: async () => ({ path: '/institutions', body: { name: `College ${lettersOnly()}`, kind: 'college', city: 'Akron', state: 'OH', timeZone: tz } }),
      expect: allow(201, ['admin', 'coordinator', 'recruiter']),
    },
    {
      method: 'patch',
      route: '/institutions/:id',
      req: async () => ({ path: `/institutions/${(await f().institution()).id}`, body: { requiresAdvanceNotice: true } }),
      expect: allow(200, ['admin', 'coordinator']),
    },
    { method: 'delete', route: '/institutions/:id', req: async () => ({ path: `/institutions/${(await f().institution()).id}` }), expect: allow(204, ['admin']) },
    // appearances
    { method: 'get', route: '/appearances', req: async () => ({ path: '/appearances?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z' }), expect: allow(200, 'all') },
    { method: 'get', route: '/appearances/:id', req: async () => ({ path: `/appearances/${(await officeAppearance()).id}` }), expect: allow(200, 'all') },
    { method: 'get', route: '/appearances/:id/ics', req: async () => ({ path: `/appearances/${(await officeAppearance()).id}/ics` }), expect: allow(200, 'all') },
    {
      method: 'post',
      route: '/appearances',
      req: async () => {
        const b = await appearanceBody();
        b.endsAt = b.startsAt.replace('T10:', 'T11:');
        return { path: '/appearances', body: b };
      },
      expect: allow(201, ['admin', 'coordinator', 'recruiter']),
    },
    {
      method: 'patch',
      route: '/appearances/:id',
      req: async () => ({ path: `/appearances/${(await officeAppearance()).id}`, body: { venue: 'Room 2' } }),
      expect: allow(200, ['admin', 'coordinator', 'recruiter']),
    },
    {
      method: 'post',
      route: '/appearances/:id/confirm',
      req: async () => ({ path: `/appearances/${(await officeAppearance()).id}/confirm`, body: {} }),
      expect: allow(200, ['admin', 'coordinator', 'recruiter']),
    },
    {
      method: 'post',
      route: '/appearances/:id/cancel',
      req: async () => ({ path: `/appearances/${(await officeAppearance()).id}/cancel`, body: {} }),
      expect: allow(200, ['admin', 'coordinator', 'recruiter']),
    },
    {
      method: 'post',
      route: '/appearances/:id/complete',
      req: async () => {
        const a = await f().appearance({ officeId: office.id, status: 'confirmed', startsAt: t.clock.now() - 7_200_000, endsAt: t.clock.now() - 3_600_000 });
        return { path: `/appearances/${a.id}/complete`, body: {} };
      },
      expect: allow(200, ['admin', 'coordinator', 'recruiter']),
    },
    // audit
    { method: 'get', route: '/audit', req: async () => ({ path: '/audit' }), expect: allow(200, ['admin', 'hr']) },
  ];

  const cases = rows.flatMap((r) => WHO.map((who) => [`${r.method.toUpperCase()} ${r.route}`, who, r.expect[who], r] as const));

  it.each(cases)('%s as %s → %i', async (_name, who, status, row) => {
    const { path, body } = await row.req();
    let req = t.http()[row.method](path);
    if (who !== 'anonymous') req = req.set(t.auth(users[who]));
    const res = body ? await req.send(body) : await req;
    if (res.status !== status) throw new Error(`${row.method.toUpperCase()} ${path} as ${who}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    if (status === 401) expect(res.body.code).toBe('UNAUTHENTICATED');
    if (status === 403) expect(res.body.code).toBe('FORBIDDEN');
  });

  it('keeps recruiters and coordinators to their own office', async () => {
    const elsewhere = await f().appearance();
    for (const who of ['recruiter', 'coordinator'] as const) {
      const res = await t.http().patch(`/appearances/${elsewhere.id}`).set(t.auth(users[who])).send({ venue: 'X' }).expect(403);
      expect(res.body.code).toBe('OTHER_OFFICE');
    }
    await t.http().patch(`/appearances/${elsewhere.id}`).set(t.auth(users.admin)).send({ venue: 'X' }).expect(200);
  });
});
