import { existsSync } from 'node:fs';
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const { modules } = require('../mutation/modules.js') as { modules: { slug: string; unit?: Part; e2e?: Part }[] };
const { resolveSpec } = require('../mutation/resolve.js') as { resolveSpec: (spec: string) => string };
/* eslint-enable @typescript-eslint/no-require-imports */

interface Part {
  mutate: string[];
  specs: string[];
}

const root = join(__dirname, '..');
const parts = modules.flatMap((m) => (['unit', 'e2e'] as const).flatMap((s) => (m[s] ? [[`${m.slug}.${s}`, m[s]] as const] : [])));

/** The mutation targets follow the code: a moved file or a renamed function fails here, not in a 20-minute Stryker run. */
describe('mutation targets (mutation/modules.js)', () => {
  it.each(parts)('%s: every file and spec exists and every named function resolves to one range', (_name, part) => {
    for (const spec of part.specs) expect(existsSync(join(root, spec))).toBe(true);
    for (const target of part.mutate) {
      const resolved = resolveSpec(target);
      expect(resolved).toMatch(target.includes('#') ? /^src\/.+\.ts:\d+-\d+$/ : /^src\/.+\.ts$/);
      expect(existsSync(join(root, resolved.replace(/:[\d-]+$/, '')))).toBe(true);
    }
  });

  it('refuses a name that is not declared', () => {
    expect(() => resolveSpec('src/auth/key-ring.ts#KeyRing.noSuchMethod')).toThrow(/no declaration named KeyRing.noSuchMethod/);
    expect(resolveSpec('src/notifications/outbox-claims.ts#renewLeases')).toMatch(/^src\/notifications\/outbox-claims.ts:\d+-\d+$/);
  });
});
