/** Per-site scoring settings, validated with zod at the edges (site settings, CLI flags). */
export interface ScoringConfig {
  /** Half-life of category interest, in days. */
  affinityHalfLifeDays: number;
  /** Time unit of the BG/NBD and Gamma-Gamma models. */
  unit: 'day' | 'week';
  /** CLV horizon, in days, and annual discount rate. */
  clvHorizonDays: number;
  annualDiscountRate: number;
  /** Share of list-price revenue that is margin, for CLV and below-zero detection. */
  margin: number;
  tiers: {
    /** Top share of customers by CLV that are MVC (0.1 = top 10 %). */
    mvcTopShare: number;
    /** Gap between potential and actual value (ratio) above which a customer is MGC. */
    mgcGapRatio: number;
    /** P(alive) below this share of its earlier level marks a Migrator. */
    migratorDrop: number;
    /**
     * Potential value = this quantile of CLV among customers with the same top-affinity
     * category (their "needs peers"). @default 0.75
     */
    mgcPeerQuantile?: number;
    /** Only customers seen within this many days can be grown (MGC). @default 90 */
    mgcActiveDays?: number;
    /** A needs group needs this many customers before its potential is trusted. @default 20 */
    mgcMinPeers?: number;
  };
  /** ISO 4217 currency and BCP 47 locale for money in explanations. @default 'VND', 'vi-VN' */
  currency?: string;
  locale?: string;
  /** The shop's offset from UTC, for purchase days and time of day. @default 420 (UTC+7) */
  utcOffsetMinutes?: number;
  /** Weight of each signal in category affinity. @default view 1, list 0.5, cart 3, purchase 5 */
  signalWeights?: { view: number; listView: number; cartAdd: number; purchase: number };
  needs?: Partial<NeedsThresholds>;
}

/** Thresholds of the needs labels and purchase stages. */
export interface NeedsThresholds {
  /** Share of orders with a discount from which a customer is a "deal-seeker". */
  dealSeekerShare: number;
  /** Share of normalised affinity from which the top category becomes "<category>-lover". */
  loverShare: number;
  /** Share of activity in a part of the day from which it becomes a label ("night-owl"). */
  timeOfDayShare: number;
  /** Cart add within this many days (and not yet bought) → stage "buying". */
  buyingDays: number;
  /** Recent product views (decayed, half-life `recentHalfLifeDays`) from which → "considering". */
  consideringViews: number;
  recentHalfLifeDays: number;
  /** Buyers below this P(alive), or unseen for `lapsingDays`, are "lapsing". */
  lapsingPAlive: number;
  lapsingDays: number;
}

export const DEFAULT_NEEDS: NeedsThresholds = {
  dealSeekerShare: 0.5,
  loverShare: 0.4,
  timeOfDayShare: 0.4,
  buyingDays: 7,
  consideringViews: 3,
  recentHalfLifeDays: 3,
  lapsingPAlive: 0.5,
  lapsingDays: 120,
};

export const DEFAULT_SCORING: ScoringConfig = {
  affinityHalfLifeDays: 30,
  unit: 'week',
  clvHorizonDays: 365,
  annualDiscountRate: 0.1,
  margin: 0.3,
  tiers: { mvcTopShare: 0.1, mgcGapRatio: 1.5, migratorDrop: 0.5, mgcPeerQuantile: 0.75, mgcActiveDays: 90, mgcMinPeers: 20 },
  currency: 'VND',
  locale: 'vi-VN',
  utcOffsetMinutes: 420,
  signalWeights: { view: 1, listView: 0.5, cartAdd: 3, purchase: 5 },
  needs: DEFAULT_NEEDS,
};

/** Days per model time unit. */
export function unitDays(unit: ScoringConfig['unit']): number {
  return unit === 'week' ? 7 : 1;
}
