import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';

describe('ingest', () => {
  it('stores a batch once, attaches it to one profile and updates its figures', async () => {
    const t = await setup();
    const batch = [
      { type: 'page', anonymousId: 'a1', messageId: 'm1', name: 'Home' },
      { type: 'track', anonymousId: 'a1', messageId: 'm2', event: 'Product Viewed', properties: { category: 'coffee', price: 120000 } },
    ];
    const res = await t.post('/v1/batch', { batch, writeKey: t.site.writeKey });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, accepted: 2, duplicates: 0 });
    const again = await t.post('/v1/batch', { batch, writeKey: t.site.writeKey });
    expect(await again.json()).toEqual({ success: true, accepted: 0, duplicates: 2 });
    const p = await (await t.admin('/profiles/a1')).json();
    expect(p.stats.pageViews).toBe(1);
    expect(Object.keys(p.scores.affinities)).toEqual(['coffee']);
    const tl = await (await t.admin('/profiles/a1/timeline')).json();
    expect(tl.events.map((e: any) => e.messageId)).toEqual(['m2', 'm1']);
  });

  it('counts only trusted orders toward revenue', async () => {
    const t = await setup();
    const order = { type: 'track', userId: 'u1', event: 'Order Completed', properties: { order_id: 'o1', revenue: 500000 } };
    await t.post('/v1/track', { ...order, messageId: 'web1', userHash: t.hash('u1'), writeKey: t.site.writeKey });
    let p = await (await t.admin('/profiles/u1')).json();
    expect(p.stats.orders).toBe(0);
    await t.post('/v1/track', { ...order, messageId: 'srv1' }, t.basic(t.site.secretKey));
    await t.post('/v1/track', { ...order, messageId: 'srv2' }, t.basic(t.site.secretKey));
    p = await (await t.admin('/profiles/u1')).json();
    expect(p.stats.orders).toBe(1);
    expect(p.stats.revenue).toBe(500000);
  });

  it('rejects bad input with a 4xx naming the problem and stores nothing', async () => {
    const t = await setup();
    const cases: [unknown, number, RegExp][] = [
      ['{not json', 400, /not valid JSON/],
      [{ batch: 'x', writeKey: t.site.writeKey }, 400, /batch/],
      [{ batch: [{ type: 'track', anonymousId: 'a' }], writeKey: t.site.writeKey }, 400, /batch\.0\.event/],
      [{ batch: [{ type: 'page', anonymousId: 'a', messageId: 'ok' }, { type: 'nope', anonymousId: 'a' }], writeKey: t.site.writeKey }, 400, /batch\.1/],
      [{ batch: [{ type: 'page' }], writeKey: t.site.writeKey }, 400, /anonymousId or userId/],
      [{ batch: [{ type: 'page', anonymousId: 'a' }], writeKey: 'wk_wrong' }, 401, /unknown key/],
      [{ batch: [{ type: 'page', anonymousId: 'a' }] }, 401, /no key/],
      [{ batch: [{ type: 'identify', userId: 'u', traits: {} }], writeKey: t.site.writeKey }, 401, /userHash/],
    ];
    for (const [body, status, msg] of cases) {
      const res = await t.post('/v1/batch', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const json = await res.json();
      expect(json.error.message).toMatch(msg);
    }
    expect(t.store.db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 });
  });

  it('refuses oversized bodies with 413 and foreign origins with 403', async () => {
    const t = await setup();
    const big = { batch: [{ type: 'track', anonymousId: 'a', event: 'x', properties: { s: 'x'.repeat(600_000) } }], writeKey: t.site.writeKey };
    expect((await t.post('/v1/batch', big)).status).toBe(413);
    const res = await t.post('/v1/page', { anonymousId: 'a', writeKey: t.site.writeKey }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const ok = await t.post('/v1/page', { anonymousId: 'a', writeKey: t.site.writeKey }, { origin: 'https://shop.example' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });
});
