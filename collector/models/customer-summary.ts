/**
 * From one customer's orders to the summary the BG/NBD and Gamma-Gamma models read,
 * with the models' conventions (Fader, Hardie & Lee 2005; Fader & Hardie 2013):
 * - orders on the same day are one transaction (amounts summed);
 * - x = number of repeat transactions = distinct purchase days after the first;
 * - t_x = time of the last purchase, T = end of calibration, both measured from the first purchase;
 * - repeat spend = mean of the repeat transactions only (the first is excluded).
 */
import { type ScoringConfig, unitDays } from './config.ts';

export const DAY_MS = 86_400_000;

/** One order as the models see it. `ts` is epoch ms. */
export interface Order {
  ts: number;
  amount: number;
  quantity?: number;
  /** Discount granted on this order, in money. */
  discount?: number;
}

export interface CustomerSummary {
  /** Repeat purchase days. */
  x: number;
  /** Last purchase, in model units after the first. */
  tx: number;
  /** End of calibration, in model units after the first purchase. */
  T: number;
  /** Mean spend of the repeat purchase days (0 when x = 0). */
  repeatSpend: number;
  /** Mean spend of every purchase day, first included. */
  meanSpend: number;
  orders: number;
  revenue: number;
  firstDay: number;
  lastDay: number;
}

/** Day number in the shop's time zone: purchase days follow the shop's calendar. */
export function dayIndex(ts: number, utcOffsetMinutes = 0): number {
  return Math.floor((ts + utcOffsetMinutes * 60_000) / DAY_MS);
}

/**
 * Summarise orders up to and including the day of `calibrationEnd`.
 * Returns null when the customer has no order in the calibration period.
 * @example summarizeCustomer([{ ts: Date.UTC(1997,0,1), amount: 10 }, { ts: Date.UTC(1997,0,15), amount: 20 }],
 *   Date.UTC(1997,8,30), 'week') // { x: 1, tx: 2, T: 38.857…, repeatSpend: 20, … }
 */
export function summarizeCustomer(
  orders: readonly Order[],
  calibrationEnd: number,
  unit: ScoringConfig['unit'],
  utcOffsetMinutes = 0,
): CustomerSummary | null {
  const endDay = dayIndex(calibrationEnd, utcOffsetMinutes);
  const byDay = new Map<number, number>();
  let count = 0;
  for (const o of orders) {
    const d = dayIndex(o.ts, utcOffsetMinutes);
    if (d > endDay) continue;
    byDay.set(d, (byDay.get(d) ?? 0) + o.amount);
    count++;
  }
  if (byDay.size === 0) return null;
  const days = [...byDay.keys()].sort((a, b) => a - b);
  return summarizeDays(days, days.map((d) => byDay.get(d)!), endDay, unit, count);
}

/**
 * The same summary from distinct, ascending purchase days and their spend (as the
 * incremental purchase log keeps them). `endDay` is the last day of the calibration period.
 */
export function summarizeDays(
  days: readonly number[],
  amounts: readonly number[],
  endDay: number,
  unit: ScoringConfig['unit'],
  orders = days.length,
): CustomerSummary | null {
  let n = 0;
  while (n < days.length && days[n] <= endDay) n++;
  if (n === 0) return null;
  const u = unitDays(unit);
  const first = days[0];
  let revenue = 0;
  for (let i = 0; i < n; i++) revenue += amounts[i];
  const x = n - 1;
  return {
    x,
    tx: (days[n - 1] - first) / u,
    T: (endDay - first) / u,
    repeatSpend: x > 0 ? (revenue - amounts[0]) / x : 0,
    meanSpend: revenue / n,
    orders,
    revenue,
    firstDay: first,
    lastDay: days[n - 1],
  };
}
