import { FieldErrors, ValidationFailedError } from './errors';

/**
 * What every request's body, query string and path parameters must satisfy before any handler,
 * pipe or DTO sees them: at most MAX_INPUT_DEPTH levels of nesting (class-transformer and
 * class-validator recurse, so a 3 KB body of 1,700 brackets overflowed the stack), and every string
 * and key well-formed Unicode without NUL characters (PostgreSQL refuses U+0000 in text, the e-mail
 * validator throws on a lone surrogate). Checked with an explicit stack, so the check itself cannot
 * overflow. Refusals are 400 naming the field.
 */
export const MAX_INPUT_DEPTH = 32;

type Frame = { value: unknown; path: string; depth: number };

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** In a `u` regex a surrogate pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string cannot be stored, or null. */
export function badString(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL characters (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode text (it contains an unpaired surrogate)';
  return null;
}

/**
 * The first problem in a parsed input, as { field: reason }, or null. `root` names the whole value
 * when it is not an object ("body", "query").
 */
export function inspectInput(value: unknown, root: string): FieldErrors | null {
  const stack: Frame[] = [{ value, path: '', depth: 0 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const why = badString(v);
      if (why) return { [path || root]: why };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      // Name the outermost field: the full path of a 1,700-level body is not a useful message.
      const top = path.split(/[.[]/)[0] || root;
      return { [top]: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: child(path, i), depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      if (badString(k)) return { [path || root]: 'has a field name with a NUL character or invalid Unicode' };
      stack.push({ value: (v as Record<string, unknown>)[k], path: child(path, k), depth: depth + 1 });
    }
  }
  return null;
}

/** Throws 400 VALIDATION_FAILED for the first bad body, query or path value of a request. */
export function assertCleanRequest(req: { body?: unknown; query?: unknown; params?: unknown }): void {
  for (const [root, value] of [
    ['params', req.params],
    ['query', req.query],
    ['body', req.body],
  ] as const) {
    // A CSV upload arrives as a stream: its cells are checked row by row by the import.
    if (value && typeof (value as { pipe?: unknown }).pipe === 'function') continue;
    const bad = inspectInput(value, root);
    if (bad) throw new ValidationFailedError(`Request ${root === 'params' ? 'path' : root} refused: ${Object.entries(bad)[0].join(' ')}`, bad);
  }
}

/** The same check for one CSV row (cells by column name): 400 naming the column. */
export function assertCleanRecord(record: Record<string, string>): void {
  const bad = inspectInput(record, 'row');
  if (bad) throw new ValidationFailedError('Invalid row', bad);
}
