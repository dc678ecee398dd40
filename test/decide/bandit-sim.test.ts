import { beforeAll, describe, expect, it } from 'vitest';
import { valueLifts } from '../../collector/decide/bandit.ts';
import { simulate } from '../bench/simulate.ts';

describe('decision engine in the seeded simulator (8 offers × 5 tiers, delayed feedback)', () => {
  // Two seeds of the benchmark world, 20,000 decisions each; fewer frozen-policy draws keep it
  // to a few seconds. Across seeds 1–20 the engine's share of the oracle at 20,000 decisions
  // varies from about 0.88 to 0.98 (see `npx tsx test/bench/simulate.ts --runs 20`).
  let runs: ReturnType<typeof simulate>[] = [];
  beforeAll(() => {
    runs = [1, 2].map((seed) => simulate({ seed, decisions: 20_000, frozenDraws: 200 }));
  }, 60_000);

  it('beats uniform random and fixed priority at the end and over the whole run', () => {
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      expect(r.engine.atEnd).toBeGreaterThan(r.priority.atEnd);
      expect(r.engine.atEnd).toBeGreaterThan(r.random.atEnd);
      expect(r.engine.wholeRun).toBeGreaterThan(r.priority.wholeRun);
      expect(r.engine.wholeRun).toBeGreaterThan(r.random.wholeRun);
    }
  });

  it('reaches at least 85 % of the oracle on each seed and 90 % on average at 20,000 decisions', () => {
    const shares = runs.map((r) => r.engine.atEnd / r.oracle.atEnd);
    for (const x of shares) expect(x).toBeGreaterThanOrEqual(0.85);
    expect(shares.reduce((a, b) => a + b, 0) / shares.length).toBeGreaterThanOrEqual(0.9);
    // The frozen policy, scored on the tier mix, tells the same story.
    for (const r of runs) expect(r.engine.frozen / r.oracle.frozen).toBeGreaterThanOrEqual(0.85);
  });

  it('is deterministic for a seed', () => {
    const again = simulate({ seed: 1, decisions: 2_000, frozenDraws: 50 });
    expect(simulate({ seed: 1, decisions: 2_000, frozenDraws: 50 })).toEqual(again);
  });
}, 60_000);

describe('valueLifts', () => {
  const s = { valuePriorWeight: 3, averageOrderValue: 1000 };

  it("pools an offer's basket effect over tiers, each order against its own tier's mean", () => {
    // The bundle's orders are 1.5× its tier's usual basket in both tiers, though the tiers differ 3×.
    const counters = {
      'bundle|MVC': { trials: 200, conversions: 20, value: 20 * 3000 }, 'plain|MVC': { trials: 2000, conversions: 200, value: 200 * 2000 },
      'bundle|LMC': { trials: 200, conversions: 20, value: 20 * 1000 }, 'plain|LMC': { trials: 2000, conversions: 200, value: 200 * 667 },
    };
    const lift = valueLifts(counters, s);
    expect(lift.get('bundle')!).toBeGreaterThan(1.3);
    expect(lift.get('bundle')!).toBeLessThan(1.5);
    expect(Math.abs(lift.get('plain')! - 1)).toBeLessThan(0.06);
  });

  it('leaves offers without orders out (a lift of 1) and shrinks a single order toward 1', () => {
    const lift = valueLifts({ 'a|MGC': { trials: 10, conversions: 0, value: 0 }, 'b|MGC': { trials: 10, conversions: 1, value: 5000 } }, s);
    expect(lift.has('a')).toBe(false);
    expect(lift.get('b')!).toBeGreaterThan(1);
    expect(lift.get('b')!).toBeLessThan(2);
  });
});
