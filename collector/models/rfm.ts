/**
 * Recency, frequency, monetary value and their quintile scores (1–5, 5 best) over the shop's
 * customer base. Cut points come from the base at fit time, so scores move as the base changes.
 */

export interface Rfm {
  /** Days since the last purchase; null without purchases. */
  recencyDays: number | null;
  /** Number of orders. */
  frequency: number;
  /** Mean order value. */
  monetary: number;
}

export interface RfmQuintiles {
  r: number[];
  f: number[];
  m: number[];
}

export interface RfmScores {
  r: number;
  f: number;
  m: number;
}

/**
 * The q-quantile of sorted values (linear interpolation between order statistics, type 7).
 * @example quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The 20/40/60/80 % cut points of the values. */
export function quintileCuts(values: readonly number[]): number[] {
  const s = Float64Array.from(values).sort();
  const a = Array.from(s);
  return [0.2, 0.4, 0.6, 0.8].map((q) => quantile(a, q));
}

/**
 * Score 1–5: one point plus one per cut point the value is above. With `lowerIsBetter`
 * (recency), one point plus one per cut point the value is below or equal to.
 * Ties at a cut point favour the customer, so a base where most values are equal still
 * separates the few who differ.
 * @example quintileScore(7, [1, 2, 5, 10]) // 4
 */
export function quintileScore(value: number, cuts: readonly number[], lowerIsBetter = false): number {
  let above = 0;
  for (const c of cuts) if (lowerIsBetter ? value <= c : value > c) above++;
  return 1 + above;
}

/** Cut points of recency, frequency and monetary value over the base (buyers only). */
export function rfmQuintiles(base: readonly Rfm[]): RfmQuintiles {
  const buyers = base.filter((c) => c.recencyDays !== null);
  return {
    r: quintileCuts(buyers.map((c) => c.recencyDays!)),
    f: quintileCuts(buyers.map((c) => c.frequency)),
    m: quintileCuts(buyers.map((c) => c.monetary)),
  };
}

/** Quintile scores of one customer; 0s for customers without purchases. */
export function rfmScores(c: Rfm, q: RfmQuintiles): RfmScores {
  if (c.recencyDays === null) return { r: 0, f: 0, m: 0 };
  return { r: quintileScore(c.recencyDays, q.r, true), f: quintileScore(c.frequency, q.f), m: quintileScore(c.monetary, q.m) };
}
