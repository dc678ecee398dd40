import { describe, expect, it } from 'vitest';
import { addConversion, addTrial, armKey, meanValue, selectArm, type Arm } from '../../collector/decide/bandit.ts';
import { sampleBeta, sampleGamma, seededRng } from '../../collector/decide/random.ts';
import { DEFAULT_DECIDE_SETTINGS, decideSettings } from '../../collector/decide/settings.ts';
import type { ArmCounter } from '../../collector/decide/types.ts';

const moments = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean: m, variance: xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) };
};

describe('samplers', () => {
  it.each([0.3, 1, 2.5, 40])('Gamma(%s) has mean and variance equal to its shape', (shape) => {
    const rng = seededRng(7);
    const { mean, variance } = moments(Array.from({ length: 40_000 }, () => sampleGamma(shape, rng)));
    expect(mean).toBeCloseTo(shape, 0);
    expect(Math.abs(mean / shape - 1)).toBeLessThan(0.03);
    expect(Math.abs(variance / shape - 1)).toBeLessThan(0.06);
  });

  it('Beta(a, b) has mean a/(a+b) and the right variance', () => {
    const rng = seededRng(3);
    const [a, b] = [3, 47];
    const { mean, variance } = moments(Array.from({ length: 40_000 }, () => sampleBeta(a, b, rng)));
    expect(Math.abs(mean - 0.06)).toBeLessThan(0.001);
    expect(Math.abs(variance / ((a * b) / ((a + b) ** 2 * (a + b + 1))) - 1)).toBeLessThan(0.05);
  });

  it('is reproducible for a seed', () => {
    const x = seededRng(42);
    const y = seededRng(42);
    expect(Array.from({ length: 5 }, x)).toEqual(Array.from({ length: 5 }, y));
    expect(seededRng(43)()).not.toBe(seededRng(42)());
  });
});

const arm = (offerId: string, counter: ArmCounter, over: Partial<Arm> = {}): Arm => ({ offerId, priority: 100, cost: 0, priorValue: 500, counter, ...over });

describe('selectArm', () => {
  const s = decideSettings({ exploration: 0 });

  it('cold start: priority decides until some arm has enough trials', () => {
    const arms = [arm('low', { trials: 10, conversions: 5, value: 2500 }), arm('high', { trials: 10, conversions: 0, value: 0 }, { priority: 900 })];
    expect(selectArm(arms, s, seededRng(1))).toMatchObject({ index: 1, pick: 'cold-start', share: null });
    const warm = [arm('low', { trials: 60, conversions: 30, value: 15000 }), arm('high', { trials: 10, conversions: 0, value: 0 }, { priority: 900 })];
    expect(selectArm(warm, s, seededRng(1)).pick).toBe('thompson');
  });

  it('explores on about `exploration` of decisions, showing the arm that could most plausibly be best', () => {
    const rng = seededRng(5);
    // 'proven' is clearly good; 'unlucky' had 40 trials without a conversion, so Thompson sampling
    // rarely draws it, yet it might still be better; 'dud' had 5000 trials and is clearly worse.
    const arms = [
      arm('proven', { trials: 1000, conversions: 40, value: 20_000 }),
      arm('unlucky', { trials: 40, conversions: 0, value: 0 }),
      arm('dud', { trials: 5000, conversions: 50, value: 25_000 }),
    ];
    const picks = Array.from({ length: 20_000 }, () => selectArm(arms, decideSettings({ exploration: 0.1 }), rng));
    const explored = picks.filter((p) => p.pick === 'explore');
    expect(Math.abs(explored.length / 20_000 - 0.1)).toBeLessThan(0.01);
    expect(explored.every((p) => p.index === 1)).toBe(true);
    expect(picks.filter((p) => p.index === 2).length / 20_000).toBeLessThan(0.01);
  });

  it('ranks by expected value, not by conversion rate', () => {
    // 'deep-discount' converts twice as often but its cost eats the margin.
    const arms = [
      arm('deep-discount', { trials: 5000, conversions: 500, value: 500 * 400 }, { cost: 350 }),
      arm('gift', { trials: 5000, conversions: 250, value: 250 * 400 }, { cost: 20 }),
    ];
    expect(meanValue(arms[0]!, s)).toBeLessThan(meanValue(arms[1]!, s));
    const rng = seededRng(9);
    const wins = Array.from({ length: 500 }, () => selectArm(arms, s, rng).index).filter((i) => i === 1).length;
    expect(wins).toBeGreaterThan(490);
  });

  it('reports a bandit share near 1 for a clear winner and near 1/2 for a tie', () => {
    const clear = [arm('a', { trials: 5000, conversions: 500, value: 250_000 }), arm('b', { trials: 5000, conversions: 100, value: 50_000 })];
    expect(selectArm(clear, decideSettings({ exploration: 0, shareSamples: 500 }), seededRng(2)).share).toBeGreaterThan(0.99);
    const tie = [arm('a', { trials: 5000, conversions: 250, value: 125_000 }), arm('b', { trials: 5000, conversions: 250, value: 125_000 })];
    const share = selectArm(tie, decideSettings({ exploration: 0, shareSamples: 2000 }), seededRng(2)).share!;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
  });

  it('converges on the best arm when learning online', () => {
    const rates = [0.02, 0.05, 0.08, 0.04];
    const counters: ArmCounter[] = rates.map(() => ({ trials: 0, conversions: 0, value: 0 }));
    const world = seededRng(11);
    const rng = seededRng(12);
    const settings = { ...DEFAULT_DECIDE_SETTINGS, coldStartTrials: 20 };
    const late: number[] = [];
    for (let n = 0; n < 8000; n++) {
      const { index } = selectArm(counters.map((c, i) => arm(`o${i}`, c)), settings, rng);
      counters[index] = addTrial(counters[index]);
      if (world() < rates[index]!) counters[index] = addConversion(counters[index], 500);
      if (n >= 6000) late.push(index);
    }
    expect(late.filter((i) => i === 2).length / late.length).toBeGreaterThan(0.85);
  });
});

describe('counters', () => {
  it('are keyed by offer and tier, with unknown for no tier', () => {
    expect(armKey('vip', 'MVC')).toBe('vip|MVC');
    expect(armKey('vip', null)).toBe('vip|unknown');
  });

  it('add trials and conversions without mutating', () => {
    const c = { trials: 1, conversions: 0, value: 0 };
    expect(addConversion(addTrial(c), 300)).toEqual({ trials: 2, conversions: 1, value: 300 });
    expect(c).toEqual({ trials: 1, conversions: 0, value: 0 });
  });
});
