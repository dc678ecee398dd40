/**
 * Frequency, conversion/dismissal and budget caps in marketers' vocabulary. Pure: the store
 * passes the customer's exposure history (across tabs and devices) and redemption counts.
 *
 * An offer counts as shown once per decision: a `served` row (written when decide returns it)
 * and its later `impression` are one showing, so two tabs deciding a second apart both see it.
 * Day and week caps are rolling windows (24 h, 7 × 24 h), as ad servers count them: no burst
 * of showings at midnight.
 */
import type { Offer } from '../offers/schema.ts';
import type { DecideSettings } from './settings.ts';
import type { BlockReason, Exposure } from './types.ts';

const DAY = 86_400_000;

/** Per-offer figures of one customer. */
export interface OfferHistory {
  session: number;
  day: number;
  week: number;
  converted: boolean;
  dismissed: boolean;
}

/** A customer's exposure history summarised once per decide call. */
export interface CapState {
  /** When any offer was last shown, or null. */
  lastShownAt: number | null;
  /** Offers shown in this visit (distinct decisions). */
  shownThisVisit: number;
  byOffer: Map<string, OfferHistory>;
}

/**
 * Summarise exposures for the cap checks.
 * @param sessionId the visit being decided; without one, the visit is the last `sessionTimeoutMs`.
 */
export function capState(exposures: readonly Exposure[], now: number, sessionId: string | undefined, settings: Pick<DecideSettings, 'sessionTimeoutMs'>): CapState {
  const byOffer = new Map<string, OfferHistory>();
  const seen = new Set<string>();
  let lastShownAt: number | null = null;
  let shownThisVisit = 0;
  const get = (id: string) => {
    let h = byOffer.get(id);
    if (!h) byOffer.set(id, (h = { session: 0, day: 0, week: 0, converted: false, dismissed: false }));
    return h;
  };
  for (const e of exposures) {
    if (e.outcome === 'conversion') get(e.offerId).converted = true;
    else if (e.outcome === 'dismiss') get(e.offerId).dismissed = true;
    else if (e.outcome === 'served' || e.outcome === 'impression') {
      if (lastShownAt === null || e.at > lastShownAt) lastShownAt = e.at;
      if (seen.has(e.decisionId)) continue;
      seen.add(e.decisionId);
      const h = get(e.offerId);
      const age = now - e.at;
      const recent = age < settings.sessionTimeoutMs;
      const inVisit = sessionId === undefined || e.sessionId === undefined ? recent : e.sessionId === sessionId;
      if (inVisit) {
        h.session++;
        shownThisVisit++;
      }
      if (age < DAY) h.day++;
      if (age < 7 * DAY) h.week++;
    }
  }
  return { lastShownAt, shownThisVisit, byOffer };
}

/**
 * The per-offer cap that blocks `offer` for this customer, or null when it may be shown.
 * @param redemptions the offer's redemptions so far across all customers (budget cap).
 * @example offerCap(offer, capState(history, now, 's1', settings), 12) // → 'cap:session' | … | null
 */
export function offerCap(offer: Offer, state: CapState, redemptions: number): BlockReason | null {
  if (offer.budget !== undefined && redemptions >= offer.budget) return 'cap:budget';
  const h = state.byOffer.get(offer.id);
  if (!h) return null;
  const caps = offer.caps;
  // Schema defaults are true; a missing flag (hand-built offer) keeps the safe default.
  if (h.converted && caps.stopAfterConversion !== false) return 'cap:converted';
  if (h.dismissed && caps.stopAfterDismiss !== false) return 'cap:dismissed';
  if (caps.perSession !== undefined && h.session >= caps.perSession) return 'cap:session';
  if (caps.perDay !== undefined && h.day >= caps.perDay) return 'cap:day';
  if (caps.perWeek !== undefined && h.week >= caps.perWeek) return 'cap:week';
  return null;
}

/**
 * Site-wide caps: the minimum interval since the last offer shown and the cap per visit.
 * @param chosenNow offers already picked for other placements in this same call: they count
 *   toward the visit cap, but not toward the interval (one page shows its placements together).
 */
export function globalCap(state: CapState, settings: Pick<DecideSettings, 'minIntervalMs' | 'maxPerVisit'>, now: number, chosenNow = 0): BlockReason | null {
  if (settings.minIntervalMs > 0 && state.lastShownAt !== null && now - state.lastShownAt < settings.minIntervalMs) return 'cap:interval';
  if (settings.maxPerVisit > 0 && state.shownThisVisit + chosenNow >= settings.maxPerVisit) return 'cap:visit';
  return null;
}
