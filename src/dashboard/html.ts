/** Small, safe HTML building blocks for the server-rendered dashboard (no template engine needed). */

export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A cell: text (escaped), a number (right-aligned), or markup built with esc() (a link). */
export type Cell = string | number | null | undefined | { html: string };

const cellHtml = (c: Cell): string => (c !== null && typeof c === 'object' ? c.html : esc(c ?? '—'));

/**
 * A data table with a caption and column headers; numbers right-aligned. It scrolls inside its own
 * focusable region, so a wide table never makes the page wider than a phone.
 */
export function table(id: string, caption: string, headers: string[], rows: Cell[][]): string {
  const th = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.length
    ? rows
        .map(
          (r) =>
            `<tr>${r
              .map((c, i) => (i === 0 ? `<th scope="row">${cellHtml(c)}</th>` : `<td${typeof c === 'number' ? ' class="num"' : ''}>${cellHtml(c)}</td>`))
              .join('')}</tr>`,
        )
        .join('')
    : `<tr><td colspan="${headers.length}">No data in this window.</td></tr>`;
  return `<div class="scroll" role="region" aria-labelledby="${esc(id)}-caption" tabindex="0"><table id="${esc(id)}"><caption id="${esc(id)}-caption">${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export const fmt2 = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(2));
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`);

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #ffffff; margin: 0; line-height: 1.45; }
* { box-sizing: border-box; }
header, main, footer { max-width: 1000px; margin: 0 auto; padding: 0 16px; }
.scroll { overflow-x: auto; max-width: 100%; margin: 8px 0 16px; }
.scroll table { margin: 0; }
ul.levels { display: flex; flex-wrap: wrap; gap: 8px 20px; list-style: none; padding: 0; }
.field-error { color: #a50026; font-weight: 600; font-size: 0.9rem; }
header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; border-bottom: 2px solid #1f4e79; padding-top: 12px; padding-bottom: 12px; }
h1 { font-size: 1.5rem; margin: 0; color: #1f4e79; }
h2 { font-size: 1.2rem; margin-top: 2rem; color: #1f4e79; }
a { color: #0b4f8a; }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid #b35900; outline-offset: 2px; }
.verdict { font-size: 1.1rem; border-left: 6px solid #1f4e79; background: #eef3f8; padding: 10px 14px; }
.verdict.worse { border-color: #a50026; background: #fbeaea; }
.verdict.better { border-color: #1b7837; background: #eaf6ec; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #c8c8c8; padding: 4px 8px; text-align: left; }
thead th { background: #eef3f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
form.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin: 16px 0; }
label { display: flex; flex-direction: column; font-size: 0.9rem; }
input, select, button { font-size: 1rem; padding: 6px 8px; border: 1px solid #6b6b6b; border-radius: 4px; }
button { background: #1f4e79; color: #ffffff; border-color: #1f4e79; cursor: pointer; }
.muted { color: #4a4a4a; font-size: 0.9rem; }
.error { color: #a50026; font-weight: 600; }
.downloads li { margin: 4px 0; }
.chart { max-width: 100%; height: auto; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function loginPage(opts: { error?: string; email?: string } = {}): string {
  return page(
    'Sign in — Forewarn dashboard',
    `<header><h1>Forewarn dashboard</h1></header><main>
<h2>Sign in</h2>
<p class="muted">For hr, coordinators and admins. Use your Forewarn email and password.</p>
${opts.error ? `<p class="error" role="alert">${esc(opts.error)}</p>` : ''}
<form method="post" action="/dashboard/login" class="filters">
<label for="email">Email<input id="email" name="email" type="email" autocomplete="username" required value="${esc(opts.email ?? '')}"></label>
<label for="password">Password<input id="password" name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form></main>`,
  );
}

export function errorPage(status: number, message: string): string {
  return page(
    `${status} — Forewarn dashboard`,
    `<header><h1>Forewarn dashboard</h1></header><main><h2>${status === 403 ? 'Not for your role' : 'Something went wrong'}</h2>
<p class="error" role="alert">${esc(message)}</p><p><a href="/dashboard/login">Sign in as someone else</a></p></main>`,
  );
}
