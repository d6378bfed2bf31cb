/** UTC month keys ('2026-05') and month arithmetic for the reports' windows. */

/** UTC month keys from the month of `from` to the month of `to − 1 ms`, inclusive. */
export function monthKeys(from: number, to: number): string[] {
  const out: string[] = [];
  const end = new Date(to - 1);
  let y = new Date(from).getUTCFullYear();
  let m = new Date(from).getUTCMonth();
  while (y < end.getUTCFullYear() || (y === end.getUTCFullYear() && m <= end.getUTCMonth())) {
    out.push(`${y}-${String(m + 1).padStart(2, '0')}`);
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
    if (out.length > 600) break;
  }
  return out;
}

/** UTC quarter keys ('2026-Q1') covering [from, to). */
export function quarterKeys(from: number, to: number): string[] {
  const seen = new Set<string>();
  for (const m of monthKeys(from, to)) {
    const [y, mm] = m.split('-').map(Number);
    seen.add(`${y}-Q${Math.floor((mm - 1) / 3) + 1}`);
  }
  return [...seen];
}

/** Start of the UTC month containing ms. */
export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the UTC month `n` months after the one containing ms (n may be negative). */
export function addMonths(ms: number, n: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
}
