import { Office } from '../src/offices/office.entity';
import type { Role } from '../src/common/enums';
import { ApiTokensService } from '../src/tokens/api-tokens.service';
import { ROLE_SCOPES, Scope } from '../src/tokens/scopes';
import { hashToken, TOKEN_PATTERN } from '../src/tokens/token-format';
import { TokenUseCounter } from '../src/tokens/token-use-counter';
import { User } from '../src/users/user.entity';
import { eventually } from './helpers/eventually';
import { createTestApp, TestApp } from './helpers/test-app';

const ROLES: Role[] = ['admin', 'coordinator', 'recruiter', 'hr'];

describe('API tokens', () => {
  let t: TestApp;
  let office: Office;
  const users = {} as Record<Role, User>;

  beforeAll(async () => {
    t = await createTestApp();
    office = await t.factories.office();
    Object.assign(users, await t.factories.team(office.id));
  });
  afterAll(() => t.close());

  const personal = (u: User, scopes: string[], extra: object = {}) =>
    t
      .http()
      .post('/me/tokens')
      .set(t.auth(u))
      .send({ name: 'test', scopes, ...extra });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('shows a personal token once, prefixed and checksummed, and stores only its hash', async () => {
    const res = await personal(users.hr, ['reports:read'], { name: 'Spreadsheet' }).expect(201);
    expect(res.body.token).toMatch(TOKEN_PATTERN);
    expect(res.body.token.startsWith('fwp_')).toBe(true);
    expect(res.body).toMatchObject({ kind: 'personal', name: 'Spreadsheet', scopes: ['reports:read'], userId: users.hr.id, status: 'active', lastUsedAt: null });
    expect(res.body.hint).toBe(`${res.body.token.slice(0, 10)}…`);
    const [row] = await t.db.query(`SELECT * FROM api_tokens WHERE id = '${res.body.id}'`);
    expect(row.token_hash).toBe(hashToken(res.body.token));
    expect(JSON.stringify(row)).not.toContain(res.body.token.slice(10));
    const list = await t.http().get('/me/tokens').set(t.auth(users.hr)).expect(200);
    expect(list.body.map((x: { id: string }) => x.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    const audit = await t.http().get(`/audit?entityType=api_token&entityId=${res.body.id}`).set(t.auth(users.admin)).expect(200);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['token_created']);
  });

  it('refuses bad requests with the field and the reason', async () => {
    expect((await personal(users.hr, ['reports:read', 'incidents:write']).expect(400)).body.fields.scopes).toMatch(/incidents:write/);
    expect((await personal(users.hr, ['reports:fly']).expect(400)).body.fields).toHaveProperty('scopes');
    expect((await personal(users.hr, []).expect(400)).body.fields).toHaveProperty('scopes');
    expect((await personal(users.hr, ['reports:read'], { expiresInDays: 400 }).expect(400)).body.fields.expiresInDays).toMatch(/365/);
    expect((await personal(users.hr, ['reports:read'], { owner: 'x' }).expect(400)).body.fields).toHaveProperty('owner');
  });

  // Representative endpoints, the scope each needs, and the roles the endpoint itself allows.
  const ENDPOINTS: { name: string; scope: Scope; roles: Role[]; call: (h: Record<string, string>) => Promise<{ status: number; body: any }> }[] = [
    { name: 'GET /appearances', scope: 'appearances:read', roles: ROLES, call: (h) => t.http().get('/appearances?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z').set(h) },
    {
      name: 'PATCH /appearances/:id',
      scope: 'appearances:write',
      roles: ['admin', 'coordinator', 'recruiter'],
      call: async (h) =>
        t
          .http()
          .patch(`/appearances/${(await t.factories.appearance({ officeId: office.id })).id}`)
          .set(h)
          .send({ venue: 'Room 9' }),
    },
    { name: 'GET /incidents', scope: 'incidents:read', roles: ROLES, call: (h) => t.http().get('/incidents').set(h) },
    {
      name: 'POST /incidents',
      scope: 'incidents:write',
      roles: ['admin', 'coordinator', 'recruiter'],
      call: async (h) =>
        t
          .http()
          .post('/incidents')
          .set(h)
          .send({ institutionId: (await t.factories.institution()).id, kind: 'protest', occurredAt: '2026-01-10T10:00:00Z', severity: 2, target: 'organisation', source: 'first_hand' }),
    },
    { name: 'GET /reports/outcomes', scope: 'reports:read', roles: ['admin', 'coordinator', 'hr'], call: (h) => t.http().get('/reports/outcomes').set(h) },
    { name: 'GET /audit', scope: 'audit:read', roles: ['admin', 'hr'], call: (h) => t.http().get('/audit').set(h) },
    { name: 'GET /risk/parameters', scope: 'risk:read', roles: ['admin', 'hr'], call: (h) => t.http().get('/risk/parameters').set(h) },
    { name: 'GET /notifications', scope: 'notifications:read', roles: ['admin', 'coordinator'], call: (h) => t.http().get('/notifications').set(h) },
    {
      name: 'PATCH /users/:id',
      scope: 'users:write',
      roles: ['admin'],
      call: async (h) =>
        t
          .http()
          .patch(`/users/${(await t.factories.user('hr')).id}`)
          .set(h)
          .send({ displayName: 'Renamed' }),
    },
  ];

  const matrix = ENDPOINTS.flatMap((e) => ROLES.map((role) => [e.name, role, e] as const));

  it.each(matrix)('%s as %s: the scope alone opens it, and only if the role may', async (_name, role, e) => {
    const made = await personal(users[role], [e.scope]);
    if (!ROLE_SCOPES[role].includes(e.scope)) {
      // a scope beyond the role cannot even be asked for
      expect(made.status).toBe(400);
      expect(made.body.fields.scopes).toContain(e.scope);
      return;
    }
    expect(made.status).toBe(201);
    const withScope = await e.call(bearer(made.body.token));
    const ok = e.roles.includes(role);
    if (ok) expect([200, 201]).toContain(withScope.status);
    else expect({ status: withScope.status, code: withScope.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    // the same role with a token for something else: refused for the missing scope
    const other = await personal(users[role], ['offices:read']).expect(201);
    const without = await e.call(bearer(other.body.token));
    expect({ status: without.status, code: without.body.code }).toEqual({ status: 403, code: 'SCOPE_MISSING' });
    expect(without.body.message).toContain(e.scope);
  });

  it('follows its owner: a role change narrows the token, a disabled owner stops it', async () => {
    const coord = await t.factories.user('coordinator', { officeId: office.id });
    const made = await personal(coord, ['reports:read', 'appearances:read']).expect(201);
    await t.http().get('/reports/outcomes').set(bearer(made.body.token)).expect(200);
    await t.http().patch(`/users/${coord.id}`).set(t.auth(users.admin)).send({ role: 'recruiter' }).expect(200);
    const narrowed = await t.http().get('/reports/outcomes').set(bearer(made.body.token)).expect(403);
    expect(narrowed.body.code).toBe('SCOPE_MISSING');
    await t.http().get('/appearances?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z').set(bearer(made.body.token)).expect(200);
    await t.http().patch(`/users/${coord.id}`).set(t.auth(users.admin)).send({ active: false }).expect(200);
    expect((await t.http().get('/appearances?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z').set(bearer(made.body.token)).expect(401)).body.code).toBe('ACCOUNT_DISABLED');
  });

  it('never manages tokens or sessions, and never opens what is not mapped', async () => {
    const made = await personal(users.admin, ['users:read', 'users:write', 'profile:read']).expect(201);
    const h = bearer(made.body.token);
    for (const res of [
      await t
        .http()
        .post('/me/tokens')
        .set(h)
        .send({ name: 'x', scopes: ['users:read'] }),
      await t.http().get('/me/tokens').set(h),
      await t.http().get('/tokens').set(h),
      await t.http().post('/auth/logout').set(h),
      await t.http().post('/me/calendar-token').set(h),
    ]) {
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'TOKEN_NOT_ALLOWED' });
    }
    expect((await t.http().get('/me').set(h).expect(200)).body.id).toBe(users.admin.id);
  });

  it('refuses a mistyped token without a database hit, and an unknown well-formed one', async () => {
    const made = await personal(users.hr, ['reports:read']).expect(201);
    const typo = made.body.token.slice(0, 12) + (made.body.token[12] === 'x' ? 'y' : 'x') + made.body.token.slice(13);
    expect((await t.http().get('/reports/outcomes').set(bearer(typo)).expect(401)).body.code).toBe('BAD_TOKEN');
    await t.db.query(`UPDATE api_tokens SET token_hash = 'gone' WHERE id = '${made.body.id}'`);
    expect((await t.http().get('/reports/outcomes').set(bearer(made.body.token)).expect(401)).body.code).toBe('BAD_TOKEN');
  });

  it('expires, and is revoked at once; others cannot revoke it', async () => {
    const made = await personal(users.hr, ['reports:read'], { expiresInDays: 1 }).expect(201);
    const h = bearer(made.body.token);
    await t.http().get('/reports/outcomes').set(h).expect(200);
    expect((await t.http().delete(`/me/tokens/${made.body.id}`).set(t.auth(users.recruiter)).expect(404)).body.code).toBe('NOT_FOUND');
    t.clock.advance(86_400_000);
    expect((await t.http().get('/reports/outcomes').set(h).expect(401)).body.code).toBe('TOKEN_EXPIRED');
    t.clock.advance(-86_400_000);
    await t.http().delete(`/me/tokens/${made.body.id}`).set(t.auth(users.hr)).expect(204);
    expect((await t.http().get('/reports/outcomes').set(h).expect(401)).body.code).toBe('TOKEN_REVOKED');
    const listed = (await t.http().get('/me/tokens').set(t.auth(users.hr)).expect(200)).body.find((x: { id: string }) => x.id === made.body.id);
    expect(listed.status).toBe('revoked');
    const audit = await t.http().get(`/audit?entityType=api_token&entityId=${made.body.id}`).set(t.auth(users.admin)).expect(200);
    expect(audit.body.items.map((a: { action: string }) => a.action).sort()).toEqual(['token_created', 'token_revoked']);
  });

  it('records last use at most once a minute, and counts every use by route and result', async () => {
    const made = await personal(users.coordinator, ['appearances:read']).expect(201);
    const h = bearer(made.body.token);
    const lastUsed = async () => Number((await t.db.query(`SELECT last_used_at FROM api_tokens WHERE id = '${made.body.id}'`))[0].last_used_at);
    const a = await t.factories.appearance({ officeId: office.id });
    await t.http().get(`/appearances/${a.id}`).set(h).expect(200);
    const first = await lastUsed();
    expect(first).toBe(t.clock.now());
    t.clock.advance(30_000);
    await t.http().get(`/appearances/${a.id}`).set(h).expect(200);
    expect(await lastUsed()).toBe(first);
    await t.http().post('/incidents').set(h).send({}).expect(403);
    t.clock.advance(31_000);
    await t.http().get(`/appearances/${a.id}`).set(h).expect(200);
    expect(await lastUsed()).toBe(t.clock.now());
    const uses = await eventually(async () => {
      const r = (await t.http().get(`/me/tokens/${made.body.id}/uses`).set(t.auth(users.coordinator)).expect(200)).body as any[];
      return r.reduce((n, u) => n + u.hits, 0) === 4 && r;
    });
    const sum = (status: number) => uses.filter((u) => u.status === status).reduce((n, u) => n + u.hits, 0);
    expect(uses.every((u) => (u.status === 200 ? u.route === '/appearances/:id' && u.method === 'GET' : u.route === '/incidents' && u.method === 'POST'))).toBe(true);
    expect([sum(200), sum(403)]).toEqual([3, 1]);
    expect(JSON.stringify(uses)).not.toContain(a.id);
  });

  it('forgets the counts of uses after API_TOKEN_USES_KEEP_DAYS', async () => {
    const made = await personal(users.hr, ['reports:read']).expect(201);
    const count = async () => Number((await t.db.query(`SELECT COUNT(*) AS n FROM api_token_uses WHERE token_id = '${made.body.id}'`))[0].n);
    await t.http().get('/reports/outcomes').set(bearer(made.body.token)).expect(200);
    await eventually(async () => (await t.app.get(TokenUseCounter).flush(), (await count()) === 1));
    const service = t.app.get(ApiTokensService);
    t.clock.advance(89 * 86_400_000);
    await service.pruneUses();
    expect(await count()).toBe(1);
    t.clock.advance(2 * 86_400_000);
    await service.pruneUses();
    expect(await count()).toBe(0);
    t.clock.advance(-91 * 86_400_000);
  });

  describe('service tokens', () => {
    it('admins make them with an explicit role; coordinator tokens belong to an office', async () => {
      const made = await t
        .http()
        .post('/tokens')
        .set(t.auth(users.admin))
        .send({ name: 'Calendar sync', role: 'coordinator', officeId: office.id, scopes: ['appearances:read'] })
        .expect(201);
      expect(made.body.token.startsWith('fws_')).toBe(true);
      expect(made.body).toMatchObject({ kind: 'service', role: 'coordinator', officeId: office.id, userId: null });
      const h = bearer(made.body.token);
      await t.http().get('/appearances?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z').set(h).expect(200);
      expect((await t.http().get('/me').set(h).expect(403)).body.code).toBe('TOKEN_NOT_ALLOWED');
      expect((await t.http().get('/reports/outcomes').set(h).expect(403)).body.code).toBe('SCOPE_MISSING');
      const hr = await t
        .http()
        .post('/tokens')
        .set(t.auth(users.admin))
        .send({ name: 'BI', role: 'hr', scopes: ['reports:read'] })
        .expect(201);
      await t.http().get('/reports/outcomes').set(bearer(hr.body.token)).expect(200);
      expect((await t.http().get('/audit').set(bearer(hr.body.token)).expect(403)).body.code).toBe('SCOPE_MISSING');
      const listed = (await t.http().get('/tokens').set(t.auth(users.admin)).expect(200)).body.map((x: { id: string }) => x.id);
      expect(listed).toEqual(expect.arrayContaining([made.body.id, hr.body.id]));
    });

    it.each([
      ['a recruiter role', 'admin', { role: 'recruiter', officeId: 'OFFICE', scopes: ['appearances:read'] }, 400, 'role'],
      ['a coordinator role without office', 'admin', { role: 'coordinator', scopes: ['appearances:read'] }, 400, 'officeId'],
      ['an office for the hr role', 'admin', { role: 'hr', officeId: 'OFFICE', scopes: ['reports:read'] }, 400, 'officeId'],
      ['a scope beyond the role', 'admin', { role: 'hr', scopes: ['incidents:write'] }, 400, 'scopes'],
      ['an unknown office', 'admin', { role: 'coordinator', officeId: '00000000-0000-4000-8000-000000000000', scopes: ['appearances:read'] }, 400, 'officeId'],
      ['a coordinator asking for the admin role', 'coordinator', { role: 'admin', scopes: ['appearances:read'] }, 403, 'role'],
      ['a coordinator asking for another office', 'coordinator', { role: 'coordinator', officeId: 'OTHER', scopes: ['appearances:read'] }, 403, 'officeId'],
      ['a recruiter', 'recruiter', { role: 'coordinator', scopes: ['appearances:read'] }, 403, null],
    ] as const)('refuses %s', async (_name, who, body, status, field) => {
      const other = await t.factories.office();
      const b = { name: 'x', ...body, ...('officeId' in body ? { officeId: body.officeId === 'OFFICE' ? office.id : body.officeId === 'OTHER' ? other.id : body.officeId } : {}) };
      const res = await t
        .http()
        .post('/tokens')
        .set(t.auth(users[who as Role]))
        .send(b)
        .expect(status);
      if (field) expect(res.body.fields).toHaveProperty(field);
    });

    it("coordinators make, list and revoke their own office's service tokens only", async () => {
      const mine = await t
        .http()
        .post('/tokens')
        .set(t.auth(users.coordinator))
        .send({ name: 'Office board', role: 'coordinator', scopes: ['notifications:read'] })
        .expect(201);
      expect(mine.body.officeId).toBe(office.id);
      const elsewhere = await t
        .http()
        .post('/tokens')
        .set(t.auth(users.admin))
        .send({ name: 'Other', role: 'coordinator', officeId: (await t.factories.office()).id, scopes: ['appearances:read'] })
        .expect(201);
      const listed = (await t.http().get('/tokens').set(t.auth(users.coordinator)).expect(200)).body.map((x: { id: string }) => x.id);
      expect(listed).toContain(mine.body.id);
      expect(listed).not.toContain(elsewhere.body.id);
      await t.http().delete(`/tokens/${elsewhere.body.id}`).set(t.auth(users.coordinator)).expect(404);
      await t.http().get('/notifications').set(bearer(mine.body.token)).expect(200);
      await t.http().delete(`/tokens/${mine.body.id}`).set(t.auth(users.coordinator)).expect(204);
      expect((await t.http().get('/notifications').set(bearer(mine.body.token)).expect(401)).body.code).toBe('TOKEN_REVOKED');
    });

    it("admins revoke a user's leaked personal token", async () => {
      const made = await personal(users.recruiter, ['appearances:read']).expect(201);
      await t.http().delete(`/tokens/${made.body.id}`).set(t.auth(users.admin)).expect(204);
      expect((await t.http().get('/appearances?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z').set(bearer(made.body.token)).expect(401)).body.code).toBe('TOKEN_REVOKED');
    });
  });

  it('documents every token operation: tag, summary, description and a success response with a schema', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([p]) => /^\/(me\/)?tokens/.test(p))
      .flatMap(([p, o]) => Object.entries(o).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op] as const));
    expect(ops.map(([name]) => name).sort()).toEqual(
      [
        'DELETE /me/tokens/{id}',
        'DELETE /tokens/{id}',
        'GET /me/tokens',
        'GET /me/tokens/{id}/uses',
        'GET /tokens',
        'GET /tokens/scopes',
        'GET /tokens/{id}/uses',
        'POST /me/tokens',
        'POST /tokens',
      ].sort(),
    );
    for (const [name, op] of ops) {
      const success = Object.entries(op.responses as Record<string, any>).filter(([code]) => code.startsWith('2'));
      expect({ name, tags: op.tags, summary: Boolean(op.summary), description: Boolean(op.description), success: success.length }).toEqual({
        name,
        tags: ['tokens'],
        summary: true,
        description: true,
        success: 1,
      });
      const [code, res] = success[0];
      if (code !== '204') expect({ name, schema: Boolean(res.content?.['application/json']?.schema) }).toEqual({ name, schema: true });
    }
  });

  it('lists the scopes with the roles that can hold them', async () => {
    const res = await t.http().get('/tokens/scopes').set(t.auth(users.recruiter)).expect(200);
    expect(res.body.find((s: { scope: string }) => s.scope === 'audit:read')).toMatchObject({ roles: ['admin', 'hr'] });
  });
});
