/**
 * Customer lifetime value over a horizon: expected purchases from BG/NBD, spend from
 * Gamma-Gamma, margin, and discounting. The horizon is cut into monthly steps and each
 * step's expected purchases are discounted to today (as in lifetimes' customer_lifetime_value).
 */
import { type BgNbdParams, type FrequencyRecency, expectedPurchases } from './bgnbd.ts';

export interface ClvOptions {
  /** Horizon in days. */
  horizonDays: number;
  /** Days per model unit (7 for weeks). */
  unitDays: number;
  annualDiscountRate: number;
  /** Share of revenue kept as margin. */
  margin: number;
}

/** About a month: discounting finer than that changes CLV by far less than the model's error. */
const STEP_DAYS = 365.25 / 12;

/**
 * Expected purchases in the horizon, each discounted to today: Σ (E[Y(tᵢ)] − E[Y(tᵢ₋₁)]) / (1+d)^(tᵢ/365).
 * Depends on the purchase history only, so the fit computes it once per distinct (x, t_x, T).
 */
export function discountedPurchases(params: BgNbdParams, h: FrequencyRecency, o: Omit<ClvOptions, 'margin'>): { discounted: number; expected: number } {
  const steps = Math.max(1, Math.ceil(o.horizonDays / STEP_DAYS - 1e-9));
  const dt = o.horizonDays / steps;
  let prev = 0;
  let discounted = 0;
  for (let i = 1; i <= steps; i++) {
    const days = i * dt;
    const e = expectedPurchases(params, h, days / o.unitDays);
    discounted += (e - prev) / Math.pow(1 + o.annualDiscountRate, days / 365.25);
    prev = e;
  }
  return { discounted, expected: prev };
}

export interface Clv {
  clv: number;
  /** Undiscounted expected purchases in the horizon. */
  expectedPurchases: number;
  discountedPurchases: number;
  expectedSpend: number;
}

/**
 * CLV = margin × expected spend per purchase × discounted expected purchases in the horizon.
 * @example customerValue(bgnbd, { x: 4, tx: 30, T: 39 }, 420_000, { horizonDays: 365, unitDays: 7, annualDiscountRate: 0.1, margin: 0.3 })
 */
export function customerValue(params: BgNbdParams, h: FrequencyRecency, expectedSpend: number, o: ClvOptions): Clv {
  const { discounted, expected } = discountedPurchases(params, h, o);
  return { clv: o.margin * expectedSpend * discounted, expectedPurchases: expected, discountedPurchases: discounted, expectedSpend };
}
