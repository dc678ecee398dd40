import { describe, expect, it } from 'vitest';
import { newcombeDiff, tCritical, welchDiff, wilson } from '../../collector/decide/stats.ts';

describe('interval maths (95 %)', () => {
  it('Wilson 10/100 = [0.0552, 0.1744]', () => {
    const w = wilson(10, 100);
    expect(w.low).toBeCloseTo(0.0552, 4);
    expect(w.high).toBeCloseTo(0.1744, 4);
  });

  it('Newcombe hybrid score, his worked example 56/70 − 48/80 = 0.2 [0.0524, 0.3339]', () => {
    const d = newcombeDiff(56, 70, 48, 80);
    expect(d.diff).toBeCloseTo(0.2, 10);
    expect(d.low).toBeCloseTo(0.0524, 4);
    expect(d.high).toBeCloseTo(0.3339, 4);
  });

  it('Student t critical values', () => {
    expect(tCritical(1)).toBeCloseTo(12.7062, 3);
    expect(tCritical(5)).toBeCloseTo(2.5706, 3);
    expect(tCritical(30)).toBeCloseTo(2.0423, 3);
  });

  it('Welch: [1,2,3,4] vs [2,4,6,8,10] = −3.5, df 5.5208, [−7.385, 0.385] (t = 2.4994)', () => {
    const w = welchDiff([1, 2, 3, 4], [2, 4, 6, 8, 10]);
    expect(w.diff).toBeCloseTo(-3.5, 10);
    expect(w.df!).toBeCloseTo(5.5208, 3);
    expect(w.low!).toBeCloseTo(-7.385, 2);
    expect(w.high!).toBeCloseTo(0.385, 2);
  });

  it('Welch needs two members per group', () => {
    expect(welchDiff([1], [1, 2])).toMatchObject({ low: null, high: null });
  });
});
