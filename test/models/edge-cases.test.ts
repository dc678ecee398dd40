/**
 * Edge cases of the value models: degenerate fits (parameters at the optimiser's far ends), the
 * histories that push the closed forms to their numerical limits, and what reaches profiles.
 * References: the closed forms evaluated with mpmath at 40 digits.
 */
import { describe, expect, it } from 'vitest';
import { expectedPurchases } from '../../collector/models/bgnbd.ts';
import { discountedPurchases } from '../../collector/models/clv.ts';
import { explainValue, type ValueFigures } from '../../collector/models/explain.ts';

const relClose = (got: number, want: number, rel: number) => {
  expect(Number.isFinite(got)).toBe(true);
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want));
};

describe('E[Y(t)] with degenerate BG/NBD parameters', () => {
  // What fitBgNbd returns for 2,000 one-time buyers and 5 who came back once, the day after their
  // first purchase, long ago: drop-out after the first repeat is near certain (a ≫ b).
  const dropAll = { r: 0.0118, alpha: 1199, a: 1.45e10, b: 7e-11 };
  it.each([
    [0, 0, 300, 0.00040231869599290128],
    [1, 0.14, 300, 1.3063328285099821e-22],
    [0, 0, 0, 0.00050084772806683275],
  ])('a ≫ 1: x=%d, t_x=%d, T=%d stays finite and right', (x, tx, T, want) => {
    // b + x − 1 with b = 7e-11 keeps ~6 digits of b: the denominator's precision, not the series'.
    relClose(expectedPurchases(dropAll, { x, tx, T }, 52), want, 1e-5);
  });

  // What fitBgNbd returns for a shop two days after install (weekly units): 20 customers who first
  // bought today, 5 who bought yesterday and today. r, α huge (no rate heterogeneity), a ≈ b ≈ 1.
  const newShop = { r: 11272550.9, alpha: 1610364.4, a: 1.0000000000231, b: 0.99999999998 };
  it.each([
    [0, 0, 0, 6.4743694966036159],
    [1, 1 / 7, 1 / 7, 5.4771167495698101],
    [5, 10, 40, 7.9503616329370176e-90],
  ])('r ≫ 1 and a ≈ 1: x=%d, t_x=%d, T=%d is a count, not ±1e138', (x, tx, T, want) => {
    relClose(expectedPurchases(newShop, { x, tx, T }, 52), want, 1e-5);
  });

  it('discounted purchases over a year are finite and non-negative for both', () => {
    const o = { horizonDays: 365, unitDays: 7, annualDiscountRate: 0.1 };
    for (const p of [dropAll, newShop]) {
      for (const h of [{ x: 0, tx: 0, T: 0 }, { x: 1, tx: 1 / 7, T: 1 / 7 }, { x: 5, tx: 10, T: 40 }, { x: 0, tx: 0, T: 40 }]) {
        const d = discountedPurchases(p, h, o);
        expect(Number.isFinite(d.discounted) && d.discounted >= 0).toBe(true);
        expect(d.expected).toBeLessThanOrEqual((365 / 7) * 7); // at most one purchase a day
      }
    }
  });
});

describe('explanations at the edges', () => {
  const base: ValueFigures = {
    orders: 3, ageDays: 40, daysSinceLastOrder: 1, pAlive: 0.9, expectedPurchases: 1.02, horizonDays: 365, expectedSpend: 100,
    margin: 0.3, clv: 30.6, topShare: 0.5, potential: null, potentialGroup: '*', contribution: null, gaps: { mean: 1 },
    tier: { tier: 'Migrator', rule: 'rate-drop' }, rfm: { recencyDays: 1, frequency: 3, monetary: 100 }, rfmScores: { r: 5, f: 3, m: 3 },
    currency: 'USD', locale: 'en-US',
  };

  it('one expected purchase, one day, a usual gap of one day are singular in English', () => {
    const lines = explainValue({ ...base, daysSinceLastOrder: 5 }).join('\n');
    expect(lines).toContain('expected 1 purchase in 365 days');
    expect(lines).toContain('against a usual gap of 1 day');
    expect(explainValue(base).join('\n')).toContain('last purchase 1 day ago');
    expect(explainValue({ ...base, expectedPurchases: 2.3 }).join('\n')).toContain('expected 2.3 purchases');
  });

  it('a last purchase dated after now (clock skew) reads "today", never "last today ago" or "-2 days ago"', () => {
    const text = explainValue({ ...base, daysSinceLastOrder: -2, tier: { tier: 'LMC', rule: 'default' }, rfm: { recencyDays: -2, frequency: 3, monetary: 100 } }).join('\n');
    expect(text).not.toMatch(/today ago|-\d+ day/);
    expect(text).toContain('last today');
  });
});

describe('scoreProfile on a model the series cannot evaluate', () => {
  it('scores the profile without value figures instead of throwing on every event', async () => {
    const { scoreProfile, EMPTY_MODEL } = await import('../../collector/models/score.ts');
    const { DEFAULT_SCORING } = await import('../../collector/models/config.ts');
    const { emptyStats } = await import('../../collector/profile.ts');
    const { applyEvent } = await import('../../collector/models/stats.ts');
    const { expectedPurchases } = await import('../../collector/models/bgnbd.ts');
    // A fit on days of history, in days: α tiny. For a customer whose first order is today (T = 0)
    // ₂F₁'s series at z ≈ 1 does not converge.
    const bgnbd = { r: 0.25, alpha: 0.001, a: 0.7, b: 2.2 };
    expect(() => expectedPurchases(bgnbd, { x: 0, tx: 0, T: 0 }, 365)).toThrow(/did not converge/);
    const config = { ...DEFAULT_SCORING, unit: 'day' as const };
    const now = Date.UTC(2026, 11, 1, 12);
    const stats = emptyStats(now);
    applyEvent(stats, { type: 'track', name: 'Order Completed', ts: now, trusted: true, properties: { revenue: 200_000 } }, config);
    const scores = scoreProfile(stats, { ...EMPTY_MODEL, unit: 'day', bgnbd, gammaGamma: null, mvcClv: 1 }, config, now);
    expect([scores.clv, scores.pAlive, scores.expectedPurchases]).toEqual([null, null, null]);
    expect(scores.reasons.join(' ')).not.toMatch(/NaN|Infinity|undefined/);
  });
});
