/**
 * The rows one imported order becomes, shared by the generic and the bulk import paths
 * (orders-import.ts, orders-import-bulk.ts): the `orders` row, the `Order Completed` event a shop
 * backend would have sent, and the profile of a customer seen for the first time.
 */
import type { Profile, ProfileScores } from '../profile.ts';
import { emptyStats } from '../profile.ts';
import type { ImportBatchOrder, OrderRow, StoredEvent } from '../store/types.ts';
import type { ScoringEvent } from '../models/stats.ts';
import type { ImportedOrder } from './orders-import-parse.ts';

/** Scores of a profile not yet scored (computedAt 0); the import's caller rescores right after. */
export const UNSCORED: ProfileScores = { tier: null, rfm: null, clv: null, pAlive: null, expectedPurchases: null, affinities: {}, needs: [], stage: 'browsing', reasons: [], computedAt: 0 };

/** A new profile for `customerId`, starting at the customer's first order, not at the import. */
export function importedProfile(siteId: string, id: string, customerId: string, orders: ImportedOrder[], now: number): Profile {
  let first = Infinity;
  for (const o of orders) if (o.ts < first) first = o.ts;
  return { siteId, id, userId: customerId, identities: [{ kind: 'user', value: customerId }], traits: {}, stats: emptyStats(first), scores: UNSCORED, createdAt: now, updatedAt: now };
}

// Built field by field rather than with conditional spreads: these run once per imported order.
export function orderRow(siteId: string, o: ImportedOrder, profileId: string): OrderRow {
  const items: OrderRow['items'] = [];
  if (o.category || o.quantity) {
    const item: OrderRow['items'][number] = o.category ? { category: o.category, amount: o.amount } : { amount: o.amount };
    if (o.quantity) item.quantity = o.quantity;
    items.push(item);
  }
  return { siteId, orderId: o.orderId, profileId, ts: o.ts, amount: o.amount, currency: o.currency, status: 'completed', items };
}

/**
 * The properties of the order's `Order Completed` event (Segment e-commerce spec). The SQLite bulk
 * path writes the same JSON from SQL (store/sqlite/bulk-import.ts); the bulk test pins the two equal.
 */
export function orderProperties(o: ImportBatchOrder): Record<string, unknown> {
  const properties: Record<string, unknown> = { order_id: o.orderId, revenue: o.amount, currency: o.currency };
  if (o.category || o.quantity) {
    const quantity = o.quantity ?? 1;
    properties.products = [o.category ? { category: o.category, quantity, price: o.amount / quantity } : { quantity, price: o.amount / quantity }];
  }
  return properties;
}

/** The order as the `Order Completed` event a shop backend would send. */
export function orderEvent(siteId: string, o: ImportedOrder, profileId: string, now: number): StoredEvent {
  const messageId = `import:${o.orderId}`;
  return {
    siteId, messageId, profileId, type: 'track', name: 'Order Completed', anonymousId: null, userId: o.customerId,
    ts: o.ts, receivedAt: now, trusted: true, source: 'import', bot: false,
    // messageId, userId and the time are the row's own columns; the body keeps what replays read.
    // A bare date is kept as such (context.dateOnly), so a replay of the history (a merge) reads it as the import did.
    body: { type: 'track', event: 'Order Completed', properties: orderProperties(o), ...(o.dateOnly && { context: { dateOnly: true } }) },
  };
}

/** What applyEvent reads of `orderEvent(…)` (identity.ts toScoringEvent), without building the stored event. */
export function purchaseEvent(o: ImportBatchOrder): ScoringEvent {
  return { type: 'track', name: 'Order Completed', ts: o.ts, trusted: true, properties: orderProperties(o), ...(o.dateOnly && { dateOnly: true }) };
}
