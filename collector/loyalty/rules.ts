/**
 * Earning rules: points for an order (base rate, category multipliers, tier multiplier), the
 * sign-up bonus and the yearly birthday bonus. Pure.
 */
import type { LoyaltySettings } from './settings.ts';

export interface OrderForPoints {
  amount: number;
  items: { category?: string; amount: number }[];
}

/**
 * Points for one order. Category multipliers apply to the share of the order in that category;
 * when items add up to more than the amount paid (discounts), they are scaled down to it, so a
 * discounted order never earns on money not paid.
 * @example pointsForOrder({ amount: 250_000, items: [] }, settings, 1) // 25 with 1 point per 10,000
 */
export function pointsForOrder(order: OrderForPoints, s: LoyaltySettings, tierMultiplier: number): number {
  const amount = Math.max(0, order.amount);
  const itemsTotal = order.items.reduce((t, i) => t + Math.max(0, i.amount), 0);
  const scale = itemsTotal > amount && itemsTotal > 0 ? amount / itemsTotal : 1;
  let weighted = amount;
  for (const i of order.items) {
    const m = i.category !== undefined ? s.earn.categoryMultipliers[i.category] : undefined;
    if (m !== undefined) weighted += Math.max(0, i.amount) * scale * (m - 1);
  }
  // Rounded down with a small tolerance so 250,000 × 1.1 / 10,000 stays 27, not 27.499… → 27 or 28 by chance.
  // Capped where integers stop being exact: a typo'd 10^15 ₫ order must not store Infinity or overflow BIGINT.
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor((weighted / s.earn.per) * s.earn.points * tierMultiplier + 1e-9)));
}

/**
 * The birthday bonus due at `now`: the year it is for when `now` falls in the customer's
 * birthday month (in the shop's time zone), else null.
 * @example birthdayYear('1990-11-20', Date.UTC(2026, 10, 5), 420) // 2026
 */
export function birthdayYear(birthday: unknown, now: number, utcOffsetMinutes: number): number | null {
  if (typeof birthday !== 'string') return null;
  const m = /^(?:\d{4}-)?(\d{2})-(\d{2})/.exec(birthday.trim());
  if (!m) return null;
  const month = Number(m[1]);
  if (month < 1 || month > 12) return null;
  const local = new Date(now + utcOffsetMinutes * 60_000);
  return local.getUTCMonth() + 1 === month ? local.getUTCFullYear() : null;
}
