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

  it('stops reading a chunked body (no Content-Length) as soon as it passes the limit', async () => {
    const t = await setup();
    // An endless stream of 64 KB chunks, as `curl -T -` sends: refused after the limit, not read to the end.
    let pulled = 0;
    const endless = () => new ReadableStream<Uint8Array>({ pull(c) { pulled++; c.enqueue(new Uint8Array(64 * 1024).fill(120)); } });
    for (const path of ['/v1/track', '/v1/batch', '/v1/decide']) {
      pulled = 0;
      const res = await t.app.request(path, { method: 'POST', body: endless(), headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
      expect(res.status, path).toBe(413);
      expect((await res.json()).error).toMatchObject({ code: 'payload_too_large' });
      // The batch limit is 500 KB: about 8 chunks, a few more pulled ahead by the stream's queue.
      expect(pulled, path).toBeLessThan(20);
    }
    // A chunked body under the limit is read whole.
    const small = new TextEncoder().encode(JSON.stringify({ writeKey: t.site.writeKey, anonymousId: 'a', event: 'Chunked' }));
    const ok = await t.app.request('/v1/track', { method: 'POST', body: new ReadableStream({ start(c) { c.enqueue(small.slice(0, 10)); c.enqueue(small.slice(10)); c.close(); } }), headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(ok.status).toBe(200);
  });

  it('refuses numbers no double holds and e-commerce amounts below 0 or endless, naming the field', async () => {
    const t = await setup();
    const server = { authorization: `Basic ${Buffer.from(`${t.site.secretKey}:`).toString('base64')}` };
    const raw = (body: string) => t.app.request('/v1/track', { method: 'POST', body, headers: { 'content-type': 'application/json', ...server } });
    const inf = await raw('{"userId":"rich","event":"Order Completed","properties":{"order_id":"inf1","revenue":1e309}}');
    expect(inf.status).toBe(400);
    expect((await inf.json()).error.code).toBe('number_out_of_range');
    const cases: [Record<string, unknown>, string][] = [
      [{ order_id: 'n1', revenue: -1e20 }, 'properties.revenue'],
      [{ order_id: 'n2', revenue: '12abc' }, 'properties.revenue'],
      [{ order_id: 'n3', revenue: 5e15 }, 'properties.revenue'],
      [{ order_id: 'n4', revenue: 100, products: [{ price: 50, quantity: -2 }] }, 'properties.products.0.quantity'],
    ];
    for (const [properties, path] of cases) {
      const res = await t.post('/v1/track', { userId: 'rich', event: 'Order Completed', properties }, server);
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.issues.map((i: { path: string }) => i.path), path).toContain(path);
    }
    // Free-form events keep their free-form numbers; dates before 1970 are refused.
    expect((await t.post('/v1/track', { userId: 'rich', event: 'Rated', properties: { value: -3 } }, server)).status).toBe(200);
    expect((await t.post('/v1/track', { userId: 'rich', event: 'Rated', timestamp: '1960-01-01T00:00:00Z' }, server)).status).toBe(400);
    expect(t.store.db.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 0 });
  });

  it('lets a shop’s page read a refusal made before the key is known, and no one else’s', async () => {
    const t = await setup();
    const send = (origin: string, body: string) => t.app.request('/v1/track', { method: 'POST', body, headers: { 'content-type': 'application/json', origin } });
    for (const body of ['{not json', JSON.stringify({ anonymousId: 'a', event: 'x' })]) {
      const mine = await send('https://shop.example', body);
      expect([400, 401]).toContain(mine.status);
      expect(mine.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      const foreign = await send('https://evil.example', body);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    }
    const preflight = await t.app.request('/v1/track', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(preflight.status).toBe(403);
    expect((await preflight.json()).error.code).toBe('origin_not_allowed');
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
