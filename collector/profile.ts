/**
 * What the collector knows of one customer, as the routes and the decision engine read it.
 * Scores are computed when trusted events arrive (or when the shop's models are refitted)
 * and stored with the profile, so decide never recomputes them on the hot path.
 */
import type { VALUE_TIERS, PURCHASE_STAGES } from './offers/schema.ts';
import type { PurchaseLog } from './models/stats.ts';
import type { NeedsStats } from './models/needs.ts';

export type ValueTier = (typeof VALUE_TIERS)[number];
export type PurchaseStage = (typeof PURCHASE_STAGES)[number];

/** Running figures kept per profile, updated incrementally as events arrive. */
export interface ProfileStats {
  firstSeen: number;
  lastSeen: number;
  sessions: number;
  pageViews: number;
  /** Trusted orders only: browsers cannot inflate their own value. */
  orders: number;
  revenue: number;
  /** Distinct purchase days (BG/NBD counts repeat purchases as distinct days after the first). */
  purchaseDays: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  discountedOrders: number;
  refunds: number;
  refundAmount: number;
  /** Decayed interest per category; `at` is when the values were last decayed to. */
  affinity: { at: number; scores: Record<string, number> };
  cartAdds: number;
  lastCartAt: number | null;
  /** Distinct purchase days and their spend (models/stats.ts); absent on profiles from before it existed. */
  purchases?: PurchaseLog;
  /** Running needs figures: prices, discounts, channels, time of day (models/needs.ts). */
  needs?: NeedsStats;
}

export interface ProfileScores {
  tier: ValueTier | null;
  rfm: { recencyDays: number | null; frequency: number; monetary: number; r: number; f: number; m: number } | null;
  clv: number | null;
  pAlive: number | null;
  expectedPurchases: number | null;
  /** Normalised 0–1 affinities, strongest first. */
  affinities: Record<string, number>;
  needs: string[];
  stage: PurchaseStage;
  /** Plain-language reasons, one per line, with the numbers behind them. */
  reasons: string[];
  computedAt: number;
}

export interface ProfileIdentity {
  kind: 'anonymous' | 'user' | 'email' | 'phone' | 'loyalty' | 'pos' | string;
  value: string;
}

export interface Profile {
  siteId: string;
  id: string;
  userId: string | null;
  identities: ProfileIdentity[];
  traits: Record<string, unknown>;
  stats: ProfileStats;
  scores: ProfileScores;
  createdAt: number;
  updatedAt: number;
}

export function emptyStats(now: number): ProfileStats {
  return {
    firstSeen: now, lastSeen: now, sessions: 0, pageViews: 0,
    orders: 0, revenue: 0, purchaseDays: 0, firstOrderAt: null, lastOrderAt: null,
    discountedOrders: 0, refunds: 0, refundAmount: 0,
    affinity: { at: now, scores: {} }, cartAdds: 0, lastCartAt: null,
  };
}
