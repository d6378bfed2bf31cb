/**
 * Mutation targets by name. An entry of modules.js is a whole file (`src/x.ts`), a file and the
 * functions that carry the rule (`src/x.ts#Class.method`, `src/x.ts#topLevelFunction`), resolved
 * here to Stryker's `file:from-to` line range from the TypeScript syntax tree, so that a range follows
 * its function when the file changes around it, and a function that is renamed or moved away stops
 * the run with its name instead of silently mutating whatever now sits on the old lines.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const fileOf = (spec) => spec.replace(/(#.*|:[\d-]+)$/, '');

/** The declarations of a source file by name: `fn`, `Class`, `Class.member`, `const name = …`. */
function declarations(source) {
  const out = new Map();
  const add = (name, node) => out.set(name, [...(out.get(name) ?? []), node]);
  for (const st of source.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) add(st.name.text, st);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text, st);
    if (ts.isClassDeclaration(st) && st.name) {
      add(st.name.text, st);
      for (const m of st.members) if (m.name && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name))) add(`${st.name.text}.${m.name.text}`, m);
    }
  }
  return out;
}

/** `file#name` → `file:from-to` (1-based, inclusive; from the declaration's first token, after its comment). */
function resolveSpec(spec, root = path.join(__dirname, '..')) {
  const at = spec.indexOf('#');
  if (at < 0) return spec;
  const file = spec.slice(0, at);
  const name = spec.slice(at + 1);
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = declarations(source).get(name) ?? [];
  if (found.length !== 1) throw new Error(`mutation/modules.js: ${spec}: ${found.length ? `${found.length} declarations` : 'no declaration'} named ${name} in ${file}`);
  const line = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  return `${file}:${line(found[0].getStart(source))}-${line(found[0].getEnd())}`;
}

const resolveAll = (specs, root) => specs.map((s) => resolveSpec(s, root));

module.exports = { fileOf, resolveSpec, resolveAll };
