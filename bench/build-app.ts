/**
 * The built app for the benchmarks that run it as `npm start` does: the same compile as
 * `npm run build` (tsc with tsconfig.build.json) plus the assets nest-cli.json copies (every file under
 * a `templates` folder and every `.hbs` file in src/), written to a temporary folder so that a rebuild
 * of dist/ by someone else in the meantime cannot pull the files from under the running server.
 * Returns the path of main.js.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..');

/** nest-cli.json's assets: `**\/templates/**\/*` and `**\/*.hbs`. */
function isAsset(path: string): boolean {
  return path.endsWith('.hbs') || path.split(sep).slice(0, -1).includes('templates');
}

function copyAssets(dir: string, out: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(path, out);
    else if (isAsset(relative(ROOT, path))) cpSync(path, join(out, relative(ROOT, path)));
  }
}

export function buildApp(dir: string): string {
  const out = join(dir, 'dist');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) console.log(`note: tsc reported errors (it still emitted the JavaScript):\n${tsc.stdout.trim().slice(0, 600)}`);
  copyAssets(join(ROOT, 'src'), out);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules')); // require() finds the packages from the temp folder
  if (!existsSync(join(out, 'src/main.js'))) throw new Error('could not build the app');
  return join(out, 'src/main.js');
}
