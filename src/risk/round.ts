/** Rounding of the numbers a risk snapshot stores (and the words read off them). Pure. */

/** 10^e for the exponents r6 meets, each the very value Math.pow(10, e) gives (index e + 330). */
const POW10 = Float64Array.from({ length: 661 }, (_, i) => Math.pow(10, i - 330));

/** Six significant digits (cheaper than toPrecision, which dominated a 10,000-row refresh). */
export const r6 = (x: number): number => {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = 5 - Math.floor(Math.log10(Math.abs(x)));
  const f = e >= -330 && e <= 330 ? POW10[e + 330] : Math.pow(10, e);
  return Math.round(x * f) / f;
};
