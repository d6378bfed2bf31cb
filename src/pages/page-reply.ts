import type { FastifyReply } from 'fastify';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** An HTML page answer: no caching (pages carry personal links), no script allowed, no framing. */
export function sendHtml(reply: FastifyReply, html: string, status = 200): void {
  void reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .send(html);
}

/** 303 See Other: after a POST, the browser GETs the page again (reloading never re-submits). */
export function seeOther(reply: FastifyReply, location: string): void {
  void reply.status(303).header('Location', location).header('Cache-Control', 'no-store').send();
}

/** Where a sign-in may send the browser afterwards: only this service's pages. */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 500) return null;
  return /^\/(pages|dashboard)(\/[A-Za-z0-9/_-]*)?(\?[A-Za-z0-9=&_.%-]*)?$/.test(next) && !next.includes('//') ? next : null;
}

/** The path of the request without its link token (for "sign in instead" links). */
export function pathWithoutToken(url: string): string {
  const [path, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  params.delete('token');
  params.delete('done');
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}
