/**
 * A shop's existing server-side Segment or RudderStack library, pointed at idic with the site's
 * secret key as its write key, works unchanged — and its orders are trusted.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { createCollector } from '../../collector/app.ts';
import { openSqliteStore, type SqliteStore } from '../../collector/store/sqlite/index.ts';
import { createSite } from '../../collector/services/sites.ts';
import { listen, type Running } from '../../collector/server.ts';
import type { Site } from '../../collector/store/types.ts';
import { summary } from '../../collector/cli/profile.ts';

describe('server-side Segment-compatible libraries', () => {
  let store: SqliteStore;
  let site: Site;
  let server: Running;
  beforeAll(async () => {
    store = openSqliteStore(':memory:');
    const app = createCollector({ store, log: () => {} });
    site = await createSite(store, { name: 'shop' }, app.services.newId, Date.now());
    server = await listen(app, null, { port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  const eventsOf = (userId: string) => store.db.prepare('SELECT type, name, trusted, source FROM events WHERE user_id = ? ORDER BY seq').all(userId);

  it('accepts @segment/analytics-node batches as trusted server events', async () => {
    const analytics = new SegmentAnalytics({ writeKey: site.secretKey, host: server.url, flushAt: 3, maxRetries: 1 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    analytics.identify({ userId: 'seg-1', traits: { email: 'seg@example.vn', name: 'Segment User' } });
    analytics.track({ userId: 'seg-1', event: 'Product Viewed', properties: { product_id: 'p1', category: 'coffee', price: 185000 } });
    analytics.track({ userId: 'seg-1', event: 'Order Completed', properties: { order_id: 'seg-o1', revenue: 370000, currency: 'VND', products: [{ product_id: 'p1', category: 'coffee', price: 185000, quantity: 2 }] } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(eventsOf('seg-1')).toEqual([
      { type: 'identify', name: null, trusted: 1, source: 'server' },
      { type: 'track', name: 'Product Viewed', trusted: 1, source: 'server' },
      { type: 'track', name: 'Order Completed', trusted: 1, source: 'server' },
    ]);
    const p = summary((await store.findProfile(site.id, 'seg-1'))!);
    expect(p.traits).toMatchObject({ name: 'Segment User' });
    expect(p.orders).toBe(1);
    expect(p.revenue).toBe(370000);
  });

  it('accepts @rudderstack/rudder-sdk-node (gzipped) batches', async () => {
    const client = new RudderAnalytics(site.secretKey, { dataPlaneUrl: server.url, flushAt: 2, flushInterval: 100, logLevel: 'error' });
    client.identify({ userId: 'rud-1', traits: { name: 'Rudder User' } });
    client.track({ userId: 'rud-1', event: 'Order Completed', properties: { order_id: 'rud-o1', revenue: 120000, currency: 'VND' } });
    client.track({ userId: 'rud-1', event: 'Order Completed', properties: { order_id: 'rud-o1', revenue: 120000, currency: 'VND' } });
    await client.flush();
    await expect.poll(() => eventsOf('rud-1').length, { timeout: 10_000 }).toBe(3);
    const p = summary((await store.findProfile(site.id, 'rud-1'))!);
    // The same order sent twice (new messageIds) counts once.
    expect(p.orders).toBe(1);
    expect(p.revenue).toBe(120000);
    expect(p.traits).toMatchObject({ name: 'Rudder User' });
  });

  it('refuses a library configured with an unknown key', async () => {
    const analytics = new SegmentAnalytics({ writeKey: 'sk_not_a_key', host: server.url, flushAt: 1, maxRetries: 0 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    analytics.track({ userId: 'nobody', event: 'X' });
    await analytics.closeAndFlush({ timeout: 5000 });
    expect(errors.length).toBeGreaterThan(0);
    expect(eventsOf('nobody')).toEqual([]);
  });
});
