/** Per-site scoring settings, validated with zod at the edges (site settings, CLI flags). */
export interface ScoringConfig {
  /** Half-life of category interest, in days. */
  affinityHalfLifeDays: number;
  /** Time unit of the BG/NBD and Gamma-Gamma models. */
  unit: 'day' | 'week';
  /** CLV horizon, in days, and annual discount rate. */
  clvHorizonDays: number;
  annualDiscountRate: number;
  /** Share of revenue that is margin, for CLV and below-zero detection. */
  margin: number;
  tiers: {
    /** Top share of customers by CLV that are MVC (0.1 = top 10 %). */
    mvcTopShare: number;
    /** Gap between potential and actual value (ratio) above which a customer is MGC. */
    mgcGapRatio: number;
    /** P(alive) below this share of its earlier level marks a Migrator. */
    migratorDrop: number;
  };
}

export const DEFAULT_SCORING: ScoringConfig = {
  affinityHalfLifeDays: 30,
  unit: 'week',
  clvHorizonDays: 365,
  annualDiscountRate: 0.1,
  margin: 0.3,
  tiers: { mvcTopShare: 0.1, mgcGapRatio: 1.5, migratorDrop: 0.5 },
};
