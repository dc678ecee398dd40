/**
 * The contract under concurrency, in one process: many requests on the same customers at once
 * end with exact counts. (test/scale/ repeats this across several processes on PostgreSQL.)
 */
import { expect, it } from 'vitest';
import type { Store } from '../../collector/store/types.ts';
import { collectorOn, offer } from './harness.ts';

export function concurrencyContract(store: () => Store) {
  it('loses no update when one customer is written through two ids at once', async () => {
    const h = await collectorOn(store());
    await h.post('/v1/identify', { anonymousId: 'c1', userId: 'cu', messageId: 'id0' }, h.server);
    // Half the batches name the anonymous id, half the user id: both resolve to one profile.
    const batches = Array.from({ length: 24 }, (_, b) => ({
      batch: Array.from({ length: 10 }, (_, i) => ({ type: 'page', messageId: `c-${b}-${i}`, ...(b % 2 ? { userId: 'cu' } : { anonymousId: 'c1' }) })),
    }));
    const answers = await Promise.all(batches.map((body) => h.post('/v1/batch', body, h.server)));
    expect(answers.map((a) => a.body.accepted)).toEqual(batches.map(() => 10));
    const p = (await h.admin('/profiles/cu')).body;
    expect(p.stats.pageViews).toBe(240);
    expect(await h.count('events')).toBe(241);
  });

  it('counts an order sent many times at once exactly once', async () => {
    const h = await collectorOn(store());
    const send = (i: number) => h.post('/v1/track', { userId: 'buyer', messageId: `ord-${i}`, event: 'Order Completed', properties: { order_id: 'same', revenue: 10 } }, h.server);
    await Promise.all(Array.from({ length: 12 }, (_, i) => send(i)));
    const p = (await h.admin('/profiles/buyer')).body;
    expect([p.stats.orders, p.stats.revenue]).toEqual([1, 10]);
    expect(await h.count('orders')).toBe(1);
    expect(await h.count('profiles')).toBe(1);
  });

  it('merges once when the same merge is asked for many times at once', async () => {
    const h = await collectorOn(store());
    for (const u of ['ka', 'kb']) await h.post('/v1/track', { userId: u, messageId: `m-${u}`, event: 'Product Viewed', properties: { category: u } }, h.server);
    const body = JSON.stringify({ from: 'kb', into: 'ka' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => h.admin('/merge', { method: 'POST', body })));
    expect(answers.filter((a) => a.status === 200 && a.body.merged).length).toBe(1);
    expect(await h.count('profiles')).toBe(1);
    expect(await h.count('merges')).toBe(1);
    expect((await h.admin('/profiles/kb')).body.identities.map((i: any) => i.value).sort()).toEqual(['ka', 'kb']);
  });

  it('lets exactly one of several concurrent offer edits win', async () => {
    const h = await collectorOn(store());
    await h.admin('/offers/race', { method: 'PUT', body: JSON.stringify(offer('race')) });
    const edits = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      h.admin('/offers/race', { method: 'PUT', body: JSON.stringify({ ...offer('race'), name: `edit ${i}`, version: 1 }) })));
    expect(edits.map((e) => e.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect((await h.admin('/offers/race/history')).body.versions).toHaveLength(2);
  });
}
