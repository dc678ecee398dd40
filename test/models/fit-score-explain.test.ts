import { describe, expect, it } from 'vitest';
import { pAlive } from '../../collector/models/bgnbd.ts';
import { DEFAULT_SCORING, type ScoringConfig } from '../../collector/models/config.ts';
import { summarizeCustomer } from '../../collector/models/customer-summary.ts';
import { formatMoney, formatSpan, formatTop } from '../../collector/models/explain.ts';
import { fitCustomerFromStats, fitShopModel } from '../../collector/models/fit.ts';
import { EMPTY_MODEL, scoreProfile } from '../../collector/models/score.ts';
import { topShare } from '../../collector/models/shop-model.ts';
import { applyEvent } from '../../collector/models/stats.ts';
import { valuePyramid } from '../../collector/models/tiers.ts';
import { emptyStats } from '../../collector/profile.ts';
import { CDNOW_END, CDNOW_SAMPLE, loadCdnow } from './support.ts';

const USD: ScoringConfig = { ...DEFAULT_SCORING, currency: 'USD', locale: 'en-US' };
const customers = loadCdnow(CDNOW_SAMPLE);
const model = fitShopModel(customers.map((orders) => ({ orders })), USD, CDNOW_END);

describe('fitShopModel on the CDNOW sample', () => {
  it('fits both models and the base-level cut-offs', () => {
    expect(model.customers).toBe(2357);
    expect(model.unit).toBe('week');
    expect(model.bgnbd!.r).toBeCloseTo(0.243, 3);
    expect(model.gammaGamma!.p).toBeCloseTo(6.25, 2);
    expect(model.clvPercentiles).toHaveLength(101);
    expect(model.diagnostics!.repeatCustomers).toBe(946);
    // 10 % of buyers are at or above the MVC cut-off.
    expect(topShare(model.clvPercentiles, model.mvcClv!)).toBeCloseTo(0.1, 2);
    expect(model.potential!['*']).toBeGreaterThan(model.clvPercentiles![50]);
    expect(model.priceCuts![0]).toBeLessThan(model.priceCuts![1]);
  });

  it('leaves the models out when the base is too small to fit', () => {
    const tiny = fitShopModel(customers.slice(0, 5).map((orders) => ({ orders })), USD, CDNOW_END);
    expect(tiny.bgnbd).toBeNull();
    expect(tiny.customers).toBe(5);
  });

  it('accepts profiles through fitCustomerFromStats with the same result', () => {
    const profiles = customers.map((orders) => {
      const s = emptyStats(orders[0].ts);
      for (const o of orders) applyEvent(s, { type: 'track', name: 'Order Completed', ts: o.ts, trusted: true, properties: { revenue: o.amount } }, USD);
      return fitCustomerFromStats(s, USD, CDNOW_END);
    });
    const again = fitShopModel(profiles, USD, CDNOW_END);
    expect(again.bgnbd!.r).toBeCloseTo(model.bgnbd!.r, 6);
    expect(again.gammaGamma!.v).toBeCloseTo(model.gammaGamma!.v, 4);
  });
});

describe('scoreProfile', () => {
  const statsOf = (orders: { ts: number; amount: number }[]) => {
    const s = emptyStats(orders[0].ts);
    for (const o of orders) applyEvent(s, { type: 'track', name: 'Order Completed', ts: o.ts, trusted: true, properties: { revenue: o.amount } }, USD);
    return s;
  };

  it('scores a CDNOW customer consistently with the models, with reasons in words and numbers', () => {
    const orders = customers.find((o) => summarizeCustomer(o, CDNOW_END, 'week')!.x >= 4)!;
    const s = statsOf(orders.filter((o) => o.ts <= CDNOW_END));
    const scores = scoreProfile(s, model, USD, CDNOW_END);
    const summary = summarizeCustomer(orders, CDNOW_END, 'week')!;
    expect(scores.pAlive).toBeCloseTo(pAlive(model.bgnbd!, summary), 12);
    expect(scores.clv).toBeGreaterThan(0);
    expect(scores.tier).not.toBeNull();
    expect(scores.rfm!.r).toBeGreaterThan(0);
    const headline = scores.reasons[0];
    expect(headline).toMatch(new RegExp(`^${s.orders} purchases in \\d+ months, last .* ago, P\\(alive\\) ${scores.pAlive!.toFixed(2)}, expected [\\d.]+ purchases in 365 days × \\$[\\d.,]+ × 30 % margin → CLV \\$[\\d.,]+, top [\\d.]+ % → ${scores.tier}$`));
    expect(scores.reasons.some((r) => r.startsWith('RFM '))).toBe(true);
  });

  it('the top customers by CLV are MVC and the reason names their share', () => {
    const scored = customers.map((o) => scoreProfile(statsOf(o.filter((v) => v.ts <= CDNOW_END)), model, USD, CDNOW_END));
    const best = scored.reduce((a, b) => ((a.clv ?? 0) > (b.clv ?? 0) ? a : b));
    expect(best.tier === 'MVC' || best.tier === 'Migrator').toBe(true);
    const pyramid = valuePyramid(scored);
    const mvc = pyramid.find((r) => r.tier === 'MVC')!;
    // Fewer than 10 % are MVC (Migrators are taken out first) but they hold far more than 10 % of value.
    expect(mvc.customerShare).toBeLessThanOrEqual(0.1);
    expect(mvc.valueShare).toBeGreaterThan(0.3);
    expect(pyramid.reduce((s, r) => s + r.count, 0)).toBe(2357);
  });

  it('without a fitted model still gives RFM-free history and needs, and says why CLV is missing', () => {
    const s = statsOf([{ ts: CDNOW_END - 10 * 86_400_000, amount: 100 }]);
    const scores = scoreProfile(s, EMPTY_MODEL, USD, CDNOW_END);
    expect(scores.clv).toBeNull();
    expect(scores.tier).toBe('LMC');
    expect(scores.reasons[0]).toContain('value models not fitted yet');
    expect(scores.rfm!.recencyDays).toBe(10);
  });

  it('visitors without purchases have no tier but do have needs and a stage', () => {
    const s = emptyStats(CDNOW_END);
    applyEvent(s, { type: 'track', name: 'Product Added', ts: CDNOW_END, trusted: false, properties: { category: 'jazz' } }, USD);
    const scores = scoreProfile(s, model, USD, CDNOW_END + 3_600_000);
    expect(scores.tier).toBeNull();
    expect(scores.stage).toBe('buying');
    expect(scores.affinities).toEqual({ jazz: 1 });
    expect(scores.reasons).toContain('stage buying: item in cart, not yet bought');
  });

  it('costs above margin make a customer BZ, with the contribution in the reason', () => {
    const s = emptyStats(CDNOW_END);
    // Paid 100 after a 10 discount: 30 % of the 110 list price is 33, minus the 10 given away = 23.
    applyEvent(s, { type: 'track', name: 'Order Completed', ts: CDNOW_END - 86_400_000, trusted: true, properties: { revenue: 100, discount: 10 } }, USD);
    expect(scoreProfile(s, model, USD, CDNOW_END).tier).not.toBe('BZ');
    // Then 100 after an 80 discount: 30 % of 290 = 87, minus 90 in discounts = −3.
    applyEvent(s, { type: 'track', name: 'Order Completed', ts: CDNOW_END, trusted: true, properties: { revenue: 100, discount: 80 } }, USD);
    const scores = scoreProfile(s, model, USD, CDNOW_END);
    expect(scores.tier).toBe('BZ');
    expect(scores.reasons[1]).toBe('costs exceed margin: net contribution -$3.00 after refunds, discounts and service cost → BZ');
  });
});

describe('formatting', () => {
  it('formats money with Intl in the shop’s currency, VND by default', () => {
    expect(formatMoney(880_000)).toBe('880.000\u00a0₫');
    expect(formatMoney(12.5, 'USD', 'en-US')).toBe('$12.50');
  });
  it('spans and shares read naturally', () => {
    expect(formatSpan(0)).toBe('today');
    expect(formatSpan(4)).toBe('4 days');
    expect(formatSpan(274)).toBe('9 months');
    expect(formatSpan(1000)).toBe('2.7 years');
    expect(formatTop(0.07)).toBe('top 7 %');
    expect(formatTop(0.004)).toBe('top 0.4 %');
  });
});
