import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';

/**
 * A headless Chromium for browser tests, driven by playwright-core (which never downloads one).
 * The binary is, in order: CHROMIUM_PATH; a system Chromium if one is installed; else the one that
 * comes from the npm registry with @sparticuz/chromium, unpacked once per version into a cache
 * folder under the temp directory. So `npm install && npm test` is enough on a machine with Node.
 */
/** A system browser, if one is on the PATH (none needed: the registry build is the fallback). */
const SYSTEM_CHROMIUMS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ChromiumBinary {
  executablePath: string;
  /** Extra environment for the browser process (the registry build brings its own fonts). */
  env: Record<string, string>;
}

export async function findChromium(): Promise<ChromiumBinary> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured}: no such file`);
    return { executablePath: configured, env: {} };
  }
  const system = SYSTEM_CHROMIUMS.map(onPath).find((p) => p !== undefined);
  if (system) return { executablePath: system, env: {} };
  return registryChromium();
}

/**
 * Unpacks @sparticuz/chromium into <tmp>/forewarn-chromium-<version>/. The package always unpacks
 * into os.tmpdir(), so a child Node process does it with TMPDIR pointing at a fresh staging folder,
 * which is then renamed into place: two test runs unpacking at once never see each other's
 * half-written binary, and this process's environment is left alone.
 */
function registryChromium(): ChromiumBinary {
  const main = require.resolve('@sparticuz/chromium'); // <package>/build/cjs/index.cjs
  const { version } = JSON.parse(readFileSync(join(dirname(main), '..', '..', 'package.json'), 'utf8')) as { version: string };
  const cache = join(tmpdir(), `forewarn-chromium-${version}`);
  const binary = join(cache, 'chromium');
  if (!existsSync(binary)) {
    const staging = mkdtempSync(join(tmpdir(), `forewarn-chromium-${version}-`));
    try {
      execFileSync(process.execPath, ['-e', `require(${JSON.stringify(main)}).executablePath().catch((e) => { console.error(e); process.exit(1); })`], {
        env: { ...process.env, TMPDIR: staging },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (!existsSync(join(staging, 'chromium'))) throw new Error(`@sparticuz/chromium did not unpack into ${staging}`);
      // Its fonts.conf names the serverless folders (/tmp/fonts); without fonts, form controls crash the renderer.
      const fontsConf = join(staging, 'fonts', 'fonts.conf');
      writeFileSync(
        fontsConf,
        readFileSync(fontsConf, 'utf8')
          .replace('<dir>/tmp/fonts</dir>', `<dir>${join(cache, 'fonts')}</dir>`)
          .replace('/tmp/fonts-cache/', join(cache, 'fonts-cache/')),
      );
      renameSync(staging, cache);
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(binary)) throw err; // else another run got there first
    }
  }
  return { executablePath: binary, env: { FONTCONFIG_PATH: join(cache, 'fonts') } };
}

export interface HeadlessBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent headless context in a throw-away profile; close() removes the profile. */
export async function launchHeadlessChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<HeadlessBrowser> {
  const { executablePath, env } = await findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'forewarn-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ARGS,
      env: { ...(process.env as Record<string, string>), ...env },
      viewport: options.viewport ?? { width: 1100, height: 900 },
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
