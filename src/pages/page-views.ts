import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';

/** Where the page views are: next to this file (src/ under ts-node/jest, dist/src/ after `nest build`). */
export const VIEWS_DIR = join(__dirname, 'views');

/**
 * Server-rendered pages as Handlebars views in files (the pages people open from their mail in
 * src/pages/views, the dashboard's in src/dashboard/views; partials start with "_"), compiled once in strict mode: a view that reads a variable its context
 * lacks fails a test instead of rendering a blank. HTML-escaped by Handlebars; no script anywhere.
 */
export class PageViews {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(dir: string = VIEWS_DIR) {
    if (!existsSync(dir)) throw new Error(`Page views folder ${dir} is missing (did the build copy src/**/*.hbs?)`);
    this.hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hb.registerHelper('includes', (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v));
    this.hb.registerHelper('daysAgo', daysAgo);
    const files = readdirSync(dir).filter((f) => f.endsWith('.hbs'));
    for (const f of files) {
      const partial = f.startsWith('_');
      // a partial stands where it is named, often inside a tag or a cell: its file's last line break is not part of it
      const text = readFileSync(join(dir, f), 'utf8');
      const template = this.hb.compile(partial ? text.replace(/\r?\n$/, '') : text, { strict: true });
      if (partial) this.hb.registerPartial(f.slice(1, -'.hbs'.length), template);
      else this.compiled.set(f.slice(0, -'.hbs'.length), template);
    }
  }

  render(view: string, ctx: object): string {
    const t = this.compiled.get(view);
    if (!t) throw new Error(`No page view ${view}`);
    return t(ctx);
  }
}

/** "less than a day ago", "1 day ago", "5 days ago" (whole days since, as the API counts them). */
export function daysAgo(days: unknown): string {
  const n = Number(days);
  if (!Number.isFinite(n) || n < 1) return 'less than a day ago';
  return n === 1 ? '1 day ago' : `${n} days ago`;
}
