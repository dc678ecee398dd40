/**
 * Value tiers of Peppers & Rogers, one per buyer, and the value pyramid of the base.
 *
 * Rules, first match wins (the order is the order of urgency for the shop):
 * 1. BZ (Below-Zero) — only when the shop reports costs (refunds, discounts, service cost):
 *    margin on list-price sales net of refunds, minus discounts and service cost, is below zero.
 *    Discounts are added back to revenue before applying the margin rate because Segment's
 *    `revenue` is what was paid after the discount.
 * 2. Migrator — value falling against the customer's own history (needs ≥ 2 purchase days):
 *    P(alive) below `migratorDrop` (BG/NBD's P(alive) is 1 just after each purchase, so this is
 *    "below that share of its earlier level"), or the current open gap since the last purchase
 *    is so long that their rate has fallen below `migratorDrop` × their usual rate
 *    (gap > mean gap / migratorDrop) and outside their usual variation (> mean + 2 sd).
 * 3. MVC — CLV in the top `mvcTopShare` of the base (CLV ≥ the model's `mvcClv`).
 * 4. MGC — still engaged (seen within `mgcActiveDays`) and their potential is at least
 *    `mgcGapRatio` × their CLV. Potential = the `mgcPeerQuantile` (75th percentile) of CLV
 *    among customers with the same top-affinity category — what similar-needs customers
 *    already bring — or of the whole base when the category has too few customers.
 * 5. LMC — everyone else.
 */
import type { ValueTier } from '../profile.ts';
import type { ScoringConfig } from './config.ts';

export interface TierInput {
  purchaseDays: number;
  clv: number | null;
  pAlive: number | null;
  /** CLV of similar-needs customers (see above); null without a fitted model. */
  potential: number | null;
  /** Net contribution after costs; null when the shop sends no cost data. */
  contribution: number | null;
  daysSinceLastOrder: number | null;
  daysSinceLastSeen: number;
  /** Gaps between purchase days in days, as count, mean and standard deviation. */
  gaps: { n: number; mean: number; sd: number } | null;
  /** CLV at which the top share starts (model.mvcClv). */
  mvcClv: number | null;
}

export interface TierDecision {
  tier: ValueTier;
  /** Which rule fired, with its numbers, for explanations. */
  rule: 'below-zero' | 'p-alive-drop' | 'rate-drop' | 'top-clv' | 'growth-gap' | 'default';
}

/**
 * Net contribution = margin × (revenue + discounts − refunds) − discounts − service cost,
 * or null when no cost data exists (no refunds, discounts or service cost ever reported).
 */
export function contribution(f: { revenue: number; refundAmount: number; discountAmount: number; serviceCost: number }, margin: number): number | null {
  if (f.refundAmount <= 0 && f.discountAmount <= 0 && f.serviceCost <= 0) return null;
  return margin * (f.revenue + f.discountAmount - f.refundAmount) - f.discountAmount - f.serviceCost;
}

/** Mean and sd of the gaps between ascending purchase days. */
export function purchaseGaps(days: readonly number[]): TierInput['gaps'] {
  const n = days.length - 1;
  if (n < 1) return null;
  let sum = 0;
  let sumSq = 0;
  for (let i = 1; i < days.length; i++) {
    const g = days[i] - days[i - 1];
    sum += g;
    sumSq += g * g;
  }
  const mean = sum / n;
  return { n, mean, sd: Math.sqrt(Math.max(0, sumSq / n - mean * mean)) };
}

/**
 * The buyer's tier; null for visitors who never bought.
 * @example valueTier({ purchaseDays: 5, clv: 900_000, mvcClv: 600_000, … }, config) // { tier: 'MVC', rule: 'top-clv' }
 */
export function valueTier(c: TierInput, config: ScoringConfig): TierDecision | null {
  if (c.purchaseDays < 1) return null;
  const t = config.tiers;
  if (c.contribution !== null && c.contribution < 0) return { tier: 'BZ', rule: 'below-zero' };
  if (c.purchaseDays >= 2) {
    if (c.pAlive !== null && c.pAlive < t.migratorDrop) return { tier: 'Migrator', rule: 'p-alive-drop' };
    if (c.gaps && c.daysSinceLastOrder !== null && c.gaps.mean > 0) {
      const limit = Math.max(c.gaps.mean / t.migratorDrop, c.gaps.mean + 2 * c.gaps.sd);
      if (c.daysSinceLastOrder > limit) return { tier: 'Migrator', rule: 'rate-drop' };
    }
  }
  if (c.clv !== null && c.mvcClv !== null && c.clv > 0 && c.clv >= c.mvcClv) return { tier: 'MVC', rule: 'top-clv' };
  if (c.clv !== null && c.potential !== null && c.daysSinceLastSeen <= (t.mgcActiveDays ?? 90) && c.potential > 0 && c.potential >= t.mgcGapRatio * Math.max(c.clv, 0)) {
    return { tier: 'MGC', rule: 'growth-gap' };
  }
  return { tier: 'LMC', rule: 'default' };
}

export interface PyramidRow {
  tier: ValueTier;
  count: number;
  /** Share of customers in the tier. */
  customerShare: number;
  value: number;
  /** Share of the base's total (positive) value held by the tier. */
  valueShare: number;
}

const ORDER: ValueTier[] = ['MVC', 'MGC', 'LMC', 'Migrator', 'BZ'];

/**
 * The value pyramid: count and share of total value per tier, most valuable first.
 * Customers without a tier are left out; negative values count as 0 toward shares.
 * @example valuePyramid([{ tier: 'MVC', clv: 900 }, { tier: 'LMC', clv: 100 }]) // MVC: count 1, valueShare 0.9 …
 */
export function valuePyramid(customers: Iterable<{ tier: ValueTier | null; clv: number | null }>): PyramidRow[] {
  const rows = new Map<ValueTier, PyramidRow>(ORDER.map((tier) => [tier, { tier, count: 0, customerShare: 0, value: 0, valueShare: 0 }]));
  let count = 0;
  let total = 0;
  for (const c of customers) {
    if (!c.tier) continue;
    const row = rows.get(c.tier)!;
    const v = Math.max(0, c.clv ?? 0);
    row.count++;
    row.value += v;
    count++;
    total += v;
  }
  for (const row of rows.values()) {
    row.customerShare = count ? row.count / count : 0;
    row.valueShare = total ? row.value / total : 0;
  }
  return [...rows.values()];
}
