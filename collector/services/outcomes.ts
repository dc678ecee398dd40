/**
 * Closing the loop: offer impressions, clicks, dismissals and conversions are tied to their
 * decisionId and feed the bandit's counters; a trusted order within the attribution window
 * converts the last decision the customer saw or clicked (holdout decisions count the same way,
 * so treated and control are measured alike).
 */
import { idProblem } from './identity-keys.ts';
import { MAX_AMOUNT } from '../protocol.ts';
import type { Profile } from '../profile.ts';
import type { OutcomeKind, Site, Tx } from '../store/types.ts';
import type { Services } from './context.ts';

export async function recordOfferOutcome(tx: Tx, site: Site, profile: Profile, props: Record<string, unknown>, kind: OutcomeKind, at: number) {
  const decisionId = props.decisionId ?? props.decision_id;
  // No decision has an id that is not well formed (ids are ULIDs): nothing to attribute.
  if (typeof decisionId !== 'string' || idProblem(decisionId)) return;
  // `Offer Converted` is not an e-commerce event: its properties are free-form (a browser can send
  // 1e400, which parses to Infinity, or a negative). Take the amounts an order may have, else none.
  const claimed = kind === 'conversion' ? Number(props.revenue ?? props.value ?? 0) : 0;
  const value = claimed >= 0 && claimed <= MAX_AMOUNT ? claimed : 0;
  const decision = await tx.insertOutcome({ siteId: site.id, decisionId, kind, at, value });
  // Outcomes only count for the customer the decision was made for.
  if (!decision || decision.profileId !== profile.id || !decision.offerId || decision.holdout) return;
  if (kind === 'impression') await tx.bumpBandit(site.id, decision.offerId, decision.arm, { trials: 1 });
  if (kind === 'conversion') await tx.bumpBandit(site.id, decision.offerId, decision.arm, { conversions: 1, value });
}

export async function recordOrderOutcome(tx: Tx, svc: Services, site: Site, profileId: string, amount: number, at: number) {
  const windowMs = site.settings.decide.attributionWindowMs;
  const recent = await svc.store.exposures(site.id, profileId, at - windowMs);
  const seen = (k: OutcomeKind) => (e: (typeof recent)[number]) => e.outcomes.some((o) => o.kind === k);
  // Last touch: the most recent decision that was seen (or, for holdouts, made) and not yet converted.
  // Only touches at or before the order: an order event can arrive late or back-dated, after
  // later decisions (the thank-you page) were made and seen.
  const touchedBefore = (e: (typeof recent)[number]) => e.holdout
    ? e.offerId !== null && e.at <= at
    : e.outcomes.some((o) => (o.kind === 'impression' || o.kind === 'click') && o.at <= at);
  const candidates = recent.filter((e) => !seen('conversion')(e) && touchedBefore(e));
  const last = candidates.at(-1);
  if (!last) return;
  const decision = await tx.insertOutcome({ siteId: site.id, decisionId: last.decisionId, kind: 'conversion', at, value: amount });
  if (decision && decision.offerId && !decision.holdout) await tx.bumpBandit(site.id, decision.offerId, decision.arm, { conversions: 1, value: amount });
}
