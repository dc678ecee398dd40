/** Review of the event ingest: semantic bugs found, each proven through the real HTTP app on SQLite :memory:. */
import { describe, it, expect } from 'vitest';
import { setup } from '../collector/helpers.ts';

const scored = async (t: Awaited<ReturnType<typeof setup>>, id: string) => (await (await t.admin(`/profiles/${id}`)).json());

describe('bot detection', () => {
  it('keeps a Cubot phone’s in-app browser (Facebook, Zalo) in scoring: "CUBOT" is a phone brand, not a bot', async () => {
    const t = await setup();
    const agents = {
      facebook: 'Mozilla/5.0 (Linux; Android 11; CUBOT X30 Build/RP1A.200720.011; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/441.0.0.33.113;]',
      zalo: 'Mozilla/5.0 (Linux; Android 10; CUBOT NOTE 20 Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Zalo android/12100711 ZaloTheme/light ZaloLanguage/vn',
    };
    for (const [who, ua] of Object.entries(agents)) {
      const res = await t.post('/v1/track', { writeKey: t.site.writeKey, anonymousId: `cubot-${who}`, event: 'Product Viewed', properties: { category: 'coffee' } }, { 'user-agent': ua });
      expect(res.status).toBe(200);
      expect((await scored(t, `cubot-${who}`)).scores.affinities, who).toEqual({ coffee: 1 });
    }
    expect(t.store.db.prepare('SELECT DISTINCT bot FROM events').all()).toEqual([{ bot: 0 }]);
  });

  it('still flags the crawlers the pattern is for, and Google’s JavaScript-rendering inspection and GoogleOther crawlers', async () => {
    const t = await setup();
    const crawlers = [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
      'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
      'Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)',
      'curl/8.4.0',
      'python-requests/2.31.0',
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Google-InspectionTool/1.0;)',
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.135 Mobile Safari/537.36 (compatible; GoogleOther)',
    ];
    for (const [i, ua] of crawlers.entries()) {
      expect((await t.post('/v1/page', { writeKey: t.site.writeKey, anonymousId: `crawler-${i}`, messageId: `c-${i}` }, { 'user-agent': ua })).status).toBe(200);
    }
    const flags = t.store.db.prepare('SELECT message_id AS id, bot FROM events ORDER BY seq').all() as { id: string; bot: number }[];
    expect(flags.filter((f) => !f.bot).map((f) => crawlers[Number(f.id.slice(2))])).toEqual([]);
  });
});

describe('batch-level context', () => {
  it('is merged into each message’s own context, as Segment’s batch spec says (not replaced by it)', async () => {
    const t = await setup();
    const sk = t.basic(t.site.secretKey);
    // A POS customer known only by a loyalty card, then the shop's backend sends a batch whose
    // top-level context names the card, and whose message carries its own context (ip).
    await t.post('/v1/track', { anonymousId: 'pos-sale-1', event: 'Order Completed', context: { externalIds: [{ type: 'loyalty', id: 'CARD-1' }] }, properties: { order_id: 'p1', revenue: 50000 } }, sk);
    const res = await t.post('/v1/batch', {
      context: { externalIds: [{ type: 'loyalty', id: 'CARD-1' }] },
      batch: [{ type: 'track', userId: 'cust-1', messageId: 'b1', event: 'Order Completed', context: { ip: '203.0.113.7' }, properties: { order_id: 'w1', revenue: 70000 } }],
    }, sk);
    expect(res.status).toBe(200);
    const p = await scored(t, 'cust-1');
    expect(p.stats.orders).toBe(2);
    expect(p.stats.revenue).toBe(120000);
    // The message keeps its own context keys too.
    const body = JSON.parse((t.store.db.prepare("SELECT body FROM events WHERE message_id = 'b1'").get() as { body: string }).body);
    expect(body.context).toMatchObject({ ip: '203.0.113.7', externalIds: [{ type: 'loyalty', id: 'CARD-1' }] });
  });

  it('carries a batch-level userAgent into messages that have a context of their own (bot flag)', async () => {
    const t = await setup();
    const res = await t.post('/v1/batch', {
      context: { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
      batch: [{ type: 'track', anonymousId: 'relayed', event: 'Product Viewed', context: { locale: 'vi-VN' }, properties: { category: 'tea' } }],
    }, t.basic(t.site.secretKey));
    expect(res.status).toBe(200);
    expect(t.store.db.prepare('SELECT bot FROM events').all()).toEqual([{ bot: 1 }]);
    expect((await scored(t, 'relayed')).scores.affinities).toEqual({});
  });
});

describe('a trusted batch of POS sales from one terminal', () => {
  it('credits each sale to the customer whose loyalty card it names, as the same messages sent one by one do', async () => {
    const t = await setup();
    const sk = t.basic(t.site.secretKey);
    for (const [u, card] of [['alice', 'CARD-A'], ['bob', 'CARD-B']]) {
      expect((await t.post('/v1/identify', { userId: u, traits: { loyalty_card: card } }, sk)).status).toBe(200);
    }
    // The POS names its terminal as the anonymous id; the card says whose sale it is.
    const sale = (card: string, orderId: string, revenue: number) => ({ type: 'track', anonymousId: 'pos-terminal-1', event: 'Order Completed', context: { externalIds: [{ type: 'loyalty', id: card }] }, properties: { order_id: orderId, revenue } });
    const res = await t.post('/v1/batch', { batch: [sale('CARD-A', 'o1', 100000), sale('CARD-B', 'o2', 300000)] }, sk);
    expect(await res.json()).toEqual({ success: true, accepted: 2, duplicates: 0 });
    const alice = await scored(t, 'alice');
    const bob = await scored(t, 'bob');
    expect([alice.stats.orders, alice.stats.revenue]).toEqual([1, 100000]);
    expect([bob.stats.orders, bob.stats.revenue]).toEqual([1, 300000]);
    expect(t.store.db.prepare("SELECT order_id AS o, profile_id AS p FROM orders ORDER BY order_id").all()).toEqual([{ o: 'o1', p: alice.id }, { o: 'o2', p: bob.id }]);
  });
});

describe('a key sent as the body’s writeKey', () => {
  it('is not stored in the event body: a secret key there would reach every reader of timelines and exports', async () => {
    const t = await setup();
    // Segment's HTTP API documents the key as a body field; a shop backend sends its secret key so.
    expect((await t.post('/v1/track', { writeKey: t.site.secretKey, userId: 'k1', messageId: 'sk-1', event: 'Order Completed', properties: { order_id: 'k1', revenue: 1000 } })).status).toBe(200);
    expect((await t.post('/v1/batch', { writeKey: t.site.writeKey, batch: [{ type: 'page', anonymousId: 'k2', messageId: 'wk-1', writeKey: t.site.writeKey }] })).status).toBe(200);
    const bodies = (t.store.db.prepare('SELECT body FROM events').all() as { body: string }[]).map((r) => r.body).join('\n');
    expect(bodies).not.toContain(t.site.secretKey);
    expect(bodies).not.toContain(t.site.writeKey);
    const tl = await (await t.admin('/profiles/k1/timeline')).json();
    expect(JSON.stringify(tl)).not.toContain(t.site.secretKey);
    expect((await scored(t, 'k1')).stats.revenue).toBe(1000);
  });
});
