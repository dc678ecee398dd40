/**
 * A shop backend sending a customer's order history in one batch (a backfill) earns exactly what
 * the same orders earn sent one by one — the batch reads and settles the ledger once (services
 * keep a per-batch memo), and that must not change a single entry.
 */
import { describe, it, expect } from 'vitest';
import { loyaltySetup } from './helpers.ts';

const DAY = 86_400_000;

describe('loyalty backfill', () => {
  it('earns, expires and tiers a batch of 120 orders over two years exactly as 120 separate requests', async () => {
    const t = await loyaltySetup();
    const server = t.basic(t.site.secretKey);
    const start = t.now() - 730 * DAY;
    // Old orders' points are past their 12-month expiry; spend crosses tiers along the way.
    const orders = (userId: string) => Array.from({ length: 120 }, (_, i) => ({
      type: 'track', event: 'Order Completed', userId, messageId: `${userId}-${i}`, timestamp: new Date(start + i * 6 * DAY).toISOString(),
      properties: { order_id: `${userId}-${i}`, revenue: 150_000 + (i % 7) * 90_000, currency: 'VND' },
    }));
    expect((await t.post('/v1/batch', { batch: orders('batched') }, server)).status).toBe(200);
    for (const o of orders('single')) expect((await t.post('/v1/track', o, server)).status).toBe(200);

    // Entry ids differ between the two customers: an expiry names its lot by the order it came from.
    const ledger = (userId: string) => {
      const rows = t.store.db.prepare(`SELECT l.id, l.kind, l.points, l.spend, l.at, l.expires_at, replace(l.ref, ?, '') AS ref FROM loyalty_ledger l
        JOIN identities i ON i.site_id = l.site_id AND i.profile_id = l.profile_id AND i.kind = 'user' AND i.value = ?`).all(userId, userId) as any[];
      const refOf = new Map(rows.map((r) => [r.id, r.ref]));
      return rows.map(({ id: _, ...r }) => ({ ...r, ref: r.kind === 'expire' ? `lot of ${refOf.get(r.ref.slice(4))}` : r.ref }))
        .sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind) || a.ref.localeCompare(b.ref));
    };
    const batched = ledger('batched');
    expect(batched).toEqual(ledger('single'));
    expect(batched.filter((e: any) => e.kind === 'expire').length).toBeGreaterThan(0);
    const [a, b] = [(await t.me('batched')).body, (await t.me('single')).body];
    expect({ balance: a.balance, tier: a.tier }).toEqual({ balance: b.balance, tier: b.tier });
    expect(a.tier).not.toBe('Member');
  });
});
