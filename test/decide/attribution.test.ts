import { describe, expect, it } from 'vitest';
import { attribute, type DecisionRecord, type Interaction, type Order } from '../../collector/decide/attribution.ts';

const H = 3_600_000;
const W = 24 * H;
const dec = (decisionId: string, profileId: string, at: number, holdout = false, offerId = 'a'): DecisionRecord => ({ decisionId, profileId, offerId, tier: 'MVC', holdout, at });
const ev = (decisionId: string, outcome: Interaction['outcome'], at: number): Interaction => ({ decisionId, outcome, at });
const order = (orderId: string, profileId: string, at: number, value = 100): Order => ({ orderId, profileId, at, value });
const byId = (rs: ReturnType<typeof attribute>) => Object.fromEntries(rs.map((r) => [r.decisionId, r]));

describe('attribute', () => {
  it('counts interactions per decision', () => {
    const r = byId(attribute([dec('d1', 'p', 0)], [ev('d1', 'impression', 1), ev('d1', 'impression', 2), ev('d1', 'click', 3), ev('d1', 'dismiss', 4), ev('zz', 'click', 5)], [], { windowMs: W }));
    expect(r.d1).toMatchObject({ impressions: 2, clicks: 1, dismissed: true, converted: false });
  });

  it('credits an order inside the window after an impression, not after it ends', () => {
    const ds = [dec('d1', 'p', 0)];
    const seen = [ev('d1', 'impression', H)];
    expect(byId(attribute(ds, seen, [order('o1', 'p', H + W)], { windowMs: W })).d1).toMatchObject({ converted: true, orders: ['o1'], revenue: 100 });
    expect(byId(attribute(ds, seen, [order('o1', 'p', H + W + 1)], { windowMs: W })).d1).toMatchObject({ converted: false, orders: [] });
    // Exposure mode: a treated decision never seen gets no credit; an order before the touch neither.
    expect(byId(attribute(ds, [], [order('o1', 'p', H)], { windowMs: W })).d1!.converted).toBe(false);
    expect(byId(attribute(ds, seen, [order('o1', 'p', H - 1)], { windowMs: W })).d1!.converted).toBe(false);
  });

  it('last touch: a click on a later decision takes the credit; each order counts once', () => {
    const ds = [dec('d1', 'p', 0, false, 'a'), dec('d2', 'p', 2 * H, false, 'b')];
    const r = byId(attribute(ds, [ev('d1', 'impression', H), ev('d2', 'click', 3 * H)], [order('o1', 'p', 4 * H), order('o1', 'p', 4 * H)], { windowMs: W }));
    expect(r.d2).toMatchObject({ orders: ['o1'], revenue: 100 });
    expect(r.d1!.orders).toEqual([]);
  });

  it('holdout decisions are touched at decision time and measured the same way', () => {
    const r = byId(attribute([dec('h1', 'q', 0, true)], [], [order('o1', 'q', W - 1, 250), order('o2', 'q', 2 * W)], { windowMs: W }));
    expect(r.h1).toMatchObject({ holdout: true, converted: true, orders: ['o1'], revenue: 250 });
  });

  it('decision mode touches treated decisions at decision time too (intent to treat)', () => {
    const r = byId(attribute([dec('d1', 'p', 0)], [], [order('o1', 'p', H)], { windowMs: W, touch: 'decision' }));
    expect(r.d1!.converted).toBe(true);
  });

  it('never credits another customer\'s order', () => {
    const r = byId(attribute([dec('d1', 'p', 0)], [ev('d1', 'impression', 1)], [order('o1', 'other', 2)], { windowMs: W }));
    expect(r.d1!.converted).toBe(false);
  });

  it('an explicit conversion event marks the decision converted without revenue', () => {
    const r = byId(attribute([dec('d1', 'p', 0)], [ev('d1', 'conversion', 5)], [], { windowMs: W }));
    expect(r.d1).toMatchObject({ converted: true, revenue: 0 });
  });
});
