import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const { modules } = require('../mutation/modules.js') as { modules: { slug: string; unit?: Part; e2e?: Part; pg?: Part }[] };
const { resolveSpec } = require('../mutation/resolve.js') as { resolveSpec: (spec: string) => string };
/* eslint-enable @typescript-eslint/no-require-imports */

interface Part {
  mutate: string[];
  specs: string[];
}

const root = join(__dirname, '..');
const parts = modules.flatMap((m) => (['unit', 'e2e', 'pg'] as const).flatMap((s) => (m[s] ? [[`${m.slug}.${s}`, m[s]] as const] : [])));

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

/** CI re-runs a (module, suite) when its report is stale: the text of a mutated file or spec moved on. */
describe('stale mutation reports (mutation/stale.js)', () => {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const { staleness } = require('../mutation/stale.js') as { staleness: (slug: string, suite: string, part: Part, root: string) => string | null };
  const part: Part = { mutate: ['src/x.ts#f'], specs: ['src/x.spec.ts'] };
  let dir: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stale-'));
    write('src/x.ts', 'export const f = 1;\n');
    write('src/x.spec.ts', "it('f', () => {});\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const report = (files: Record<string, string>, testFiles: Record<string, string>) =>
    write(
      'reports/mutation/m.unit.json',
      JSON.stringify({
        files: Object.fromEntries(Object.entries(files).map(([f, source]) => [f, { source, mutants: [] }])),
        testFiles: Object.fromEntries(Object.entries(testFiles).map(([f, source]) => [f, { source, tests: [] }])),
      }),
    );

  it('stands while the mutated files and specs read as the report recorded them', () => {
    report({ 'src/x.ts': 'export const f = 1;\n' }, { 'src/x.spec.ts': "it('f', () => {});\n" });
    expect(staleness('m', 'unit', part, dir)).toBeNull();
  });
  it('is stale with no report, a changed file, a changed spec, or a file the report lacks', () => {
    expect(staleness('m', 'unit', part, dir)).toBe('no report yet');
    report({ 'src/x.ts': 'export const f = 2;\n' }, { 'src/x.spec.ts': "it('f', () => {});\n" });
    expect(staleness('m', 'unit', part, dir)).toBe('src/x.ts changed since the report');
    report({ 'src/x.ts': 'export const f = 1;\n' }, { 'src/x.spec.ts': "it('g', () => {});\n" });
    expect(staleness('m', 'unit', part, dir)).toBe('src/x.spec.ts changed since the report');
    report({}, { 'src/x.spec.ts': "it('f', () => {});\n" });
    expect(staleness('m', 'unit', part, dir)).toBe('src/x.ts is not in the report');
  });
});
