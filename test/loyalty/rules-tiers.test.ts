import { describe, it, expect } from 'vitest';
import { addMonths, type LedgerEntry } from '../../collector/loyalty/ledger.ts';
import { birthdayYear, pointsForOrder } from '../../collector/loyalty/rules.ts';
import { qualifying, tierAt } from '../../collector/loyalty/tiers.ts';
import { loyaltySettings } from '../../collector/loyalty/settings.ts';
import { loyaltyFigures, loyaltyState } from '../../collector/loyalty/state.ts';
import { discountFor, normalizeCode, rewardCode } from '../../collector/loyalty/codes.ts';

const s = loyaltySettings.parse({ earn: { categoryMultipliers: { ceramics: 2 } } });
const T0 = Date.UTC(2026, 0, 10);
let n = 0;
const order = (amount: number, at: number, ref = `order:${++n}`): LedgerEntry => ({
  id: `o${String(++n).padStart(4, '0')}`, kind: 'earn', points: Math.floor(amount / 10_000), spend: amount, reason: 'order', ref, at, expiresAt: null,
});
const refund = (o: LedgerEntry, at: number): LedgerEntry => ({ ...o, id: `r${o.id}`, kind: 'reverse', points: -o.points, spend: -o.spend, at });

describe('pointsForOrder', () => {
  it('earns 1 point per 10,000 ₫ by default, rounding down', () => {
    expect(pointsForOrder({ amount: 259_000, items: [] }, s, 1)).toBe(25);
    expect(pointsForOrder({ amount: 9_999, items: [] }, s, 1)).toBe(0);
  });
  it('applies category and tier multipliers', () => {
    const o = { amount: 300_000, items: [{ category: 'coffee', amount: 100_000 }, { category: 'ceramics', amount: 200_000 }] };
    expect(pointsForOrder(o, s, 1)).toBe(50); // 30 base + 20 for ceramics ×2
    expect(pointsForOrder(o, s, 1.5)).toBe(75);
  });
  it('does not earn on money not paid when items add up to more than the order (discounts)', () => {
    const o = { amount: 150_000, items: [{ category: 'ceramics', amount: 300_000 }] };
    expect(pointsForOrder(o, s, 1)).toBe(30); // 150,000 paid, all ceramics ×2
  });
});

describe('birthdayYear', () => {
  it('is due in the birthday month in the shop time zone only', () => {
    // 31 Oct 20:00 UTC is already 1 Nov in Vietnam (UTC+7).
    expect(birthdayYear('1990-11-15', Date.UTC(2026, 9, 31, 20), 420)).toBe(2026);
    expect(birthdayYear('1990-11-15', Date.UTC(2026, 9, 31, 10), 420)).toBeNull();
    expect(birthdayYear('11-15', Date.UTC(2026, 10, 3), 0)).toBe(2026);
    expect(birthdayYear('not a date', Date.UTC(2026, 10, 3), 0)).toBeNull();
  });
});

describe('tiers', () => {
  const rules = s.tiers; // Member 0, Silver 3M, Gold 10M, Platinum 30M; 12-month window; 3-month grace

  it('sums net spend over the trailing window; a refund nets out the order', () => {
    const a = order(2_000_000, T0);
    const b = order(1_500_000, addMonths(T0, 2));
    expect(qualifying([a, b], rules, addMonths(T0, 3))).toBe(3_500_000);
    expect(qualifying([a, b, refund(b, addMonths(T0, 4))], rules, addMonths(T0, 5))).toBe(2_000_000);
    expect(qualifying([a, b], rules, addMonths(T0, 13))).toBe(1_500_000);
  });

  it('upgrades as soon as an order crosses the threshold and shows progress to the next tier', () => {
    const a = order(2_000_000, T0);
    expect(tierAt([a], rules, T0 + 1).level.name).toBe('Member');
    const st = tierAt([a], rules, T0 + 1);
    expect(st.next).toEqual({ level: expect.objectContaining({ name: 'Silver' }), remaining: 1_000_000, progress: 2 / 3 });
    const b = order(8_500_000, T0 + 1000);
    const up = tierAt([a, b], rules, T0 + 2000);
    expect(up.level.name).toBe('Gold');
    expect(up.next!.remaining).toBe(19_500_000);
  });

  it('keeps a tier through the grace period after the spend ages out, then downgrades', () => {
    const big = order(12_000_000, T0);
    const small = order(3_200_000, addMonths(T0, 6));
    const entries = [big, small];
    // 12 months later the big order leaves the window: figure 3.2M = Silver, but Gold is kept for 3 months.
    const t1 = addMonths(T0, 13);
    const held = tierAt(entries, rules, t1);
    expect(held.figure).toBe(3_200_000);
    expect(held.level.name).toBe('Gold');
    expect(held.holdUntil).toBe(addMonths(addMonths(T0, 12), 3));
    const t2 = addMonths(T0, 15) + 86_400_000;
    expect(tierAt(entries, rules, t2).level.name).toBe('Silver');
    expect(tierAt(entries, rules, t2).holdUntil).toBeNull();
    // And a refund of the qualifying order takes the tier away with no grace.
    expect(tierAt([big, refund(big, T0 + 5000)], rules, T0 + 6000).level.name).toBe('Member');
  });

  it('qualifies by points when the basis is points', () => {
    const p = loyaltySettings.parse({ tiers: { basis: 'points', levels: [{ name: 'Member', min: 0 }, { name: 'VIP', min: 100 }] } }).tiers;
    expect(tierAt([order(990_000, T0)], p, T0 + 1).level.name).toBe('Member');
    expect(tierAt([order(990_000, T0), order(20_000, T0 + 5)], p, T0 + 10).level.name).toBe('VIP');
  });
});

describe('state and figures', () => {
  it('builds the LoyaltyState and the prompt figures the widget reads', () => {
    const now = T0 + 1000;
    const earn = { ...order(2_000_000, T0), points: 200, expiresAt: now + 10 * 86_400_000 };
    const state = loyaltyState([earn], [], s, 'VND', 'vi', now);
    // Tiers as the customer reads them: the labels of their locale.
    expect(state).toMatchObject({ balance: 200, tier: 'Thành viên', currency: 'VND', nextTier: { name: 'Bạc', remaining: 1_000_000, unit: 'currency', progress: 0.667 } });
    expect(loyaltyState([earn], [], s, 'VND', 'en', now)).toMatchObject({ tier: 'Member', nextTier: { name: 'Silver' } });
    expect(state.rewards.map((r) => [r.id, r.available])).toEqual([['voucher-30k', true], ['voucher-100k', true], ['percent-15', false]]);
    expect(state.rewards[0].name).toBe('Phiếu giảm 30.000 ₫');
    expect(state.expiring).toEqual({ points: 200, at: now + 10 * 86_400_000 });
    expect(loyaltyFigures(state)).toEqual({
      balance: 200, tier: 'Thành viên', currency: 'VND', nextTier: 'Bạc', remaining: 1_000_000, unit: 'currency', progress: 0.667,
      rewardId: 'voucher-100k', reward: 'Phiếu giảm 100.000 ₫', expiring: 200, expiresAt: now + 10 * 86_400_000,
    });
  });
});

describe('codes', () => {
  it('spells codes in Crockford base32 and normalises what customers type', () => {
    const c = rewardCode(new Uint8Array([0, 1, 2, 31, 32, 8, 18, 19, 20, 27, 30, 255]));
    expect(c).toBe('PL-012Z-08JK-MVYZ');
    expect(normalizeCode(' pl-012z-08jk-mvyz ')).toBe(c);
  });
  it('never discounts more than the order and refuses orders under the minimum', () => {
    expect(discountFor({ type: 'amount', value: 100_000 }, 0, 80_000)).toEqual({ ok: true, amount: 80_000 });
    expect(discountFor({ type: 'percent', value: 15 }, 0, 333_333)).toEqual({ ok: true, amount: 50_000 });
    expect(discountFor({ type: 'amount', value: 30_000 }, 150_000, 149_999).ok).toBe(false);
  });
});
