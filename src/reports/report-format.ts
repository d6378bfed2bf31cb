/**
 * Numbers in report sentences, printed with enough digits to show what the sentence claims: a
 * range whose lower end is +0.23% does not print as "0%", and two rates 2.5-fold apart do not both
 * print as "0.00".
 */

/** Digits after the point for a percentage: none from 10%, one from 1%, else two significant. */
function pctDigits(v: number): number {
  const a = Math.abs(v);
  if (a === 0 || a >= 10) return 0;
  if (a >= 1) return 1;
  return Math.min(6, 1 - Math.floor(Math.log10(a)));
}

/** A change as a signed percentage: 0.1 → "+10%", -0.0023 → "-0.23%". */
export function signedPct(x: number): string {
  const v = x * 100;
  const s = v.toFixed(pctDigits(v));
  return v > 0 ? `+${s}%` : `${s}%`;
}

/** The size of a change without its sign, for "rose by" / "fell by": -0.38 → "38%". */
export function magnitudePct(x: number): string {
  const v = Math.abs(x * 100);
  return `${v.toFixed(pctDigits(v))}%`;
}

/** A rate with two significant digits (three from 1 up): 0.004 → "0.0040", 0.25 → "0.25". */
export function rateText(x: number | null): string {
  if (x === null) return 'n/a';
  if (x === 0) return '0';
  return x.toPrecision(Math.abs(x) >= 1 ? 3 : 2);
}

/** Two rates printed with the same rule, adding digits until unequal rates print differently. */
export function ratePair(a: number, b: number): [string, string] {
  if (a === b) return [rateText(a), rateText(b)];
  for (let digits = 2; digits <= 8; digits++) {
    const pa = a === 0 ? '0' : a.toPrecision(digits);
    const pb = b === 0 ? '0' : b.toPrecision(digits);
    if (pa !== pb) return [pa, pb];
  }
  return [String(a), String(b)];
}

/** A p-value: "p < 0.001" or two significant digits. */
export function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`;
}

/** A percentage-point difference: -0.267 → "-27 points", 0.004 → "+0.40 points". */
export function signedPoints(x: number): string {
  const v = x * 100;
  const s = v.toFixed(pctDigits(v));
  return `${v > 0 ? '+' : ''}${s} points`;
}
