/**
 * Server-rendered SVG charts: no front-end build, no script. Each chart is an <svg role="img">
 * labelled by its <title> and <desc>; every bar carries its own <title> (a tooltip and a spoken
 * label) and data-* attributes with the exact value, so tests and assistive tech read the numbers.
 * Pure functions: data in, markup out. The table under each chart is the accessible twin.
 */

/** Escapes text for SVG/HTML text and attribute values (every label and title the charts carry). */
export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface Series {
  name: string;
  color: string;
  values: Array<number | null>;
  /** Optional interval per category, drawn as a whisker. */
  intervals?: Array<{ low: number | null; high: number | null } | null>;
}

export interface BarChartSpec {
  id: string;
  title: string;
  desc: string;
  categories: string[];
  series: Series[];
  /** An optional line over the bars (e.g. the fitted trend), same scale. */
  line?: { name: string; color: string; values: Array<number | null> };
  yLabel: string;
  format?: (v: number) => string;
  width?: number;
  height?: number;
  /** Fix the top of the y axis (e.g. 1 for shares). */
  yMax?: number;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';
const INK = '#1a1a1a';
const GRID = '#d0d0d0';

/** Tops of the y axis per decade, with how many gridline steps give round tick values. */
const NICE: Array<[number, number]> = [
  [1, 5],
  [1.2, 4],
  [1.5, 3],
  [2, 4],
  [2.5, 5],
  [3, 3],
  [4, 4],
  [5, 5],
  [6, 3],
  [8, 4],
  [10, 5],
];

/** The smallest round top ≥ v (1.06 → 1.2, not 2: the bars use most of the height) and its tick count. */
export function niceScale(v: number): { top: number; ticks: number } {
  if (!(v > 0)) return { top: 1, ticks: 5 };
  const p = 10 ** Math.floor(Math.log10(v));
  for (const [m, ticks] of NICE) {
    const top = Number((m * p).toPrecision(6));
    if (top >= v) return { top, ticks };
  }
  return { top: 10 * p, ticks: 5 };
}

const defaultFormat = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** Tick labels with one number of decimals for the whole axis (0, 0.30, 0.60 — never "2" beside "1.50"). */
function tickFormat(step: number): (v: number) => string {
  let d = 0;
  while (d < 4 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-9) d++;
  return (v) => v.toFixed(d);
}

/** A category label on one or two lines (split at the space nearest the middle), each at most 16 characters. */
function labelLines(cat: string): string[] {
  const cut = (t: string) => (t.length > 16 ? `${t.slice(0, 15)}…` : t);
  if (cat.length <= 14) return [cat];
  const spaces = [...cat.matchAll(/ /g)].map((x) => x.index as number);
  if (!spaces.length) return [cut(cat)];
  const mid = spaces.reduce((a, b) => (Math.abs(b - cat.length / 2) < Math.abs(a - cat.length / 2) ? b : a));
  return [cut(cat.slice(0, mid)), cut(cat.slice(mid + 1))];
}

/** Vertical bars, grouped by category, with optional whiskers and an optional line. */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 760;
  const rotate = spec.categories.length > 8;
  const height = (spec.height ?? 300) + (rotate ? 24 : 0);
  const fmt = spec.format ?? defaultFormat;
  const m = { top: 24, right: 16, bottom: rotate ? 88 : 64, left: 64 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const all: number[] = [];
  for (const s of spec.series) {
    s.values.forEach((v, i) => {
      if (v !== null) all.push(v);
      const iv = s.intervals?.[i];
      if (iv?.high !== null && iv?.high !== undefined) all.push(iv.high);
    });
  }
  for (const v of spec.line?.values ?? []) if (v !== null) all.push(v);
  const scale = spec.yMax ? { top: spec.yMax, ticks: /^(5|10)(0*)$/.test(String(spec.yMax)) || spec.yMax === 0.5 ? 5 : 4 } : niceScale(Math.max(0, ...all));
  const top = scale.top;
  const y = (v: number) => m.top + h - (Math.min(v, top) / top) * h;
  const n = Math.max(1, spec.categories.length);
  const band = w / n;
  const groupW = band * 0.8;
  const barW = groupW / Math.max(1, spec.series.length);
  const out: string[] = [];
  out.push(
    `<svg id="${esc(spec.id)}" class="chart" role="img" aria-labelledby="${esc(spec.id)}-title ${esc(spec.id)}-desc" viewBox="0 0 ${width} ${height}" width="100%" ${FONT} font-size="12">`,
    `<title id="${esc(spec.id)}-title">${esc(spec.title)}</title>`,
    `<desc id="${esc(spec.id)}-desc">${esc(spec.desc)}</desc>`,
  );
  const ticks = scale.ticks;
  const tickFmt = spec.format ?? tickFormat(top / ticks);
  for (let k = 0; k <= ticks; k++) {
    const v = (top * k) / ticks;
    out.push(
      `<line x1="${m.left}" x2="${m.left + w}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${GRID}" stroke-width="1" aria-hidden="true"/>`,
      `<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="${INK}" aria-hidden="true">${esc(tickFmt(v))}</text>`,
    );
  }
  out.push(`<text x="14" y="${m.top + h / 2}" transform="rotate(-90 14 ${m.top + h / 2})" text-anchor="middle" fill="${INK}" aria-hidden="true">${esc(spec.yLabel)}</text>`);
  spec.categories.forEach((cat, i) => {
    const gx = m.left + i * band + (band - groupW) / 2;
    spec.series.forEach((s, j) => {
      const v = s.values[i];
      const x = gx + j * barW;
      if (v !== null && v !== undefined) {
        const yy = y(v);
        out.push(
          `<rect class="bar" data-series="${esc(s.name)}" data-category="${esc(cat)}" data-value="${v}" x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${Math.max(1, barW - 2).toFixed(1)}" height="${(m.top + h - yy).toFixed(1)}" fill="${s.color}">` +
            `<title>${esc(`${s.name}, ${cat}: ${fmt(v)}`)}</title></rect>`,
        );
      }
      const iv = s.intervals?.[i];
      if (iv && iv.low !== null && iv.high !== null) {
        const cx = x + (barW - 2) / 2;
        out.push(
          `<g class="whisker" stroke="${INK}" stroke-width="1.5" aria-hidden="true"><line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(iv.low).toFixed(1)}" y2="${y(iv.high).toFixed(1)}"/>` +
            `<line x1="${(cx - 4).toFixed(1)}" x2="${(cx + 4).toFixed(1)}" y1="${y(iv.high).toFixed(1)}" y2="${y(iv.high).toFixed(1)}"/>` +
            `<line x1="${(cx - 4).toFixed(1)}" x2="${(cx + 4).toFixed(1)}" y1="${y(iv.low).toFixed(1)}" y2="${y(iv.low).toFixed(1)}"/></g>`,
        );
      }
    });
    const lx = m.left + i * band + band / 2;
    if (spec.series.every((s) => s.values[i] === null || s.values[i] === undefined)) {
      out.push(`<text class="no-data" x="${lx.toFixed(1)}" y="${m.top + h - 8}" text-anchor="middle" fill="#595959" font-style="italic">no data</text>`);
    }
    if (rotate) {
      const label = cat.length > 14 ? `${cat.slice(0, 13)}…` : cat;
      out.push(`<text x="${lx.toFixed(1)}" y="${m.top + h + 16}" text-anchor="end" fill="${INK}" transform="rotate(-35 ${lx.toFixed(1)} ${m.top + h + 16})">${esc(label)}</text>`);
    } else {
      const lines = labelLines(cat);
      const tspans = lines.map((l, k) => `<tspan x="${lx.toFixed(1)}" dy="${k === 0 ? 0 : 14}">${esc(l)}</tspan>`).join('');
      out.push(`<text x="${lx.toFixed(1)}" y="${m.top + h + 16}" text-anchor="middle" fill="${INK}">${lines.length > 1 ? `<title>${esc(cat)}</title>` : ''}${tspans}</text>`);
    }
  });
  if (spec.line) {
    const pts = spec.line.values.map((v, i) => (v === null ? null : `${(m.left + i * band + band / 2).toFixed(1)},${y(v).toFixed(1)}`)).filter((p): p is string => p !== null);
    if (pts.length >= 2) {
      out.push(`<polyline class="trend" points="${pts.join(' ')}" fill="none" stroke="${spec.line.color}" stroke-width="2.5" stroke-dasharray="6 4"><title>${esc(spec.line.name)}</title></polyline>`);
    }
  }
  out.push(`<line x1="${m.left}" x2="${m.left + w}" y1="${m.top + h}" y2="${m.top + h}" stroke="${INK}" aria-hidden="true"/>`);
  out.push(legend([...spec.series.map((s) => ({ name: s.name, color: s.color })), ...(spec.line ? [{ name: spec.line.name, color: spec.line.color, dashed: true }] : [])], m.left, height - 14));
  out.push('</svg>');
  return out.join('');
}

export interface StackedSpec {
  id: string;
  title: string;
  desc: string;
  categories: string[];
  stacks: Series[];
  width?: number;
}

/** Horizontal stacked bars: one row per category, segments per stack. */
export function stackedBarChart(spec: StackedSpec): string {
  const width = spec.width ?? 760;
  const rowH = 22;
  const m = { top: 12, right: 48, bottom: 40, left: 90 };
  const height = m.top + m.bottom + rowH * Math.max(1, spec.categories.length);
  const totals = spec.categories.map((_, i) => spec.stacks.reduce((s, st) => s + (st.values[i] ?? 0), 0));
  const top = Math.max(1, ...totals);
  const w = width - m.left - m.right;
  const out: string[] = [
    `<svg id="${esc(spec.id)}" class="chart" role="img" aria-labelledby="${esc(spec.id)}-title ${esc(spec.id)}-desc" viewBox="0 0 ${width} ${height}" width="100%" ${FONT} font-size="12">`,
    `<title id="${esc(spec.id)}-title">${esc(spec.title)}</title>`,
    `<desc id="${esc(spec.id)}-desc">${esc(spec.desc)}</desc>`,
  ];
  spec.categories.forEach((cat, i) => {
    const yy = m.top + i * rowH;
    out.push(`<text x="${m.left - 6}" y="${yy + rowH / 2 + 4}" text-anchor="end" fill="${INK}">${esc(cat)}</text>`);
    let x = m.left;
    for (const st of spec.stacks) {
      const v = st.values[i] ?? 0;
      if (v <= 0) continue;
      const bw = (v / top) * w;
      out.push(
        `<rect class="bar" data-series="${esc(st.name)}" data-category="${esc(cat)}" data-value="${v}" x="${x.toFixed(1)}" y="${yy + 3}" width="${bw.toFixed(1)}" height="${rowH - 6}" fill="${st.color}" stroke="#ffffff" stroke-width="2">` +
          `<title>${esc(`${cat}, ${st.name}: ${v}`)}</title></rect>`,
      );
      x += bw;
    }
    out.push(`<text x="${(x + 4).toFixed(1)}" y="${yy + rowH / 2 + 4}" fill="${INK}" aria-hidden="true">${totals[i]}</text>`);
  });
  out.push(
    legend(
      spec.stacks.map((s) => ({ name: s.name, color: s.color })),
      m.left,
      height - 14,
    ),
  );
  out.push('</svg>');
  return out.join('');
}

function legend(items: Array<{ name: string; color: string; dashed?: boolean }>, x0: number, y: number): string {
  let x = x0;
  const parts: string[] = ['<g class="legend">'];
  for (const it of items) {
    parts.push(
      it.dashed
        ? `<line x1="${x}" x2="${x + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${it.color}" stroke-width="2.5" stroke-dasharray="6 4"/>`
        : `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${it.color}"/>`,
    );
    parts.push(`<text x="${x + (it.dashed ? 22 : 16)}" y="${y}" fill="${INK}">${esc(it.name)}</text>`);
    x += (it.dashed ? 22 : 16) + it.name.length * 6.8 + 14;
  }
  parts.push('</g>');
  return parts.join('');
}
