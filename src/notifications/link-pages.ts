/** Tiny HTML pages for the links in emails (acknowledge, unsubscribe). */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;max-width:560px;margin:40px auto;padding:0 16px">${body}</body></html>`;
}

/**
 * GET on a mail link only shows a button: link scanners and previews fetch GET URLs, and must not
 * acknowledge a warning (or unsubscribe) on someone's behalf. The button POSTs.
 */
export function confirmPage(title: string, text: string, action: string, button: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p><form method="post" action="${esc(action)}"><button type="submit" style="font-size:18px;padding:8px 16px">${esc(button)}</button></form>`);
}

export function donePage(title: string, text: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);
}
