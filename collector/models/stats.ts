/**
 * Incremental profile figures: one event in, the running stats updated in place.
 * Pure: time comes from the event. Events may arrive out of order (imports, offline queues);
 * every figure here gives the same result whatever the order.
 */
import type { ProfileStats } from '../profile.ts';
import { DEFAULT_SCORING, type ScoringConfig } from './config.ts';
import { dayIndex } from './customer-summary.ts';
import { addPrice, addRecentView, dayPartOf, emptyNeeds, type NeedsStats } from './needs.ts';

/** An event as scoring sees it, already validated and clock-corrected. */
export interface ScoringEvent {
  type: 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';
  name: string | null;
  ts: number;
  /** Sent by the shop's backend with the secret key: only these count toward revenue. */
  trusted: boolean;
  properties: Record<string, unknown>;
  /** Where it happened ("web", "mobile", "pos", …), e.g. from context.device; falls back to properties.channel. */
  channel?: string;
  /**
   * Only the day is known (an imported order with a bare date, placed at noon): it counts for
   * recency, frequency and spend, but says nothing about the time of day the customer shops.
   */
  dateOnly?: boolean;
}

/**
 * Distinct purchase days (in the shop's time zone) and the spend of each, ascending.
 * Exact BG/NBD inputs (x, t_x) and Gamma-Gamma's repeat spend at any time, whatever the event order.
 */
export interface PurchaseLog {
  days: number[];
  amounts: number[];
}

const DAY = 86_400_000;

export function decayAffinity(stats: ProfileStats, now: number, halfLifeDays: number): void {
  const dt = now - stats.affinity.at;
  if (dt <= 0) return;
  const f = Math.pow(0.5, dt / (halfLifeDays * DAY));
  for (const k in stats.affinity.scores) stats.affinity.scores[k] *= f;
  stats.affinity.at = now;
}

/** Category scores decayed to `now`, without touching the stats. */
export function affinityAt(stats: ProfileStats, now: number, halfLifeDays: number): Record<string, number> {
  const f = now > stats.affinity.at ? Math.pow(0.5, (now - stats.affinity.at) / (halfLifeDays * DAY)) : 1;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(stats.affinity.scores)) out[k] = v * f;
  return out;
}

interface Item {
  category?: string;
  price?: number;
  quantity?: number;
}

function asItem(o: Record<string, unknown>): Item {
  return {
    category: typeof o.category === 'string' ? o.category : undefined,
    price: typeof o.price === 'number' ? o.price : undefined,
    quantity: typeof o.quantity === 'number' ? o.quantity : undefined,
  };
}

function itemsOf(p: Record<string, unknown>): Item[] {
  const out: Item[] = [];
  if (Array.isArray(p.products)) {
    for (const it of p.products) if (it && typeof it === 'object') out.push(asItem(it as Record<string, unknown>));
  }
  if (out.length === 0) out.push(asItem(p));
  return out;
}

function money(p: Record<string, unknown>, ...keys: string[]): number {
  for (const k of keys) {
    const v = Number(p[k]);
    if (p[k] !== undefined && Number.isFinite(v)) return v;
  }
  return 0;
}

/** Add one purchase day's spend, keeping the log sorted and one entry per day. */
export function logPurchase(log: PurchaseLog, day: number, amount: number): void {
  let i = log.days.length;
  while (i > 0 && log.days[i - 1] > day) i--;
  if (i > 0 && log.days[i - 1] === day) log.amounts[i - 1] += amount;
  else {
    log.days.splice(i, 0, day);
    log.amounts.splice(i, 0, amount);
  }
}

/** Inactivity that ends a visit. */
export const SESSION_GAP_MS = 30 * 60_000;

/**
 * Update the running stats with one event.
 * Signal weights feed category affinity: views < cart adds < purchases. A purchase counts at
 * full weight only when trusted (sent by the shop's backend); a browser's own "Order Completed"
 * shows intent, so it weighs as a cart add.
 * @example applyEvent(stats, { type: 'track', name: 'Order Completed', ts, trusted: true, properties: { revenue: 420000 } }, DEFAULT_SCORING)
 */
export function applyEvent(stats: ProfileStats, ev: ScoringEvent, config: ScoringConfig): void {
  const weights = config.signalWeights ?? DEFAULT_SCORING.signalWeights!;
  const offset = config.utcOffsetMinutes ?? DEFAULT_SCORING.utcOffsetMinutes!;
  const recentHalfLife = config.needs?.recentHalfLifeDays ?? DEFAULT_SCORING.needs!.recentHalfLifeDays!;
  // A visit starts with the visitor's first activity or after 30 minutes without any (the web
  // analytics convention). Events from the shop's backend (orders, refunds) are records, not visits.
  if (!ev.trusted && ev.type !== 'identify' && ev.type !== 'alias' && ev.type !== 'group' && (stats.sessions === 0 || ev.ts > stats.lastSeen + SESSION_GAP_MS)) stats.sessions++;
  if (ev.ts > stats.lastSeen) stats.lastSeen = ev.ts;
  if (ev.ts < stats.firstSeen) stats.firstSeen = ev.ts;
  if (ev.type === 'page' || ev.type === 'screen') stats.pageViews++;
  const needs: NeedsStats = (stats.needs ??= emptyNeeds(ev.ts));
  if (ev.type === 'track' || ev.type === 'page' || ev.type === 'screen') {
    if (!ev.dateOnly) needs.dayParts[['night', 'morning', 'afternoon', 'evening'].indexOf(dayPartOf(ev.ts, offset))]++;
    const channel = ev.channel ?? (typeof ev.properties.channel === 'string' ? ev.properties.channel : undefined);
    if (channel) needs.channels[channel] = (needs.channels[channel] ?? 0) + 1;
  }
  const name = ev.name;
  const purchase = name === 'Order Completed';
  const w =
    name === 'Product Viewed' ? weights.view
    : name === 'Product List Viewed' ? weights.listView
    : name === 'Product Added' || (purchase && !ev.trusted) ? weights.cartAdd
    : purchase ? weights.purchase
    : 0;
  const items = w ? itemsOf(ev.properties) : [];
  if (w) {
    decayAffinity(stats, Math.max(ev.ts, stats.affinity.at), config.affinityHalfLifeDays);
    const f = Math.pow(0.5, Math.max(0, stats.affinity.at - ev.ts) / (config.affinityHalfLifeDays * DAY));
    for (const it of items) if (it.category) stats.affinity.scores[it.category] = (stats.affinity.scores[it.category] ?? 0) + w * f;
  }
  if (name === 'Product Viewed') addRecentView(needs, ev.ts, recentHalfLife);
  if (name === 'Product Added') {
    stats.cartAdds++;
    if (stats.lastCartAt === null || ev.ts > stats.lastCartAt) stats.lastCartAt = ev.ts;
    for (const it of items) if (it.price !== undefined) addPrice(needs, it.price);
  }
  if (purchase && ev.trusted) {
    const revenue = money(ev.properties, 'revenue', 'total', 'amount');
    const discount = Math.abs(money(ev.properties, 'discount'));
    stats.orders++;
    stats.revenue += revenue;
    logPurchase((stats.purchases ??= { days: [], amounts: [] }), dayIndex(ev.ts, offset), revenue);
    stats.purchaseDays = stats.purchases.days.length;
    if (stats.firstOrderAt === null || ev.ts < stats.firstOrderAt) stats.firstOrderAt = ev.ts;
    if (stats.lastOrderAt === null || ev.ts > stats.lastOrderAt) stats.lastOrderAt = ev.ts;
    if (ev.properties.coupon || discount > 0) stats.discountedOrders++;
    needs.discountAmount += discount;
    needs.serviceCost += Math.max(0, money(ev.properties, 'serviceCost'));
    for (const it of items) if (it.price !== undefined) addPrice(needs, it.price);
  }
  if (name === 'Order Refunded' && ev.trusted) {
    stats.refunds++;
    stats.refundAmount += Math.abs(money(ev.properties, 'revenue', 'total', 'amount'));
  }
}
