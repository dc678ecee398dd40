/** Bandit edge cases: margins below zero, empty and huge counters, one arm. */
import { describe, expect, it } from 'vitest';
import { selectArm, type Arm } from '../../collector/decide/bandit.ts';
import { decideSettings } from '../../collector/decide/settings.ts';
import { seededRng } from '../../collector/decide/random.ts';

const arm = (offerId: string, trials: number, conversions: number, value: number, cost = 0, priorValue = 100): Arm =>
  ({ offerId, priority: 100, cost, priorValue, counter: { trials, conversions, value } });

describe('selectArm at the edges', () => {
  it('the exploration floor picks the arm whose value could be highest also when margins are negative', () => {
    // Cost above the order value (no expectedValue and no average order value set yet): every
    // showing loses money, least for the arm whose conversion rate could be lowest. Both arms
    // have the prior's mean rate; 'starved' has never been tried, so its rate could be far
    // lower, its value far closer to zero: that is the one an upper bound explores.
    const arms = [arm('tried', 10_000, 500, 0, 50, 0), arm('starved', 0, 0, 0, 50, 0)];
    const pick = selectArm(arms, decideSettings({ exploration: 1 }), seededRng(1));
    expect(pick).toMatchObject({ pick: 'explore', index: 1 });
    // With a positive margin the wider arm is explored as before.
    const positive = [arm('tried', 10_000, 500, 0, 0, 100), arm('starved', 0, 0, 0, 0, 100)];
    expect(selectArm(positive, decideSettings({ exploration: 1 }), seededRng(1))).toMatchObject({ pick: 'explore', index: 1 });
  });

  it('stays finite with empty and huge counters and with one arm', () => {
    const s = decideSettings({ exploration: 0.5, coldStartTrials: 1 });
    const rng = seededRng(3);
    for (const arms of [[arm('a', 0, 0, 0)], [arm('a', 1e12, 1e10, 1e12), arm('b', 1e12, 1e11, 1e13)], [arm('a', 100, 120, 500), arm('b', 100, 5, 500, 1000)]]) {
      for (let i = 0; i < 50; i++) {
        const c = selectArm(arms, s, rng);
        expect(Number.isFinite(c.score)).toBe(true);
        if (arms.length === 1) expect(c.pick).not.toBe('explore');
      }
    }
  });
});
