/**
 * The experiments report: decisions, outcomes and trusted orders of a site fed to the pure
 * attribution and uplift functions (intent-to-treat: every decision touches at decision time).
 */
import { attribute, type DecisionRecord, type Interaction, type Order } from '../decide/attribution.ts';
import { upliftReport, type UpliftRow } from '../decide/uplift.ts';
import { VALUE_TIERS } from '../offers/schema.ts';
import type { ValueTier } from '../profile.ts';
import type { Site, SqlRunner } from '../store/types.ts';

const TIERS = new Set<string>(VALUE_TIERS);

export async function experiments(db: SqlRunner, site: Site, since: number): Promise<UpliftRow[]> {
  const ds = (await db.query('SELECT id, profile_id, offer_id, arm, holdout, created_at FROM decisions WHERE site_id = ? AND offer_id IS NOT NULL AND created_at >= ?', [site.id, since])).rows;
  // `arm` is the bandit's key, "offerId|TIER" (choose.ts armKey); older rows may hold the bare tier.
  const tierOf = (arm: string) => {
    const t = String(arm ?? '').split('|').pop()!;
    return TIERS.has(t) ? (t as ValueTier) : null;
  };
  const decisions: DecisionRecord[] = ds.map((r) => ({
    decisionId: r.id, profileId: r.profile_id, offerId: r.offer_id,
    tier: tierOf(r.arm), holdout: !!Number(r.holdout), at: Number(r.created_at),
  }));
  const os = (await db.query('SELECT decision_id, kind, at FROM outcomes WHERE site_id = ? AND at >= ?', [site.id, since])).rows;
  const interactions: Interaction[] = os.map((r) => ({ decisionId: r.decision_id, outcome: r.kind, at: Number(r.at) }));
  const ords = (await db.query("SELECT order_id, profile_id, ts, amount FROM orders WHERE site_id = ? AND status = 'completed' AND ts >= ?", [site.id, since])).rows;
  const orders: Order[] = ords.map((r) => ({ orderId: r.order_id, profileId: r.profile_id, at: Number(r.ts), value: Number(r.amount) }));
  return upliftReport(attribute(decisions, interactions, orders, { windowMs: site.settings.decide.attributionWindowMs, touch: 'decision' }));
}
