/**
 * The uplift report — "does personalization pay?" — per offer and per value tier, treated vs.
 * held-out customers, from the store's decisions, outcomes and trusted orders. The maths is the
 * pure core's (collector/decide/attribution.ts and uplift.ts); this only reads and feeds it.
 */
import type { Store } from '../store/types.ts';
import type { Site } from '../store/types.ts';
import type { ValueTier } from '../profile.ts';
import { attribute, type DecisionRecord, type Interaction, type Order } from '../decide/attribution.ts';
import { upliftReport, type UpliftRow } from '../decide/uplift.ts';

export async function upliftFor(store: Store, site: Site, since: number): Promise<UpliftRow[]> {
  const decisions = (await store.query(
    'SELECT id, profile_id, offer_id, arm, holdout, created_at FROM decisions WHERE site_id = ? AND created_at >= ? AND offer_id IS NOT NULL',
    [site.id, since],
  )).rows.map((r): DecisionRecord => ({
    decisionId: r.id, profileId: r.profile_id, offerId: r.offer_id, holdout: !!r.holdout, at: Number(r.created_at),
    // The arm is `${offerId}|${tier}`: the tier the customer had when the decision was made.
    tier: tierOf(String(r.arm)),
  }));
  const interactions = (await store.query(
    `SELECT o.decision_id, o.kind, o.at FROM outcomes o JOIN decisions d ON d.site_id = o.site_id AND d.id = o.decision_id
     WHERE o.site_id = ? AND d.created_at >= ?`,
    [site.id, since],
  )).rows.map((r): Interaction => ({ decisionId: r.decision_id, outcome: r.kind, at: Number(r.at) }));
  const orderRows = (await store.query(
    'SELECT order_id, profile_id, ts, amount, status FROM orders WHERE site_id = ? AND ts >= ?',
    [site.id, since],
  )).rows;
  const orders = orderRows.filter((r) => r.status === 'completed')
    .map((r): Order => ({ orderId: r.order_id, profileId: r.profile_id, at: Number(r.ts), value: Number(r.amount) }));
  // A trusted order is also stored as a `conversion` outcome of the last decision seen (the bandit's
  // bookkeeping, services/outcomes.ts, at the order's time). `attribute` credits the orders itself,
  // so that row is not a second, explicit conversion: one order would convert two decisions (the
  // last seen and the last made), or a refunded order would still convert one.
  const profileOf = new Map(decisions.map((d) => [d.decisionId, d.profileId]));
  const orderAt = new Set(orderRows.map((r) => `${r.profile_id}|${Number(r.ts)}`));
  const explicit = interactions.filter((i) => i.outcome !== 'conversion' || !orderAt.has(`${profileOf.get(i.decisionId)}|${i.at}`));
  return upliftReport(attribute(decisions, explicit, orders, { windowMs: site.settings.decide.attributionWindowMs, touch: 'decision' }));
}

const TIERS = new Set(['MVC', 'MGC', 'LMC', 'BZ', 'Migrator']);
function tierOf(arm: string): ValueTier | null {
  const t = arm.slice(arm.lastIndexOf('|') + 1);
  return TIERS.has(t) ? (t as ValueTier) : null;
}
