/**
 * The data the decision core reads and returns. The collector maps its stored Profile, exposure log
 * and bandit counters onto these shapes; the core never touches the store.
 */
import type { PurchaseStage, ValueTier } from '../profile.ts';
import type { Offer } from '../offers/schema.ts';

/** Consent to use personal data for personalization, as the visitor last answered. */
export type Consent = 'granted' | 'denied' | 'pending';

/**
 * What the engine reads of one customer. The lead maps `Profile` → `DecisionProfile`:
 * `{ id, tier: scores.tier, rfm: scores.rfm && {r,f,m}, affinities, needs, stage,
 *    returning: stats.sessions > 1 || stats.orders > 0, identified: userId !== null, loyaltyTier, consent }`.
 */
export interface DecisionProfile {
  /** Stable profile id: the holdout key (stable after identify, so sticky across devices). */
  id: string;
  tier: ValueTier | null;
  /** RFM quintile scores 1–5 (5 best); null before the first order. */
  rfm: { r: number; f: number; m: number } | null;
  /** Normalised 0–1 category affinities. */
  affinities: Record<string, number>;
  needs: string[];
  stage: PurchaseStage;
  returning: boolean;
  identified: boolean;
  loyaltyTier: string | null;
  /** Personalization consent; see `DecideSettings.requireConsent`. Missing means unknown. */
  consent?: Consent;
}

/** What happened to one decision, as the store logs it (one row per outcome). */
export type ExposureOutcome = 'served' | 'impression' | 'click' | 'dismiss' | 'conversion';

/**
 * One row of a customer's exposure history. `served` is written when decide returns an offer (so
 * caps hold across two tabs before the first impression arrives); the widget's events add the rest.
 * Holdout decisions are not exposures: the visitor saw nothing.
 */
export interface Exposure {
  offerId: string;
  decisionId: string;
  at: number;
  sessionId?: string;
  outcome: ExposureOutcome;
}

/** Learned figures of one bandit arm (offer × value tier). Plain data the store persists. */
export interface ArmCounter {
  /** Treated decisions the visitor saw (impressions). */
  trials: number;
  /** Attributed conversions. */
  conversions: number;
  /** Sum of attributed conversion values (order value, site currency). */
  value: number;
}

/** Counters keyed by `armKey(offerId, tier)`, i.e. `${offerId}|${tier ?? 'unknown'}`. */
export type Counters = Record<string, ArmCounter>;

export type Rng = () => number;

/** Why an offer was not eligible for a placement. */
export type BlockReason =
  | 'status' | 'placement' | 'schedule' | 'target'
  | 'cap:session' | 'cap:day' | 'cap:week' | 'cap:converted' | 'cap:dismissed' | 'cap:budget'
  | 'cap:interval' | 'cap:visit' | 'duplicate';

/** How the winning offer was picked. */
export type PickMethod = 'thompson' | 'cold-start' | 'explore';

/** The engine's answer for one placement. */
export interface PlacementDecision {
  placement: string;
  /** The offer to show; null when nothing fits or the visitor is held out. */
  offer: Offer | null;
  /**
   * The offer the engine selected, also for holdouts (what they would have seen): attribution
   * and the uplift report compare treated and held-out customers of this offer.
   */
  offerId: string | null;
  /** Bandit arm, `${offerId}|${tier}`, null when nothing was selected. */
  arm: string | null;
  holdout: false | 'global' | 'offer';
  pick: PickMethod | null;
  /** Short explanation in words. */
  reason: string;
  /** Sampled expected value that ranked the winner (site currency per decision). */
  score: number | null;
}
