/**
 * Site-level decision settings: typed data with defaults, validated with zod at the edges
 * (site settings API, config file). The pure core receives the parsed object.
 */
import { z } from 'zod';

const MIN = 60_000;
const DAY = 86_400_000;

export const decideSettingsSchema = z.object({
  /** Share of customers in the global control group (no offers at all). @default 0.05 */
  globalHoldoutShare: z.number().min(0).max(0.5).default(0.05),
  /** Salt of the holdout hash; change it to reshuffle every control group. @default 'idic' */
  holdoutSalt: z.string().max(100).default('idic'),
  /** Global minimum interval between two offers shown to one customer, ms. @default 0 */
  minIntervalMs: z.number().int().nonnegative().default(0),
  /** Global cap of offers per visit (session), across placements and tabs. @default 0 = none */
  maxPerVisit: z.number().int().nonnegative().default(0),
  /** A visit without a sessionId is the exposures of the last this many ms. @default 30 min */
  sessionTimeoutMs: z.number().int().positive().default(30 * MIN),
  /** Site time zone as minutes east of UTC (Vietnam: 420); for schedules (day and week caps are rolling 24 h and 7-day windows: no burst at midnight). @default 420 */
  timeZoneOffsetMinutes: z.number().int().min(-720).max(840).default(420),
  /**
   * Share of decisions that show the arm with the highest upper bound on its expected value
   * rather than the Thompson draw: a floor of exploration that guards against a stuck posterior
   * (an arm starved by a few unlucky early trials); Thompson sampling already explores. @default 0.01
   */
  exploration: z.number().min(0).max(1).default(0.01),
  /** Until some eligible arm in the visitor's tier has this many trials, priority decides. @default 50 */
  coldStartTrials: z.number().int().nonnegative().default(50),
  /**
   * Prior P(conversion) of an untried arm, and its weight in pseudo-trials. The weight says how
   * far offers' rates spread around the prior: 100 gives a prior sd of about 0.02 around 0.05,
   * the spread of offers' rates within a tier. A weak prior (10 before) starved good arms: its
   * mass near zero let 30 trials without a conversion bury an offer converting at 6 %, and in
   * the simulator a whole tier stayed on the wrong offer on about 1 seed in 8. @default 0.05, 100
   */
  priorConversionRate: z.number().gt(0).lt(1).default(0.05),
  priorStrength: z.number().positive().default(100),
  /** Site's average order value: the base of an arm's order-value prior when the offer has no expectedValue. */
  averageOrderValue: z.number().nonnegative().default(0),
  /** Weight of that prior, in pseudo-conversions. @default 3 */
  valuePriorWeight: z.number().nonnegative().default(3),
  /** Posterior draws used to estimate the winner's bandit share for the reason. @default 64 */
  shareSamples: z.number().int().min(1).max(10_000).default(64),
  /** When true only `consent: 'granted'` allows personal data; else only 'denied' forbids it. @default false */
  requireConsent: z.boolean().default(false),
  /** Orders within this window after the touch count for the decision. @default 7 days */
  attributionWindowMs: z.number().int().positive().default(7 * DAY),
});

export type DecideSettings = z.infer<typeof decideSettingsSchema>;
export type DecideSettingsInput = z.input<typeof decideSettingsSchema>;

/** Defaults for every field. */
export const DEFAULT_DECIDE_SETTINGS: DecideSettings = decideSettingsSchema.parse({});

/** Parse partial settings into a full object; throws a ZodError naming the bad field. */
export function decideSettings(input: DecideSettingsInput = {}): DecideSettings {
  return decideSettingsSchema.parse(input);
}
