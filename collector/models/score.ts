/**
 * From running stats and the shop's fitted model to the scores decide reads.
 * Pure: `now` is passed in. Runs when trusted events arrive and after each refit, so decide
 * only reads the stored result.
 */
import type { ProfileScores, ProfileStats } from '../profile.ts';
import { customerValue } from './clv.ts';
import { DEFAULT_SCORING, type ScoringConfig, unitDays } from './config.ts';
import { type CustomerSummary, dayIndex, summarizeDays } from './customer-summary.ts';
import { explainNeeds, explainValue } from './explain.ts';
import { pAlive as probabilityAlive } from './bgnbd.ts';
import { expectedSpend } from './gamma-gamma.ts';
import { describeNeeds } from './needs.ts';
import { rfmScores } from './rfm.ts';
import { type ShopModel, topShare } from './shop-model.ts';
import { affinityAt } from './stats.ts';
import { contribution, purchaseGaps, valueTier } from './tiers.ts';

export { EMPTY_MODEL, type ShopModel } from './shop-model.ts';

/**
 * The BG/NBD / Gamma-Gamma summary of a profile at `nowDay`. Exact from the purchase log;
 * profiles from before the log existed get an approximation from their counters.
 */
export function profileSummary(stats: ProfileStats, nowDay: number, unit: ScoringConfig['unit'], utcOffsetMinutes: number): CustomerSummary | null {
  if (stats.purchases && stats.purchases.days.length) return summarizeDays(stats.purchases.days, stats.purchases.amounts, nowDay, unit, stats.orders);
  if (stats.orders === 0 || stats.firstOrderAt === null || stats.lastOrderAt === null) return null;
  const u = unitDays(unit);
  const first = dayIndex(stats.firstOrderAt, utcOffsetMinutes);
  const last = dayIndex(stats.lastOrderAt, utcOffsetMinutes);
  const days = Math.max(1, stats.purchaseDays);
  const mean = stats.revenue / days;
  return { x: days - 1, tx: (last - first) / u, T: Math.max(0, nowDay - first) / u, repeatSpend: days > 1 ? mean : 0, meanSpend: mean, orders: stats.orders, revenue: stats.revenue, firstDay: first, lastDay: last };
}

/**
 * Memo tables for the value part. Its inputs change only with trusted orders, a refit or the
 * day (x, t_x, T are purchase-day counts), while browsing events rescore a profile many times a
 * day; P(alive), the CLV series (hypergeometric terms) and the Intl-formatted value sentence are
 * most of scoreProfile's cost. Keyed by every input, so a hit returns exactly what a fresh
 * computation would; bounded, so memory stays flat.
 */
const MEMO_MAX = 20_000;
const valueMemo = new WeakMap<ShopModel, Map<string, ValueNumbers>>();
const explainMemo = new Map<string, string[]>();

interface ValueNumbers { pAlive: number; spend: number; clv: number; expected: number }

function valueFigures(model: ShopModel, s: CustomerSummary, config: ScoringConfig, unit: ScoringConfig['unit']): ValueNumbers {
  let memo = valueMemo.get(model);
  if (!memo) valueMemo.set(model, (memo = new Map()));
  const key = `${s.x}|${s.tx}|${s.T}|${s.repeatSpend}|${s.meanSpend}|${unit}|${config.clvHorizonDays}|${config.annualDiscountRate}|${config.margin}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const bgnbd = model.bgnbd!;
  const h = { x: s.x, tx: s.tx, T: s.T };
  const pAlive = probabilityAlive(bgnbd, h);
  let spend = model.gammaGamma ? expectedSpend(model.gammaGamma, { x: s.x, m: s.repeatSpend }) : s.meanSpend;
  if (!Number.isFinite(spend)) spend = s.meanSpend;
  const v = customerValue(bgnbd, h, spend, { horizonDays: config.clvHorizonDays, unitDays: unitDays(unit), annualDiscountRate: config.annualDiscountRate, margin: config.margin });
  const out = { pAlive, spend, clv: v.clv, expected: v.expectedPurchases };
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, out);
  return out;
}

/**
 * The figures, or null where the model cannot give them: a fit on a degenerate base can have
 * parameters where ₂F₁'s series does not converge (it throws) or a figure is not finite. The
 * profile then scores as with no value model, rather than failing every event it receives.
 */
function valueFiguresOrNull(model: ShopModel, s: CustomerSummary, config: ScoringConfig, unit: ScoringConfig['unit']): ValueNumbers | null {
  try {
    const v = valueFigures(model, s, config, unit);
    return Number.isFinite(v.pAlive) && Number.isFinite(v.spend) && Number.isFinite(v.clv) && Number.isFinite(v.expected) ? v : null;
  } catch {
    return null;
  }
}

function explainValueOnce(v: Parameters<typeof explainValue>[0]): string[] {
  if (v.orders === 0) return explainValue(v); // one constant sentence: cheaper than a key
  // Non-finite numbers and -0 would collide with null / 0 in plain JSON: mark them.
  const key = JSON.stringify(v, (_, x) => (typeof x === 'number' && (!Number.isFinite(x) || Object.is(x, -0)) ? `\u0000${Object.is(x, -0) ? '-0' : x}` : x));
  let lines = explainMemo.get(key);
  if (!lines) {
    lines = explainValue(v);
    if (explainMemo.size >= MEMO_MAX) explainMemo.clear();
    explainMemo.set(key, lines);
  }
  return lines;
}

/**
 * Score one profile: value (RFM, P(alive), expected purchases, CLV, tier) and needs
 * (affinities, labels, stage), each with its reasons.
 * @example scoreProfile(profile.stats, shopModel, DEFAULT_SCORING, Date.now()).tier // 'MVC'
 */
export function scoreProfile(stats: ProfileStats, model: ShopModel, config: ScoringConfig, now: number): ProfileScores {
  const offset = config.utcOffsetMinutes ?? DEFAULT_SCORING.utcOffsetMinutes!;
  const currency = config.currency ?? DEFAULT_SCORING.currency!;
  const locale = config.locale ?? DEFAULT_SCORING.locale!;
  const unit = model.unit ?? config.unit;
  const nowDay = dayIndex(now, offset);
  const s = profileSummary(stats, nowDay, unit, offset);

  let pAlive: number | null = null;
  let expected: number | null = null;
  let clv: number | null = null;
  let spend: number | null = null;
  const v = s && model.bgnbd ? valueFiguresOrNull(model, s, config, unit) : null;
  if (v) {
    pAlive = v.pAlive;
    spend = v.spend;
    clv = v.clv;
    expected = v.expected;
  }

  const raw = affinityAt(stats, now, config.affinityHalfLifeDays);
  const weights = config.signalWeights ?? DEFAULT_SCORING.signalWeights!;
  const needs = describeNeeds(stats, raw, { now, pAlive, priceCuts: model.priceCuts, minLoverScore: weights.cartAdd, thresholds: config.needs });

  const recencyDays = s ? nowDay - s.lastDay : null;
  const rfm = { recencyDays, frequency: stats.orders, monetary: stats.orders ? stats.revenue / stats.orders : 0 };
  const scores = model.quintiles ? rfmScores(rfm, model.quintiles) : null;

  const group = needs.topCategory !== null && model.potential?.[needs.topCategory] !== undefined ? needs.topCategory : '*';
  const potential = model.potential?.[group] ?? null;
  const gaps = stats.purchases ? purchaseGaps(stats.purchases.days) : null;
  const net = contribution({ revenue: stats.revenue, refundAmount: stats.refundAmount, discountAmount: stats.needs?.discountAmount ?? 0, serviceCost: stats.needs?.serviceCost ?? 0 }, config.margin);
  const tier = valueTier({
    purchaseDays: s ? s.x + 1 : 0, clv, pAlive, potential, contribution: net,
    daysSinceLastOrder: recencyDays, daysSinceLastSeen: (now - stats.lastSeen) / 86_400_000, gaps, mvcClv: model.mvcClv,
  }, config);
  const top = clv !== null ? topShare(model.clvPercentiles, clv) : null;

  const reasons = [
    ...explainValueOnce({
      orders: stats.orders, ageDays: s ? nowDay - s.firstDay : null, daysSinceLastOrder: recencyDays, pAlive, expectedPurchases: expected,
      horizonDays: config.clvHorizonDays, expectedSpend: spend, margin: config.margin, clv, topShare: top, potential, potentialGroup: group,
      contribution: net, gaps, tier, rfm, rfmScores: scores, currency, locale,
    }),
    ...explainNeeds(needs, stats.orders, stats.discountedOrders, currency, locale),
  ];
  return {
    tier: tier?.tier ?? null,
    rfm: { ...rfm, r: scores?.r ?? 0, f: scores?.f ?? 0, m: scores?.m ?? 0 },
    clv, pAlive, expectedPurchases: expected,
    affinities: needs.affinities, needs: needs.labels, stage: needs.stage, reasons, computedAt: now,
  };
}
