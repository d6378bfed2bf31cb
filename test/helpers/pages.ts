import type { Response } from 'supertest';
import type { ReceivedMail } from './smtp-server';

/** Text of an HTML attribute as the browser reads it (Handlebars escapes = ' ` as entities). */
export function decode(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCharCode(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The href (as the browser reads it) of the first link in a piece of HTML whose text matches, or null. */
export function hrefIn(html: string, text: RegExp): string | null {
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)) {
    if (text.test(m[2].replace(/<[^>]+>/g, ''))) return decode(m[1]);
  }
  return null;
}

/** The href of the first link in a mail's HTML part whose text matches (relative to the service, e.g. "/pages/…?token=…"). */
export function linkIn(mail: ReceivedMail, text: RegExp): string {
  const href = hrefIn(String(mail.parsed.html || ''), text);
  if (href === null) throw new Error(`no link matching ${text} in "${mail.parsed.subject}"`);
  const url = new URL(href);
  return url.pathname + url.search;
}

/** The link's token (query parameter). */
export const tokenOf = (link: string): string => new URL(link, 'http://x').searchParams.get('token') ?? '';

/** "name=value" pairs of the Set-Cookie headers of a response, as one Cookie header. */
export function cookiesOf(res: Response): string {
  const set = res.headers['set-cookie'] as unknown as string[] | undefined;
  return (set ?? [])
    .map((c) => c.split(';')[0])
    .filter((c) => !c.endsWith('='))
    .join('; ');
}

/** The value of a hidden form field in a page. */
export function hidden(html: string, name: string): string {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no hidden ${name} field`);
  return decode(m[1]);
}
