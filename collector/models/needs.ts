/**
 * Needs of one customer: what they want (category affinity), at what price (discount use,
 * typical price band), where and when (channel, part of day), and how close to buying
 * (purchase stage) — summarised as labels offers can target ("deal-seeker", "coffee-lover").
 * Running figures live in `NeedsStats`, updated per event by `recordNeeds`.
 */
import type { ProfileStats, PurchaseStage } from '../profile.ts';
import { DEFAULT_NEEDS, type NeedsThresholds } from './config.ts';

const DAY = 86_400_000;

export const DAY_PARTS = ['night', 'morning', 'afternoon', 'evening'] as const;
export type DayPart = (typeof DAY_PARTS)[number];
const DAY_PART_LABEL: Record<DayPart, string> = { night: 'night-owl', morning: 'early-bird', afternoon: 'daytime-shopper', evening: 'evening-shopper' };
/** Every label `describeNeeds` gives besides `<category>-lover` and `prefers-<channel>` (the console words each). */
export const FIXED_NEEDS_LABELS: readonly string[] = ['deal-seeker', 'premium', 'budget', ...Object.values(DAY_PART_LABEL)];

/** Running needs figures kept per profile (optional field `needs` of ProfileStats). */
export interface NeedsStats {
  /** Unit prices of items added to cart or bought: count, Σ ln p, Σ (ln p)² — a geometric mean and spread. */
  price: { n: number; sumLog: number; sumLogSq: number };
  /** Money given away in discounts on trusted orders. */
  discountAmount: number;
  /** Cost to serve reported by the shop (shipping subsidies, support, returns handling). */
  serviceCost: number;
  /** Interactions per channel ("web", "mobile", "pos", …). */
  channels: Record<string, number>;
  /** Interactions per part of the shop's day: night 0–6 h, morning 6–12, afternoon 12–18, evening 18–24. */
  dayParts: [number, number, number, number];
  /** Product views decayed with a short half-life: how intensely they look right now. */
  recentViews: { at: number; value: number };
}

export function emptyNeeds(now: number): NeedsStats {
  return { price: { n: 0, sumLog: 0, sumLogSq: 0 }, discountAmount: 0, serviceCost: 0, channels: {}, dayParts: [0, 0, 0, 0], recentViews: { at: now, value: 0 } };
}

/** Value of a decayed counter at `now` (never in the past of its last update). */
export function decayed(c: { at: number; value: number }, now: number, halfLifeDays: number): number {
  const dt = now - c.at;
  return dt <= 0 ? c.value : c.value * Math.pow(0.5, dt / (halfLifeDays * DAY));
}

/** Add one product view to the recent-views counter, decayed to the later of now and its last update. */
export function addRecentView(n: NeedsStats, ts: number, halfLifeDays: number): void {
  const at = Math.max(ts, n.recentViews.at);
  const own = Math.pow(0.5, (at - ts) / (halfLifeDays * DAY));
  n.recentViews = { at, value: decayed(n.recentViews, at, halfLifeDays) + own };
}

export function addPrice(n: NeedsStats, price: number): void {
  if (!(price > 0) || !Number.isFinite(price)) return;
  const l = Math.log(price);
  n.price.n++;
  n.price.sumLog += l;
  n.price.sumLogSq += l * l;
}

/** Part of the shop's day of a timestamp. */
export function dayPartOf(ts: number, utcOffsetMinutes: number): DayPart {
  const hour = Math.floor((((ts + utcOffsetMinutes * 60_000) % DAY) + DAY) % DAY / 3_600_000);
  return DAY_PARTS[Math.floor(hour / 6)];
}

/** Geometric mean of the prices they pay, or null before any. */
export function typicalPrice(n: NeedsStats | undefined): number | null {
  return n && n.price.n > 0 ? Math.exp(n.price.sumLog / n.price.n) : null;
}

export type PriceBand = 'budget' | 'mid' | 'premium';

/** Band of a typical price against the shop's tertile cuts. */
export function priceBand(price: number | null, cuts: readonly [number, number] | null | undefined): PriceBand | null {
  if (price === null || !cuts) return null;
  return price < cuts[0] ? 'budget' : price > cuts[1] ? 'premium' : 'mid';
}

/** The most frequent key and its share, or null when there are fewer than `min` observations. */
function top(counts: Record<string, number>, min: number): { key: string; share: number } | null {
  let total = 0;
  let best: string | null = null;
  for (const [k, v] of Object.entries(counts)) {
    total += v;
    if (best === null || v > counts[best]) best = k;
  }
  return best === null || total < min ? null : { key: best, share: counts[best] / total };
}

export interface NeedsProfile {
  /** Normalised affinities (sum 1), strongest first. */
  affinities: Record<string, number>;
  topCategory: string | null;
  discountShare: number | null;
  typicalPrice: number | null;
  priceBand: PriceBand | null;
  channel: { key: string; share: number } | null;
  dayPart: { key: DayPart; share: number } | null;
  stage: PurchaseStage;
  labels: string[];
}

/** URL-safe, accent-free label part: "Cà phê" → "ca-phe". */
export function slug(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

/** The label of a customer whose top category is `category`: "Cà phê" → `ca-phe-lover`. */
export const loverLabel = (category: string) => `${slug(category)}-lover`;
/** The label of a customer who mostly comes through `channel`: "Zalo" → `prefers-zalo`. */
export const channelLabel = (channel: string) => `prefers-${slug(channel)}`;

/**
 * The shop's own name behind each label made from one (`ca-phe-lover` → "Cà phê"): a label's
 * code has lost the accents (it must be URL- and targeting-safe); the console shows the name
 * the shop wrote.
 */
export function labelNames(labels: readonly string[], categories: readonly string[], channels: readonly string[]): Record<string, string> {
  const wanted = new Set(labels);
  const out: Record<string, string> = {};
  for (const [names, label] of [[categories, loverLabel], [channels, channelLabel]] as const) {
    for (const n of names) {
      const code = label(n);
      if (wanted.has(code) && !(code in out)) out[code] = n;
    }
  }
  return out;
}

/**
 * Normalise decayed category scores to shares (2 decimals), strongest first.
 * Decay does not change shares, only the raw strength, so `now` is not needed here.
 */
export function affinityShares(scores: Record<string, number>): Record<string, number> {
  const entries = Object.entries(scores).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((s, [, v]) => s + v, 0);
  const out: Record<string, number> = {};
  for (const [k, v] of entries) out[k] = Math.round((v / total) * 100) / 100;
  return out;
}

/**
 * Where in the purchase journey they are now:
 * buying — a cart add in the last `buyingDays` not followed by an order;
 * considering — several product views in the last few days;
 * lapsing — a buyer who is probably gone (low P(alive)) or has not been seen for `lapsingDays`;
 * browsing — otherwise.
 */
export function purchaseStage(stats: ProfileStats, pAlive: number | null, now: number, t: NeedsThresholds = DEFAULT_NEEDS): PurchaseStage {
  const cart = stats.lastCartAt;
  if (cart !== null && now - cart <= t.buyingDays * DAY && (stats.lastOrderAt === null || cart > stats.lastOrderAt)) return 'buying';
  if (stats.needs && decayed(stats.needs.recentViews, now, t.recentHalfLifeDays) >= t.consideringViews) return 'considering';
  if (stats.orders > 0 && ((pAlive !== null && pAlive < t.lapsingPAlive) || now - stats.lastSeen > t.lapsingDays * DAY)) return 'lapsing';
  return 'browsing';
}

/**
 * The customer's needs and the labels derived from them.
 * `rawScores` are the category scores decayed to now (raw strength decides whether the top
 * category is strong enough for a "-lover" label; one page view is not love).
 */
export function describeNeeds(
  stats: ProfileStats,
  rawScores: Record<string, number>,
  opts: { now: number; pAlive: number | null; priceCuts: readonly [number, number] | null | undefined; minLoverScore: number; thresholds?: Partial<NeedsThresholds> },
): NeedsProfile {
  const t = { ...DEFAULT_NEEDS, ...opts.thresholds };
  const affinities = affinityShares(rawScores);
  const topCategory = Object.keys(affinities)[0] ?? null;
  const labels: string[] = [];
  if (topCategory !== null && affinities[topCategory] >= t.loverShare && rawScores[topCategory] >= opts.minLoverScore) {
    if (slug(topCategory)) labels.push(loverLabel(topCategory));
  }
  const discountShare = stats.orders > 0 ? stats.discountedOrders / stats.orders : null;
  if (discountShare !== null && stats.orders >= 2 && discountShare >= t.dealSeekerShare) labels.push('deal-seeker');
  const price = typicalPrice(stats.needs);
  const band = priceBand(price, opts.priceCuts);
  if (band === 'premium' || band === 'budget') labels.push(band);
  const channel = stats.needs ? top(stats.needs.channels, 5) : null;
  if (channel && channel.share >= 0.6) labels.push(channelLabel(channel.key));
  const parts = stats.needs ? Object.fromEntries(DAY_PARTS.map((p, i) => [p, stats.needs!.dayParts[i]])) : {};
  const dayPart = top(parts, 5) as { key: DayPart; share: number } | null;
  if (dayPart && dayPart.share >= t.timeOfDayShare) labels.push(DAY_PART_LABEL[dayPart.key]);
  const stage = purchaseStage(stats, opts.pAlive, opts.now, t);
  return { affinities, topCategory, discountShare, typicalPrice: price, priceBand: band, channel, dayPart, stage, labels };
}
