import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING } from '../../collector/models/config.ts';
import { contribution, purchaseGaps, valuePyramid, valueTier, type TierInput } from '../../collector/models/tiers.ts';

const base: TierInput = {
  purchaseDays: 3, clv: 500, pAlive: 0.9, potential: 600, contribution: null,
  daysSinceLastOrder: 10, daysSinceLastSeen: 2, gaps: { n: 2, mean: 30, sd: 5 }, mvcClv: 1000,
};
const tier = (over: Partial<TierInput>) => valueTier({ ...base, ...over }, DEFAULT_SCORING);

describe('valueTier', () => {
  it('no tier for visitors who never bought', () => {
    expect(tier({ purchaseDays: 0 })).toBeNull();
  });
  it('MVC from the top-share CLV cut-off', () => {
    expect(tier({ clv: 1000 })).toEqual({ tier: 'MVC', rule: 'top-clv' });
    expect(tier({ clv: 999 })?.tier).not.toBe('MVC');
  });
  it('MGC when similar-needs customers bring ≥ 1.5× their CLV and they are still around', () => {
    expect(tier({ clv: 300, potential: 600 })).toEqual({ tier: 'MGC', rule: 'growth-gap' });
    expect(tier({ clv: 500, potential: 600 })).toEqual({ tier: 'LMC', rule: 'default' });
    expect(tier({ clv: 300, potential: 600, daysSinceLastSeen: 200 })?.tier).toBe('LMC');
  });
  it('BZ only with cost data, before anything else', () => {
    expect(tier({ clv: 5000, contribution: -1 })).toEqual({ tier: 'BZ', rule: 'below-zero' });
    expect(tier({ clv: 5000, contribution: 10 })?.tier).toBe('MVC');
  });
  it('Migrator when P(alive) falls below half its level after a purchase', () => {
    expect(tier({ pAlive: 0.4, clv: 5000 })).toEqual({ tier: 'Migrator', rule: 'p-alive-drop' });
    expect(tier({ pAlive: 0.6 })?.tier).not.toBe('Migrator');
  });
  it('Migrator when the open gap is far beyond their usual rhythm', () => {
    // Usual gap 30 ± 5 days: the limit is max(30 / 0.5, 30 + 2·5) = 60 days.
    expect(tier({ daysSinceLastOrder: 61 })).toEqual({ tier: 'Migrator', rule: 'rate-drop' });
    expect(tier({ daysSinceLastOrder: 59 })?.tier).not.toBe('Migrator');
    // Erratic buyers get more slack: 30 + 2·40 = 110.
    expect(tier({ daysSinceLastOrder: 100, gaps: { n: 4, mean: 30, sd: 40 } })?.tier).not.toBe('Migrator');
  });
  it('one-time buyers have no history to fall from', () => {
    expect(tier({ purchaseDays: 1, pAlive: 0.1, gaps: null, daysSinceLastOrder: 400 })?.tier).not.toBe('Migrator');
  });
  it('thresholds come from config', () => {
    const strict = { ...DEFAULT_SCORING, tiers: { ...DEFAULT_SCORING.tiers, migratorDrop: 0.95 } };
    expect(valueTier({ ...base, pAlive: 0.9 }, strict)?.tier).toBe('Migrator');
    const easy = { ...DEFAULT_SCORING, tiers: { ...DEFAULT_SCORING.tiers, mgcGapRatio: 1.1 } };
    expect(valueTier(base, easy)?.tier).toBe('MGC');
  });
});

describe('contribution and gaps', () => {
  it('is null without cost data, and nets refunds, discounts and service cost against margin', () => {
    expect(contribution({ revenue: 100, refundAmount: 0, discountAmount: 0, serviceCost: 0 }, 0.3)).toBeNull();
    // List price 100 + 20, margin 30 % = 36, minus the 20 discount = 16.
    expect(contribution({ revenue: 100, refundAmount: 0, discountAmount: 20, serviceCost: 0 }, 0.3)).toBeCloseTo(16, 10);
    expect(contribution({ revenue: 100, refundAmount: 80, discountAmount: 0, serviceCost: 10 }, 0.3)).toBeCloseTo(-4, 10);
  });
  it('purchase gaps: mean and sd of the days between purchases', () => {
    expect(purchaseGaps([10])).toBeNull();
    const g = purchaseGaps([0, 10, 30])!;
    expect(g.n).toBe(2);
    expect(g.mean).toBe(15);
    expect(g.sd).toBeCloseTo(5, 12);
  });
});

describe('valuePyramid', () => {
  it('counts customers and shares of value per tier', () => {
    const rows = valuePyramid([
      { tier: 'MVC', clv: 600 }, { tier: 'MVC', clv: 300 }, { tier: 'LMC', clv: 100 },
      { tier: 'BZ', clv: -50 }, { tier: null, clv: null },
    ]);
    const mvc = rows.find((r) => r.tier === 'MVC')!;
    expect(mvc).toEqual({ tier: 'MVC', count: 2, customerShare: 0.5, value: 900, valueShare: 0.9 });
    expect(rows.find((r) => r.tier === 'BZ')!.valueShare).toBe(0);
    expect(rows.map((r) => r.tier)).toEqual(['MVC', 'MGC', 'LMC', 'Migrator', 'BZ']);
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(4);
  });
});
