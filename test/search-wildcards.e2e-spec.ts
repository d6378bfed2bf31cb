import { createTestApp, TestApp } from './helpers/test-app';

/** `q` is a substring, never a LIKE pattern: `%`, `_` and `\` match themselves on both databases. */
describe('search: LIKE wildcards in q are literal', () => {
  let t: TestApp;
  let H: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.factories.user('admin', { email: 'admin-wild@test.example', displayName: 'Admin Wild' });
    H = t.auth(admin);
    await t.factories.institution({ name: 'Kent State University', city: 'Kent', state: 'OH' });
    await t.factories.institution({ name: 'Ohio University', city: 'Athens', state: 'OH' });
    await t.factories.user('hr', { email: 'ops_desk@test.example', displayName: '100% HR' });
    await t.factories.user('hr', { email: 'opsXdesk@test.example', displayName: 'Other HR' });
  });
  afterAll(() => t.close());

  const names = async (path: string) => (await t.http().get(path).set(H).expect(200)).body.items.map((i: { name?: string; email?: string }) => i.name ?? i.email);

  it('institutions: q=% and q=_ match nothing, a real term still matches', async () => {
    expect(await names('/institutions?q=%25')).toEqual([]);
    expect(await names('/institutions?q=_')).toEqual([]);
    expect(await names('/institutions?q=%25%25')).toEqual([]);
    expect(await names('/institutions?q=kent')).toEqual(['Kent State University']);
    expect(await names('/institutions?q=k%25t')).toEqual([]);
    expect((await names('/institutions')).length).toBe(2);
  });

  it('users: % and _ are literal characters of the e-mail or name', async () => {
    expect(await names('/users?q=%25')).toEqual(['ops_desk@test.example']); // "100% HR"
    expect(await names('/users?q=ops_desk')).toEqual(['ops_desk@test.example']); // not opsXdesk
    expect(await names('/users?q=_')).toEqual(['ops_desk@test.example']);
    expect(await names('/users?q=%5C')).toEqual([]); // a lone backslash is not an escape
    expect(new Set(await names('/users?q=ops'))).toEqual(new Set(['ops_desk@test.example', 'opsXdesk@test.example']));
  });
});
