/** Retry timing as typed data and a pure function (Segment analytics-next's habit). */

export interface RetryPolicy {
  /** Delay before the first retry (ms). @default 500 */
  minTimeout: number;
  /** Growth per attempt. @default 2 */
  factor: number;
  /** Upper bound of any delay, jitter included (ms). @default 60000 */
  maxTimeout: number;
  /** Random extra share of the delay, 0…1, so tabs and devices do not retry in lockstep. @default 1 */
  jitter: number;
}

export const DEFAULT_RETRY: RetryPolicy = { minTimeout: 500, factor: 2, maxTimeout: 60_000, jitter: 1 };

/**
 * Delay before retry number `attempt` (0-based): `minTimeout · factor^attempt · (1 + jitter · rng())`,
 * capped at `maxTimeout`.
 * @param rng returns a number in [0, 1) — `Math.random` in the browser, a fixed value in tests.
 * @example backoff(3, () => 0.5) // 500 · 2³ · 1.5 = 6000
 */
export function backoff(attempt: number, rng: () => number, policy: RetryPolicy = DEFAULT_RETRY): number {
  const base = policy.minTimeout * policy.factor ** attempt;
  return Math.min(policy.maxTimeout, Math.round(base * (1 + policy.jitter * rng())));
}
