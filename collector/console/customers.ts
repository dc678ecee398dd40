/** The customer 360: everything the console shows about one customer, and the export of it. */
import type { Profile, ProfileScores, ProfileStats, ValueTier } from '../profile.ts';
import type { Site, SqlRunner, StoredEvent, Store } from '../store/types.ts';
import { HttpError } from '../http/errors.ts';
import { labelNames } from '../models/needs.ts';

/** Each needs label's own category or channel name, as the shop wrote it (accents kept). */
function needNamesOf(stats: ProfileStats, scores: ProfileScores): Record<string, string> {
  return labelNames(scores.needs, Object.keys(scores.affinities ?? {}), Object.keys(stats.needs?.channels ?? {}));
}

/** The customer with any id the identity graph knows (merged ids included), or 404. */
export async function customerOr404(store: Store, site: Site, id: string): Promise<Profile> {
  const p = await store.findProfile(site.id, id.slice(0, 200));
  if (!p) throw new HttpError(404, 'not_found', `no customer with id ${id.slice(0, 100)}`);
  return p;
}

export interface OfferSeen {
  decisionId: string;
  offerId: string | null;
  placement: string;
  holdout: boolean;
  at: number;
  outcomes: { kind: string; at: number; value: number }[];
}

export interface Customer360 {
  profile: Profile;
  offers: OfferSeen[];
  orders: { orderId: string; ts: number; amount: number; currency: string; status: string }[];
  timeline: StoredEvent[];
  /** Older events exist: the cursor ("<ts>.<seq>") to pass as `before` for the next page. */
  next: string | null;
  /** Needs label → the shop's own name it stands for ("ca-phe-lover" → "Cà phê"). */
  needNames: Record<string, string>;
}

export async function customer360(store: Store, siteId: string, profile: Profile, page: { before?: number; beforeSeq?: number; limit: number }): Promise<Customer360> {
  // The latest 200 in the query itself: a regular visitor collects thousands of decisions.
  const ds = (await store.query('SELECT id, offer_id, placement, holdout, created_at FROM decisions WHERE site_id = ? AND profile_id = ? ORDER BY created_at DESC LIMIT 200', [siteId, profile.id])).rows;
  const outs = ds.length
    ? (await store.query(`SELECT decision_id, kind, at, value FROM outcomes WHERE site_id = ? AND decision_id IN (${ds.map(() => '?').join(', ')})`, [siteId, ...ds.map((d) => d.id)])).rows
    : [];
  const offers: OfferSeen[] = ds.map((d) => ({
    decisionId: d.id, offerId: d.offer_id, placement: d.placement, holdout: !!Number(d.holdout), at: Number(d.created_at),
    outcomes: outs.filter((o) => o.decision_id === d.id).map((o) => ({ kind: o.kind, at: Number(o.at), value: Number(o.value) })),
  }));
  const orders = (await store.query('SELECT order_id, ts, amount, currency, status FROM orders WHERE site_id = ? AND profile_id = ? ORDER BY ts DESC', [siteId, profile.id])).rows
    .map((o) => ({ orderId: o.order_id, ts: Number(o.ts), amount: Number(o.amount), currency: o.currency, status: o.status }));
  const timeline = await store.timeline(siteId, profile.id, page);
  // The event's time and sequence number: a time alone repeats the events that share it (a server
  // batch without timestamps stores them all at its arrival), and a page of those would never end.
  const last = timeline.at(-1);
  const next = timeline.length === page.limit && last ? `${last.ts}.${last.seq ?? 0}` : null;
  return { profile, offers, orders, timeline, next, needNames: needNamesOf(profile.stats, profile.scores) };
}


export interface TierMember {
  id: string;
  userId: string | null;
  name: string | null;
  email: string | null;
  clv: number | null;
  orders: number;
  revenue: number;
  lastOrderAt: number | null;
  needs: string[];
  needNames: Record<string, string>;
}

/**
 * A value tier's customers, most valuable first (CLV, then revenue): where the shop should spend
 * its effort. The tier is matched in the stored scores' JSON text (written by JSON.stringify, so
 * `"tier":"MVC"` is exact), which both stores can filter without a JSON operator of their own.
 */
export async function tierMembers(db: SqlRunner, siteId: string, tier: ValueTier, limit: number): Promise<{ total: number; rows: TierMember[] }> {
  const rows = (await db.query('SELECT id, user_id, traits, stats, scores FROM profiles WHERE site_id = ? AND scores LIKE ?', [siteId, `%"tier":"${tier}"%`])).rows;
  const members = rows
    .map((r) => ({ r, scores: JSON.parse(r.scores) as ProfileScores, stats: JSON.parse(r.stats) as ProfileStats }))
    .filter((m) => m.scores.tier === tier)
    .sort((a, b) => (b.scores.clv ?? -Infinity) - (a.scores.clv ?? -Infinity) || b.stats.revenue - a.stats.revenue || (a.r.id < b.r.id ? -1 : 1));
  return {
    total: members.length,
    rows: members.slice(0, limit).map(({ r, scores, stats }) => {
      const traits = JSON.parse(r.traits) as Record<string, unknown>;
      return {
        id: r.id, userId: r.user_id ?? null, name: typeof traits.name === 'string' ? traits.name : null, email: typeof traits.email === 'string' ? traits.email : null,
        clv: scores.clv, orders: stats.orders, revenue: stats.revenue, lastOrderAt: stats.lastOrderAt, needs: scores.needs, needNames: needNamesOf(stats, scores),
      };
    }),
  };
}
