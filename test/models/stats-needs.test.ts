import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING } from '../../collector/models/config.ts';
import { describeNeeds, slug } from '../../collector/models/needs.ts';
import { affinityAt, applyEvent, type ScoringEvent } from '../../collector/models/stats.ts';
import { emptyStats } from '../../collector/profile.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 6, 5); // 12:00 in Vietnam (UTC+7)
const ev = (name: string | null, ts: number, properties: Record<string, unknown> = {}, trusted = false, type: ScoringEvent['type'] = 'track', channel?: string): ScoringEvent =>
  ({ type, name, ts, trusted, properties, channel });

describe('applyEvent', () => {
  it('counts trusted orders only toward revenue', () => {
    const s = emptyStats(0);
    applyEvent(s, ev('Order Completed', T0, { revenue: 10 }), DEFAULT_SCORING);
    applyEvent(s, ev('Order Completed', T0 + 1, { revenue: 10 }, true), DEFAULT_SCORING);
    expect(s.orders).toBe(1);
    expect(s.revenue).toBe(10);
  });

  it('counts visits: a new one after 30 minutes without activity; backend orders and identify calls are not visits', () => {
    const s = emptyStats(T0);
    applyEvent(s, ev(null, T0, {}, false, 'page'), DEFAULT_SCORING);
    applyEvent(s, ev('Product Viewed', T0 + 20 * 60_000), DEFAULT_SCORING);
    applyEvent(s, ev(null, T0 + 45 * 60_000, {}, false, 'page'), DEFAULT_SCORING); // 25 min after the last
    expect(s.sessions).toBe(1);
    applyEvent(s, ev('Order Completed', T0 + 3 * 3_600_000, { revenue: 10 }, true), DEFAULT_SCORING);
    applyEvent(s, ev(null, T0 + 4 * 3_600_000, {}, false, 'identify'), DEFAULT_SCORING);
    expect(s.sessions).toBe(1);
    applyEvent(s, ev(null, T0 + 5 * 3_600_000, {}, false, 'page'), DEFAULT_SCORING);
    expect(s.sessions).toBe(2);
  });

  it('keeps one purchase-log entry per shop day, whatever the event order', () => {
    const events = [
      ev('Order Completed', T0 + 10 * DAY, { revenue: 30 }, true),
      ev('Order Completed', T0, { revenue: 10 }, true),
      ev('Order Completed', T0 + 2 * 3_600_000, { revenue: 5 }, true), // same day
      ev('Order Completed', T0 + 3 * DAY, { revenue: 20 }, true),
    ];
    const a = emptyStats(T0);
    const b = emptyStats(T0);
    for (const e of events) applyEvent(a, e, DEFAULT_SCORING);
    for (const e of [...events].reverse()) applyEvent(b, e, DEFAULT_SCORING);
    expect(a.purchases!.amounts).toEqual([15, 20, 30]);
    expect(a.purchases).toEqual(b.purchases);
    expect(a.purchaseDays).toBe(3);
    expect(a.firstOrderAt).toBe(T0);
    expect(a.lastOrderAt).toBe(T0 + 10 * DAY);
  });

  it('weighs affinity by signal: view < cart add < purchase, and decays it with the half-life', () => {
    const s = emptyStats(T0);
    applyEvent(s, ev('Product Viewed', T0, { category: 'tea' }), DEFAULT_SCORING);
    applyEvent(s, ev('Product Added', T0, { category: 'coffee' }), DEFAULT_SCORING);
    applyEvent(s, ev('Order Completed', T0, { products: [{ category: 'cups', price: 50 }], revenue: 50 }, true), DEFAULT_SCORING);
    expect(s.affinity.scores).toEqual({ tea: 1, coffee: 3, cups: 5 });
    const later = affinityAt(s, T0 + 30 * DAY, 30);
    expect(later.cups).toBeCloseTo(2.5, 12);
    // An older event arriving late counts at its decayed weight.
    applyEvent(s, ev('Product Viewed', T0 - 30 * DAY, { category: 'tea' }), DEFAULT_SCORING);
    expect(s.affinity.scores.tea).toBeCloseTo(1.5, 12);
  });

  it('an untrusted "Order Completed" shows intent like a cart add, not a purchase', () => {
    const s = emptyStats(T0);
    applyEvent(s, ev('Order Completed', T0, { category: 'coffee', revenue: 1e9 }), DEFAULT_SCORING);
    expect(s.affinity.scores.coffee).toBe(3);
    expect(s.revenue).toBe(0);
  });

  it('records discounts, service cost, refunds, prices, channel and part of day', () => {
    const s = emptyStats(T0);
    applyEvent(s, ev('Order Completed', T0, { revenue: 80, discount: 20, serviceCost: 5, products: [{ price: 40, category: 'x' }, { price: 40 }] }, true, 'track', 'mobile'), DEFAULT_SCORING);
    applyEvent(s, ev('Order Refunded', T0 + DAY, { total: 30 }, true), DEFAULT_SCORING);
    applyEvent(s, ev(null, T0 + 16 * 3_600_000, {}, false, 'page'), DEFAULT_SCORING); // 04:00 next day in UTC+7
    expect(s.discountedOrders).toBe(1);
    expect(s.needs!.discountAmount).toBe(20);
    expect(s.needs!.serviceCost).toBe(5);
    expect(s.refunds).toBe(1);
    expect(s.refundAmount).toBe(30);
    expect(s.needs!.price.n).toBe(2);
    expect(s.needs!.channels).toEqual({ mobile: 1 });
    expect(s.needs!.dayParts).toEqual([1, 0, 2, 0]); // order and refund at noon, page at 04:00
    expect(s.pageViews).toBe(1);
  });
});

describe('needs', () => {
  const opts = (now: number) => ({ now, pAlive: null, priceCuts: [20, 60] as [number, number], minLoverScore: 3 });

  it('labels a deal-seeking, premium, night-owl coffee lover on mobile', () => {
    const s = emptyStats(T0);
    for (let i = 0; i < 6; i++) {
      const at = T0 + i * DAY + 16 * 3_600_000; // 23:00 local
      applyEvent(s, ev('Product Viewed', at, { category: 'Cà phê' }, false, 'track', 'mobile'), DEFAULT_SCORING);
      applyEvent(s, ev('Order Completed', at, { revenue: 90, coupon: 'SALE', products: [{ category: 'Cà phê', price: 90 }] }, true, 'track', 'mobile'), DEFAULT_SCORING);
    }
    const now = T0 + 6 * DAY;
    const n = describeNeeds(s, affinityAt(s, now, 30), opts(now));
    expect(n.topCategory).toBe('Cà phê');
    expect(n.labels).toEqual(['ca-phe-lover', 'deal-seeker', 'premium', 'prefers-mobile', 'night-owl']);
    expect(n.priceBand).toBe('premium');
    expect(n.discountShare).toBe(1);
  });

  it('a single page view is not love, and a few orders without coupons are not deal-seeking', () => {
    const s = emptyStats(T0);
    applyEvent(s, ev('Product Viewed', T0, { category: 'tea', price: 5 }), DEFAULT_SCORING);
    applyEvent(s, ev('Order Completed', T0, { revenue: 10 }, true), DEFAULT_SCORING);
    applyEvent(s, ev('Order Completed', T0 + DAY, { revenue: 10, coupon: 'X' }, true), DEFAULT_SCORING);
    applyEvent(s, ev('Order Completed', T0 + 2 * DAY, { revenue: 10 }, true), DEFAULT_SCORING);
    const n = describeNeeds(s, affinityAt(s, T0, 30), opts(T0));
    expect(n.affinities).toEqual({ tea: 1 });
    expect(n.labels).not.toContain('tea-lover');
    expect(n.labels).not.toContain('deal-seeker');
  });

  it('purchase stage: buying, considering, lapsing, browsing', () => {
    const s = emptyStats(T0);
    applyEvent(s, ev('Product Added', T0, { category: 'tea' }), DEFAULT_SCORING);
    expect(describeNeeds(s, {}, opts(T0 + DAY)).stage).toBe('buying');
    expect(describeNeeds(s, {}, opts(T0 + 8 * DAY)).stage).toBe('browsing');
    for (let i = 0; i < 4; i++) applyEvent(s, ev('Product Viewed', T0 + 10 * DAY, { category: 'tea' }), DEFAULT_SCORING);
    expect(describeNeeds(s, {}, opts(T0 + 10 * DAY)).stage).toBe('considering');
    // Views fade (half-life 3 days): a week later they are no longer "considering".
    expect(describeNeeds(s, {}, opts(T0 + 17 * DAY)).stage).toBe('browsing');
    applyEvent(s, ev('Order Completed', T0 + 10 * DAY, { revenue: 10 }, true), DEFAULT_SCORING);
    // A buyer looking around again is considering, even with a low P(alive); once the views fade, lapsing.
    expect(describeNeeds(s, {}, { ...opts(T0 + 11 * DAY), pAlive: 0.2 }).stage).toBe('considering');
    expect(describeNeeds(s, {}, { ...opts(T0 + 17 * DAY), pAlive: 0.2 }).stage).toBe('lapsing');
    expect(describeNeeds(s, {}, { ...opts(T0 + 17 * DAY), pAlive: 0.9 }).stage).toBe('browsing');
    expect(describeNeeds(s, {}, opts(T0 + 200 * DAY)).stage).toBe('lapsing');
  });

  it('slug strips Vietnamese accents', () => {
    expect(slug('Đồ uống & Cà phê')).toBe('do-uong-ca-phe');
  });
});
