/**
 * Incremental profile figures: one event in, the running stats updated in place.
 * Pure: time comes from the event. FIRST CUT — the Differentiate issue deepens it.
 */
import type { ProfileStats } from '../profile.ts';
import type { ScoringConfig } from './config.ts';

/** An event as scoring sees it, already validated and clock-corrected. */
export interface ScoringEvent {
  type: 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';
  name: string | null;
  ts: number;
  /** Sent by the shop's backend with the secret key: only these count toward revenue. */
  trusted: boolean;
  properties: Record<string, unknown>;
}

const DAY = 86_400_000;
const WEIGHTS: Record<string, number> = { 'Product Viewed': 1, 'Product List Viewed': 0.5, 'Product Added': 3, 'Order Completed': 5 };

export function decayAffinity(stats: ProfileStats, now: number, halfLifeDays: number): void {
  const dt = now - stats.affinity.at;
  if (dt <= 0) return;
  const f = Math.pow(0.5, dt / (halfLifeDays * DAY));
  for (const k in stats.affinity.scores) stats.affinity.scores[k] *= f;
  stats.affinity.at = now;
}

function categoriesOf(p: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof p.category === 'string') out.push(p.category);
  if (Array.isArray(p.products)) for (const it of p.products) if (it && typeof it === 'object' && typeof (it as any).category === 'string') out.push((it as any).category);
  return out;
}

export function applyEvent(stats: ProfileStats, ev: ScoringEvent, config: ScoringConfig): void {
  if (ev.ts > stats.lastSeen) stats.lastSeen = ev.ts;
  if (ev.ts < stats.firstSeen) stats.firstSeen = ev.ts;
  if (ev.type === 'page' || ev.type === 'screen') stats.pageViews++;
  const w = ev.name ? WEIGHTS[ev.name] : undefined;
  if (w) {
    decayAffinity(stats, Math.max(ev.ts, stats.affinity.at), config.affinityHalfLifeDays);
    const f = Math.pow(0.5, Math.max(0, stats.affinity.at - ev.ts) / (config.affinityHalfLifeDays * DAY));
    for (const c of categoriesOf(ev.properties)) stats.affinity.scores[c] = (stats.affinity.scores[c] ?? 0) + w * f;
  }
  if (ev.name === 'Product Added') { stats.cartAdds++; stats.lastCartAt = ev.ts; }
  if (ev.name === 'Order Completed' && ev.trusted) {
    const revenue = Number(ev.properties.revenue ?? ev.properties.total ?? 0);
    stats.orders++;
    stats.revenue += Number.isFinite(revenue) ? revenue : 0;
    const day = Math.floor(ev.ts / DAY);
    if (stats.lastOrderAt === null || Math.floor(stats.lastOrderAt / DAY) !== day) stats.purchaseDays++;
    if (stats.firstOrderAt === null || ev.ts < stats.firstOrderAt) stats.firstOrderAt = ev.ts;
    if (stats.lastOrderAt === null || ev.ts > stats.lastOrderAt) stats.lastOrderAt = ev.ts;
    if (ev.properties.coupon || ev.properties.discount) stats.discountedOrders++;
  }
}
