import { describe, expect, it } from 'vitest';
import { expectedPurchases } from '../../collector/models/bgnbd.ts';
import { customerValue, discountedPurchases } from '../../collector/models/clv.ts';
import { summarizeCustomer, summarizeDays } from '../../collector/models/customer-summary.ts';
import { quantile, quintileCuts, quintileScore, rfmQuintiles, rfmScores } from '../../collector/models/rfm.ts';

const D = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h);

describe('summarizeCustomer', () => {
  const orders = [
    { ts: D(1997, 1, 1, 9), amount: 10 },
    { ts: D(1997, 1, 1, 15), amount: 5 }, // same day: one transaction of 15
    { ts: D(1997, 1, 15), amount: 20 },
    { ts: D(1997, 2, 12), amount: 40 },
    { ts: D(1997, 10, 5), amount: 99 }, // after calibration: ignored
  ];
  it('counts repeat purchase days after the first and measures t_x and T from the first purchase', () => {
    const s = summarizeCustomer(orders, D(1997, 9, 30), 'week')!;
    expect(s.x).toBe(2);
    expect(s.tx).toBeCloseTo(42 / 7, 12);
    expect(s.T).toBeCloseTo(272 / 7, 12);
    expect(s.repeatSpend).toBe(30);
    expect(s.meanSpend).toBe(25);
    expect(s.orders).toBe(4);
    expect(s.revenue).toBe(75);
  });
  it('works in days and returns null without calibration orders', () => {
    expect(summarizeCustomer(orders, D(1997, 9, 30), 'day')!.T).toBe(272);
    expect(summarizeCustomer(orders, D(1996, 12, 31), 'week')).toBeNull();
  });
  it('puts purchase days in the shop’s time zone', () => {
    // 20:00 UTC on Jan 1 is 03:00 on Jan 2 in Vietnam (UTC+7): a different day from the 09:00 UTC order.
    const late = [{ ts: D(1997, 1, 1, 1), amount: 1 }, { ts: D(1997, 1, 1, 20), amount: 1 }];
    expect(summarizeCustomer(late, D(1997, 2, 1), 'day', 0)!.x).toBe(0);
    expect(summarizeCustomer(late, D(1997, 2, 1), 'day', 420)!.x).toBe(1);
  });
  it('summarizeDays agrees with summarizeCustomer', () => {
    const s = summarizeDays([100, 114, 142], [15, 20, 40], 372, 'week')!;
    expect(s).toMatchObject({ x: 2, tx: 6, repeatSpend: 30 });
    expect(s.T).toBeCloseTo(272 / 7, 12);
  });
});

describe('CLV', () => {
  const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const h = { x: 4, tx: 30, T: 38 };
  it('without discounting equals the expected purchases over the horizon', () => {
    const d = discountedPurchases(p, h, { horizonDays: 364, unitDays: 7, annualDiscountRate: 0 });
    expect(d.discounted).toBeCloseTo(expectedPurchases(p, h, 52), 10);
    expect(d.expected).toBeCloseTo(expectedPurchases(p, h, 52), 10);
  });
  it('discounting lowers it, and more for higher rates', () => {
    const o = { horizonDays: 3 * 365, unitDays: 7 };
    const zero = discountedPurchases(p, h, { ...o, annualDiscountRate: 0 }).discounted;
    const ten = discountedPurchases(p, h, { ...o, annualDiscountRate: 0.1 }).discounted;
    const thirty = discountedPurchases(p, h, { ...o, annualDiscountRate: 0.3 }).discounted;
    expect(ten).toBeLessThan(zero);
    expect(thirty).toBeLessThan(ten);
    // Purchases spread over 3 years at 10 %: the average discount factor lies between 1/1.1³ and 1.
    expect(ten / zero).toBeGreaterThan(1 / 1.1 ** 3);
  });
  it('multiplies margin, spend and discounted purchases', () => {
    const o = { horizonDays: 365, unitDays: 7, annualDiscountRate: 0.1, margin: 0.3 };
    const v = customerValue(p, h, 420_000, o);
    expect(v.clv).toBeCloseTo(0.3 * 420_000 * discountedPurchases(p, h, o).discounted, 6);
  });
});

describe('RFM', () => {
  it('quantile interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    quintileCuts([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]).forEach((c, i) => expect(c).toBeCloseTo([2.8, 4.6, 6.4, 8.2][i], 12));
  });
  it('scores 1–5, recency reversed', () => {
    const cuts = [10, 20, 30, 40];
    expect(quintileScore(5, cuts)).toBe(1);
    expect(quintileScore(45, cuts)).toBe(5);
    expect(quintileScore(25, cuts)).toBe(3);
    expect(quintileScore(5, cuts, true)).toBe(5);
    expect(quintileScore(45, cuts, true)).toBe(1);
  });
  it('cuts come from the base, so the same customer scores differently in another base', () => {
    const me = { recencyDays: 30, frequency: 3, monetary: 100 };
    const loyalBase = Array.from({ length: 50 }, (_, i) => ({ recencyDays: i, frequency: 5 + i, monetary: 200 + i }));
    const casualBase = Array.from({ length: 50 }, (_, i) => ({ recencyDays: 100 + i, frequency: 1, monetary: 20 + i }));
    const inLoyal = rfmScores(me, rfmQuintiles(loyalBase));
    const inCasual = rfmScores(me, rfmQuintiles(casualBase));
    // Recency 30 against cuts 9.8 / 19.6 / 29.4 / 39.2: only the last is ≥ 30.
    expect(inLoyal).toEqual({ r: 2, f: 1, m: 1 });
    expect(inCasual).toEqual({ r: 5, f: 5, m: 5 });
    expect(rfmScores({ recencyDays: null, frequency: 0, monetary: 0 }, rfmQuintiles(loyalBase))).toEqual({ r: 0, f: 0, m: 0 });
  });
});
