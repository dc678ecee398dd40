/**
 * Attribution: tie interactions and orders to the decision that led to them. Pure.
 *
 * Last touch: an order counts for the customer's latest touch at or before it, if no older than
 * the window. Treated decisions are touched by their impressions and clicks; held-out decisions
 * have nothing to see, so the moment of the decision is their touch (the moment the offer would
 * have been seen). With `touch: 'decision'` every decision is touched at decision time — the
 * intent-to-treat view, the same for both groups, which the uplift report should use.
 */
import type { ValueTier } from '../profile.ts';

/** A decision as logged by decide (one per placement with a selected offer). */
export interface DecisionRecord {
  decisionId: string;
  profileId: string;
  offerId: string;
  tier: ValueTier | null;
  /** True for global or per-offer control: nothing was shown. */
  holdout: boolean;
  at: number;
}

export interface Interaction {
  decisionId: string;
  outcome: 'impression' | 'click' | 'dismiss' | 'conversion';
  at: number;
}

/** A trusted order (Order Completed from the shop's backend). */
export interface Order {
  orderId: string;
  profileId: string;
  at: number;
  value: number;
}

export interface DecisionResult extends DecisionRecord {
  impressions: number;
  clicks: number;
  dismissed: boolean;
  /** An attributed order, or an explicit `conversion` interaction (e.g. a code redeemed). */
  converted: boolean;
  /** Ids of the orders credited to this decision, and their total value. */
  orders: string[];
  revenue: number;
}

export interface AttributionOptions {
  windowMs: number;
  /** @default 'exposure' */
  touch?: 'exposure' | 'decision';
}

/**
 * Credit each order to at most one decision (last touch within `windowMs`).
 * @example attribute(decisions, interactions, orders, { windowMs: 7 * 86_400_000 })
 */
export function attribute(
  decisions: readonly DecisionRecord[],
  interactions: readonly Interaction[],
  orders: readonly Order[],
  opts: AttributionOptions,
): DecisionResult[] {
  const results = new Map<string, DecisionResult>();
  for (const d of decisions) results.set(d.decisionId, { ...d, impressions: 0, clicks: 0, dismissed: false, converted: false, orders: [], revenue: 0 });

  const touches = new Map<string, { at: number; id: string }[]>();
  const touch = (r: DecisionResult, at: number) => {
    let list = touches.get(r.profileId);
    if (!list) touches.set(r.profileId, (list = []));
    list.push({ at, id: r.decisionId });
  };
  for (const r of results.values()) if (r.holdout || opts.touch === 'decision') touch(r, r.at);
  for (const i of interactions) {
    const r = results.get(i.decisionId);
    if (!r) continue;
    if (i.outcome === 'impression') r.impressions++;
    else if (i.outcome === 'click') r.clicks++;
    else if (i.outcome === 'dismiss') r.dismissed = true;
    else r.converted = true;
    if (!r.holdout && opts.touch !== 'decision' && (i.outcome === 'impression' || i.outcome === 'click')) touch(r, i.at);
  }
  for (const list of touches.values()) list.sort((a, b) => a.at - b.at);

  const credited = new Set<string>();
  for (const o of orders) {
    if (credited.has(o.orderId)) continue; // the same order sent twice counts once
    const list = touches.get(o.profileId);
    if (!list) continue;
    // Latest touch at or before the order (binary search: lists can be long for loyal customers).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.at <= o.at) lo = mid + 1;
      else hi = mid;
    }
    const last = list[lo - 1];
    if (!last || o.at - last.at > opts.windowMs) continue;
    const r = results.get(last.id)!;
    credited.add(o.orderId);
    r.orders.push(o.orderId);
    r.revenue += o.value;
    r.converted = true;
  }
  return [...results.values()];
}
