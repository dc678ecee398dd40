/** The console's pure pieces: targeting builder round trip, chart ticks, local day. */
import { describe, it, expect } from 'vitest';
import { fromTarget, toTarget, emptyBuilder } from '../../collector/console/ui/targeting.ts';
import { ticks, niceRange } from '../../collector/console/ui/charts.tsx';
import { localDay } from '../../collector/console/figures.ts';
import { offerInput } from '../../collector/offers/schema.ts';

describe('targeting builder', () => {
  it('builds an all-of condition the offer schema accepts, and reads it back', () => {
    const b = { ...emptyBuilder(), tiers: ['MGC'], affinity: { category: 'coffee', min: 0.3 }, pages: ['/p/*'] };
    const target = toTarget(b);
    expect(target).toEqual({ all: [{ tier: ['MGC'] }, { affinity: { category: 'coffee', min: 0.3 } }, { page: ['/p/*'] }] });
    expect(offerInput.safeParse({ id: 'x', name: 'x', placements: ['a'], kind: 'card', content: { en: { title: 't' } }, target }).success).toBe(true);
    expect(fromTarget(target)).toEqual(b);
  });
  it('keeps conditions it has no field for, and a single rule stays unwrapped', () => {
    const b = fromTarget({ all: [{ tier: ['MVC'] }, { returning: true }, { not: { device: ['mobile'] } }] });
    expect(b.extra).toEqual([{ returning: true }, { not: { device: ['mobile'] } }]);
    expect(toTarget(b)).toEqual({ all: [{ tier: ['MVC'] }, { returning: true }, { not: { device: ['mobile'] } }] });
    expect(toTarget({ ...emptyBuilder(), tiers: ['BZ'] })).toEqual({ tier: ['BZ'] });
    expect(toTarget(emptyBuilder())).toBeUndefined();
  });
});

describe('chart axes', () => {
  it('picks round ticks, whole numbers for counts, and a range that includes zero', () => {
    expect(ticks(1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks(1, 4, true)).toEqual([0, 1]);
    expect(ticks(870)).toEqual([0, 250, 500, 750, 1000]);
    const r = niceRange(-0.277, 1);
    expect(r.min).toBe(-0.5);
    expect(r.max).toBe(1);
    expect(r.grid).toContain(0);
  });
  it('an axis with nothing to spread is a unit axis, never two ticks that both read 0', () => {
    expect(niceRange(0, 0)).toEqual({ grid: [0, 1], min: 0, max: 1 });
    const neg = niceRange(-3, -3);
    expect(neg.min).toBeLessThanOrEqual(-3);
    expect(neg.max).toBeGreaterThanOrEqual(0);
    expect(new Set(neg.grid).size).toBe(neg.grid.length);
  });
  it('localDay uses the site offset', () => {
    // 2026-11-01 20:00 UTC is already 2 November in Vietnam (UTC+7).
    const t = Date.UTC(2026, 10, 1, 20);
    expect(localDay(t, 420).day).toBe('2026-11-02');
    expect(localDay(t, 0).day).toBe('2026-11-01');
    expect(localDay(t, 420).start).toBe(Date.UTC(2026, 10, 1, 17));
  });
});
