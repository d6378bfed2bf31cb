import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { NOTIFICATION_DEFINITIONS } from './notification-definitions';
import type { MailContext } from './mail-context';

type Compiled = (ctx: MailContext) => string;

/** Where the .hbs files are: next to this file (src/ under ts-node/jest, dist/src/ after `nest build`). */
export const TEMPLATES_DIR = join(__dirname, 'templates');

/**
 * Loads every template once at start-up and compiles it in strict mode: a template that reads a
 * variable the context does not have throws (at render, in tests) instead of sending a blank.
 * Files: <name>.text.hbs (compiled without HTML escaping) and <name>.html.hbs; partials start with "_".
 */
export class MailTemplates {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Compiled>();

  constructor(dir: string = TEMPLATES_DIR) {
    if (!existsSync(dir)) throw new Error(`Mail templates folder ${dir} is missing (did the build copy src/**/templates?)`);
    this.hb.registerHelper('inc', (n: number) => n + 1);
    const files = readdirSync(dir).filter((f) => f.endsWith('.hbs'));
    for (const f of files.filter((f) => f.startsWith('_'))) {
      const name = f.slice(1, -'.hbs'.length).replace(/\./g, '-');
      const isText = f.endsWith('.text.hbs');
      this.hb.registerPartial(name, this.hb.compile(readFileSync(join(dir, f), 'utf8'), { strict: true, noEscape: isText }));
    }
    for (const f of files.filter((f) => !f.startsWith('_'))) {
      const isText = f.endsWith('.text.hbs');
      this.compiled.set(f.slice(0, -'.hbs'.length), this.hb.compile(readFileSync(join(dir, f), 'utf8'), { strict: true, noEscape: isText }));
    }
    for (const d of Object.values(NOTIFICATION_DEFINITIONS)) {
      for (const part of ['text', 'html']) {
        if (!this.compiled.has(`${d.template}.${part}`)) throw new Error(`Mail template ${d.template}.${part}.hbs is missing in ${dir}`);
      }
    }
  }

  render(template: string, ctx: MailContext): { text: string; html: string } {
    const text = this.compiled.get(`${template}.text`);
    const html = this.compiled.get(`${template}.html`);
    if (!text || !html) throw new Error(`No mail template ${template}`);
    return { text: tidy(text(ctx)), html: html(ctx) };
  }
}

/** Collapse the blank lines template control flow leaves behind. */
function tidy(s: string): string {
  return s.replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
