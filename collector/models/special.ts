/**
 * Special functions the value models need. Pure numerics, no dependencies.
 */

// Lanczos coefficients (g = 7, n = 9): about 15 significant digits over the positive reals.
const G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Natural log of |Γ(x)|.
 * @example logGamma(10) // ≈ 12.8018 (= ln 9!)
 */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps the Lanczos sum in the range where it is accurate.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  if (x > 1e7) {
    // Stirling is exact to double precision here and avoids cancellation in the Lanczos form.
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + 1 / (12 * x);
  }
  const y = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < G + 2; i++) s += LANCZOS[i] / (y + i);
  const t = y + G + 0.5;
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

/** log(e^a + e^b) without overflow; -Infinity terms are allowed. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * Digamma ψ(x) = d/dx ln Γ(x), for the likelihood gradients.
 * Recurrence up to x ≥ 12, then the asymptotic series (error < 1e-14).
 */
export function digamma(x: number): number {
  let r = 0;
  if (x <= 0 && Number.isInteger(x)) return NaN;
  if (x < 0) return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  while (x < 12) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}
