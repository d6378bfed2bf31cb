/**
 * NestJS 12 (and a few other packages) ship ESM only. Node 20.19+ loads them from our CommonJS
 * build through require(esm), but Jest's module runtime cannot. This transformer turns those
 * packages into CommonJS for Jest only: TypeScript's transpiler does the module conversion, after
 * `import.meta` uses (always `createRequire(import.meta.url)` or `import.meta.resolve`) are mapped
 * to their CommonJS equivalents.
 */
const ts = require('typescript');
const crypto = require('node:crypto');

const VERSION = '4';
// CommonJS packages that load an ESM-only dependency with a literal dynamic import (@fastify/cookie → cookie).
const DYNAMIC_IMPORT = /\bawait import\((['"][^'"]+['"])\)/g;
const ESM_SYNTAX = /^(?:import\s*[\w{*'"]|export\s*(?:[{*]|default\b|const\b|let\b|var\b|function\b|async\b|class\b))/m;

function rewrite(src) {
  return src
    .replace(/^\s*const require = createRequire\(import\.meta\.url\);?\s*$/gm, '')
    .replace(/createRequire\(import\.meta\.url\)/g, 'require')
    .replace(/import\.meta\.resolve\(/g, 'require.resolve(')
    .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
    .replace(/import\.meta\.dirname/g, '__dirname')
    .replace(/import\.meta\.filename/g, '__filename');
}

module.exports = {
  getCacheKey(src, filename) {
    return crypto.createHash('sha1').update(VERSION).update(filename).update(src).digest('hex');
  },
  process(src, filename) {
    if (!filename.endsWith('.mjs') && !ESM_SYNTAX.test(src)) return { code: DYNAMIC_IMPORT.test(src) ? src.replace(DYNAMIC_IMPORT, 'require($1)') : src };
    const out = ts.transpileModule(rewrite(src), {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    return { code: out.outputText };
  },
};
