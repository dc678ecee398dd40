/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) for real arguments and z < 1,
 * as the BG/NBD conditional expectation needs it.
 *
 * Strategy: negative z is mapped into (0, 1) with Pfaff's transformation; in (0, 1) the series
 * is summed either directly or after Euler's transformation, whichever has the faster-decaying
 * terms (terms behave like n^(a+b−c−1)·zⁿ, Euler's like n^(c−a−b−1)·zⁿ). The running sum is
 * rescaled so huge intermediate terms never overflow.
 */

import { logGamma } from './special.ts';

const EPS = 1e-16;
const MAX_TERMS = 1_000_000;

/**
 * ₂F₁(a, b; c; z) for z < 1 (and z = 1 when c − a − b > 0, by Gauss's sum).
 * @throws RangeError when c is a non-positive integer, z > 1, or the series does not converge.
 * @example hyp2f1(1, 1, 2, 0.5) // = −ln(1 − 0.5) / 0.5 ≈ 1.3863
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1: c must not be a non-positive integer (c=${c})`);
  if (!(z <= 1)) throw new RangeError(`hyp2f1: z must be ≤ 1 (z=${z})`);
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z === 1) {
    if (c - a - b <= 0) throw new RangeError('hyp2f1: diverges at z=1 unless c − a − b > 0');
    if (isNonPositiveInt(c - a) || isNonPositiveInt(c - b)) return 0;
    const sign = gammaSign(c) * gammaSign(c - a - b) * gammaSign(c - a) * gammaSign(c - b);
    return sign * Math.exp(logGamma(c) + logGamma(c - a - b) - logGamma(c - a) - logGamma(c - b));
  }
  if (z < 0) {
    // Pfaff: ₂F₁(a,b;c;z) = (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1)); pick the variant with a terminating
    // or smaller first parameter to keep the new series short.
    const w = z / (z - 1);
    return Math.abs(a) <= Math.abs(b) ? Math.pow(1 - z, -a) * positive(a, c - b, c, w) : Math.pow(1 - z, -b) * positive(b, c - a, c, w);
  }
  return positive(a, b, c, z);
}

function isNonPositiveInt(v: number): boolean {
  return v <= 0 && Number.isInteger(v);
}

/** 0 < z < 1. */
function positive(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  const polynomial = isNonPositiveInt(a) || isNonPositiveInt(b);
  if (!polynomial && c < a + b) return Math.pow(1 - z, c - a - b) * series(c - a, c - b, c, z);
  return series(a, b, c, z);
}

function series(a: number, b: number, c: number, z: number): number {
  const [sum, scale] = scaledSeries(a, b, c, z);
  return sum * Math.exp(scale);
}

/**
 * e^logFactor · Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ: the plain series, no transformation, with the prefactor
 * applied in log space, so a power that underflows times a series that overflows stays finite.
 * For 0 ≤ z < 1 and positive a, b, c every term is positive: nothing cancels however large the
 * parameters are (the transformed series alternate with huge terms when a parameter is very negative).
 * @example hyp2f1SeriesTimes(-2.3 * Math.log(2), 2.3, 1.7, 1.7, 0.5) // = 0.5^2.3 · (1 − 0.5)^−2.3 = 1
 */
export function hyp2f1SeriesTimes(logFactor: number, a: number, b: number, c: number, z: number): number {
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1: c must not be a non-positive integer (c=${c})`);
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1SeriesTimes: z must be in [0, 1) (z=${z})`);
  if (z === 0 || a === 0 || b === 0) return Math.exp(logFactor);
  const [sum, scale] = scaledSeries(a, b, c, z);
  return sum * Math.exp(scale + logFactor);
}

/** The series as [sum, scale]: its value is sum · e^scale. */
function scaledSeries(a: number, b: number, c: number, z: number): [number, number] {
  let sum = 1;
  let term = 1;
  let scale = 0; // the true sum is sum · e^scale
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return [sum, scale];
    const absSum = Math.abs(sum);
    if (absSum > 1e250) {
      sum /= 1e250;
      term /= 1e250;
      scale += 250 * Math.LN10;
    }
    // Past the peak the terms shrink at least geometrically by `next`, so the tail is bounded.
    const next = Math.abs(((a + n + 1) * (b + n + 1)) / ((c + n + 1) * (n + 2)) * z);
    if (next < 1 && Math.abs(term) * next / (1 - next) <= EPS * Math.abs(sum)) return [sum, scale];
  }
  throw new RangeError(`hyp2f1: series did not converge (a=${a}, b=${b}, c=${c}, z=${z})`);
}

/** Sign of Γ(x): positive for x > 0, alternating between the poles below 0. */
function gammaSign(x: number): number {
  return x > 0 || Math.floor(x) % 2 === 0 ? 1 : -1;
}
