/**
 * Interval maths for the uplift report, 95 % two-sided. Pure, no dependencies.
 */

/** z for a 95 % two-sided interval. */
export const Z95 = 1.959963984540054;

/** Wilson score interval for a proportion x/n (95 %); [0, 1] when n = 0. */
export function wilson(x: number, n: number): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = x / n;
  const z2 = Z95 * Z95;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (Z95 / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * Newcombe's hybrid score interval (method 10, 1998) for p1 − p2 from two Wilson intervals:
 * unlike the normal (Wald) approximation it stays inside [−1, 1] and behaves at rates near 0,
 * which is where conversion rates live.
 */
export function newcombeDiff(x1: number, n1: number, x2: number, n2: number): { diff: number; low: number; high: number } {
  const p1 = n1 ? x1 / n1 : 0;
  const p2 = n2 ? x2 / n2 : 0;
  const a = wilson(x1, n1);
  const b = wilson(x2, n2);
  const diff = p1 - p2;
  return {
    diff,
    low: diff - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: diff + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b) (continued fraction, modified Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // The continued fraction converges fast only below the mean; use the symmetry above it.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x)) / a;
  const tiny = 1e-300;
  let f = 1, c = 1, d = 0;
  for (let i = 0; i <= 300; i++) {
    const m = i >> 1;
    const num = i === 0 ? 1 : i % 2 === 0 ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)) : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    c = 1 + num / c;
    c = Math.abs(c) < tiny ? tiny : c;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-14) break;
  }
  return front * (f - 1);
}

/**
 * Two-sided Student t critical value: t such that P(|T_df| > t) = alpha (df may be fractional,
 * as Welch's is). Solved by bisection on P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2).
 */
export function tCritical(df: number, alpha = 0.05): number {
  if (!(df > 0)) return NaN;
  if (df > 1e7) return Z95;
  let lo = 0, hi = 1; // in x = df / (df + t²); the tail probability rises with x
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(mid, df / 2, 0.5) < alpha) lo = mid;
    else hi = mid;
  }
  const x = (lo + hi) / 2;
  return Math.sqrt((df * (1 - x)) / x);
}

/** Mean and sample variance. */
export function meanVar(xs: readonly number[]): { n: number; mean: number; variance: number } {
  const n = xs.length;
  let mean = 0;
  for (const x of xs) mean += x;
  mean = n ? mean / n : 0;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { n, mean, variance: n > 1 ? ss / (n - 1) : 0 };
}

/**
 * Welch's interval for mean1 − mean2 with unequal variances (95 %). Null bounds when a group
 * has fewer than 2 members (no variance to estimate).
 */
export function welchDiff(a: readonly number[], b: readonly number[]): { diff: number; low: number | null; high: number | null; df: number | null } {
  const x = meanVar(a);
  const y = meanVar(b);
  const diff = x.mean - y.mean;
  if (x.n < 2 || y.n < 2) return { diff, low: null, high: null, df: null };
  const va = x.variance / x.n;
  const vb = y.variance / y.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { diff, low: diff, high: diff, df: x.n + y.n - 2 };
  const df = (va + vb) ** 2 / (va ** 2 / (x.n - 1) + vb ** 2 / (y.n - 1));
  const t = tCritical(df);
  return { diff, low: diff - t * se, high: diff + t * se, df };
}
