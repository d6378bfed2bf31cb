import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Middleware } from 'openapi-fetch';
import { responseValidator } from './helpers/openapi-validator';
import { createTestApp, TEST_ADMIN_PASSWORD, TestApp } from './helpers/test-app';

const DIR = join(__dirname, 'typed-client');

// openapi-typescript's CommonJS build (its types resolve to the ES module entry only).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const openapiTypescript = require('openapi-typescript') as { default: (doc: unknown, options: { defaultNonNullable: boolean }) => Promise<unknown>; astToString: (ast: unknown) => string };

/**
 * A typed client without guessing: openapi-typescript turns the running app's document into types,
 * `tsc --strict` compiles a realistic usage file against them, and the usage runs against the
 * test server on loopback — every answer also checked against its documented schema.
 */
describe('typed client generated from the OpenAPI document', () => {
  let t: TestApp;
  let doc: any;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-10-01T12:00:00Z' });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    doc = await (await fetch(`${baseUrl}/docs-json`)).json();
  });
  afterAll(() => t.close());

  it('generates the types, compiles the usage file with tsc --strict, and runs it against the server', async () => {
    writeFileSync(join(DIR, 'forewarn-api.d.ts'), openapiTypescript.astToString(await openapiTypescript.default(doc, { defaultNonNullable: false })));
    const tsc = spawnSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '--ignoreConfig',
        '--strict',
        '--noEmit',
        '--skipLibCheck',
        '--target',
        'ES2022',
        '--lib',
        'ES2022,DOM',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--types',
        'node',
        join(DIR, 'usage.ts'),
      ],
      { encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);

    const check = responseValidator(doc);
    const problems: string[] = [];
    const seen: string[] = [];
    const validate: Middleware = {
      async onResponse({ request, response }) {
        const url = new URL(request.url);
        const type = response.headers.get('content-type') ?? '';
        const body = type.startsWith('application/json') ? await response.clone().json() : await response.clone().text();
        seen.push(`${request.method} ${url.pathname} ${response.status}`);
        problems.push(...check(request.method, url.pathname, response.status, type, body));
      },
    };
    // Loaded by path: the usage file is compiled above against the generated types, not with the suite.
    const { tour } = (await import(join(DIR, 'usage'))) as { tour: (baseUrl: string, email: string, password: string, check: Middleware) => Promise<Record<string, any>> };
    const result = await tour(baseUrl, 'admin@forewarn.local', TEST_ADMIN_PASSWORD, validate);
    expect(result).toMatchObject({
      signedInAs: 'admin@forewarn.local',
      tokenType: 'Bearer',
      appearance: { startsAt: '2026-11-05T15:00:00.000Z', startsAtLocal: '2026-11-05T10:00:00.000-05:00', timeZone: 'America/New_York', version: 1 },
      notifications: { total: 3, kinds: ['briefing', 'briefing', 'briefing'] },
      report: { groupBy: 'month' },
    });
    expect(['low', 'moderate', 'high', 'critical']).toContain(result.appearance.level);
    expect(result.calendarWebcalUrl).toMatch(/^webcal:\/\/forewarn\.test\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    expect(seen).toHaveLength(8);
    expect(problems).toEqual([]);
  }, 180_000); // one tsc run: ~10 s on an idle machine, more on a loaded one
});
