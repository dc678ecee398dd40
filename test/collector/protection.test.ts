import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';

describe('pipeline protection', () => {
  it('rate-limits a write key with 429 and Retry-After, then recovers', async () => {
    const t = await setup({ rateLimit: { perSecond: 10, burst: 20 } });
    const send = (n: number) => t.post('/v1/batch', { writeKey: t.site.writeKey, batch: Array.from({ length: n }, (_, i) => ({ type: 'page', anonymousId: 'rl', messageId: `rl-${Math.random()}-${i}` })) });
    expect((await send(15)).status).toBe(200);
    const limited = await send(10);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error.code).toBe('rate_limited');
    t.advance(2000);
    expect((await send(10)).status).toBe(200);
  });

  it('stores bot traffic but keeps it out of scoring', async () => {
    const t = await setup();
    const ua = { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' };
    await t.post('/v1/track', { writeKey: t.site.writeKey, anonymousId: 'crawler', event: 'Product Viewed', properties: { category: 'coffee' } }, ua);
    await t.post('/v1/track', { writeKey: t.site.writeKey, anonymousId: 'human', event: 'Product Viewed', properties: { category: 'coffee' } });
    const crawler = await (await t.admin('/profiles/crawler')).json();
    const human = await (await t.admin('/profiles/human')).json();
    expect(crawler.scores.affinities).toEqual({});
    expect(human.scores.affinities.coffee).toBe(1);
    expect(t.store.db.prepare('SELECT bot FROM events ORDER BY seq').all()).toEqual([{ bot: 1 }, { bot: 0 }]);
  });

  it('answers CORS preflights only for an allowed origin', async () => {
    const t = await setup();
    const pre = (origin: string) => t.app.request('/v1/batch', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const ok = await pre('https://shop.example');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect((await pre('https://evil.example')).status).toBe(403);
  });

  it('pages through a customer timeline in order, across all their ids', async () => {
    const t = await setup();
    for (let i = 0; i < 7; i++) {
      t.advance(1000);
      await t.post('/v1/track', { writeKey: t.site.writeKey, anonymousId: i < 4 ? 'dev-a' : 'dev-b', userId: i === 3 || i === 4 ? 'cust' : undefined, userHash: i === 3 || i === 4 ? t.hash('cust') : undefined, messageId: `tl-${i}`, event: `Step ${i}` });
    }
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const res = await (await t.admin(`/profiles/cust/timeline?limit=3${before ? `&before=${before}` : ''}`)).json();
      seen.push(...res.events.map((e: any) => e.name));
      if (!res.next) break;
      before = res.next;
    }
    expect(seen).toEqual(['Step 6', 'Step 5', 'Step 4', 'Step 3', 'Step 2', 'Step 1', 'Step 0']);
    expect((await t.admin('/profiles/cust/timeline?limit=9999')).status).toBe(400);
  });

  it('keeps admin routes for the secret key', async () => {
    const t = await setup();
    const res = await t.app.request('/v1/admin/offers', { headers: { authorization: `Bearer ${t.site.writeKey}` } });
    expect(res.status).toBe(403);
    expect((await t.app.request('/v1/admin/offers')).status).toBe(401);
  });
});

describe('timeline paging with equal timestamps', () => {
  it('skips no event at a page boundary', async () => {
    const t = await setup();
    const batch = Array.from({ length: 10 }, (_, i) => ({ type: 'track', anonymousId: 'same-ms', messageId: `s-${i}`, event: `E${i}`, timestamp: '2026-11-01T10:00:00.000Z', sentAt: '2026-11-01T10:00:00.000Z' }));
    await t.post('/v1/batch', { writeKey: t.site.writeKey, batch });
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const res = await (await t.admin(`/profiles/same-ms/timeline?limit=3${cursor ? `&before=${cursor}` : ''}`)).json();
      seen.push(...res.events.map((e: any) => e.name));
      if (!res.next) break;
      cursor = res.next;
    }
    expect(seen).toEqual(['E9', 'E8', 'E7', 'E6', 'E5', 'E4', 'E3', 'E2', 'E1', 'E0']);
  });
});

describe('a client inventing visitor ids', () => {
  it('is refused with 429 after its budget of new ids, while the site stays open to others', async () => {
    const t = await setup({ rateLimit: { perSecond: 1e6, burst: 1e6, perClientPerSecond: 5, perClientBurst: 50 } });
    const flood = (n: number, from: number) => t.post('/v1/batch', { writeKey: t.site.writeKey, batch: Array.from({ length: n }, (_, i) => ({ type: 'page', anonymousId: `fake-${from + i}` })) });
    expect((await flood(40, 0)).status).toBe(200);
    const refused = await flood(40, 40);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.message).toMatch(/client/);
    expect((t.store.db.prepare('SELECT COUNT(*) AS n FROM profiles').get() as { n: number }).n).toBe(40);
    // One visitor's many events cost one per request: the refused flood left room for them.
    const own = () => t.post('/v1/batch', { writeKey: t.site.writeKey, batch: Array.from({ length: 100 }, () => ({ type: 'page', anonymousId: 'fake-0' })) });
    for (let i = 0; i < 10; i++) expect((await own()).status).toBe(200);
    expect((await own()).status).toBe(429);
    t.advance(1000);
    expect((await own()).status).toBe(200);
  });
});

describe('site settings', () => {
  it('patches nested settings field by field and refuses a bad one without saving', async () => {
    const t = await setup();
    const patch = (body: unknown) => t.admin('/site/settings', { method: 'PATCH', body: JSON.stringify(body) });
    const before = (await (await t.admin('/site')).json()).settings;
    const ok = await patch({ decide: { exploration: 0.2 } });
    expect(ok.status).toBe(200);
    const after = (await ok.json()).settings;
    expect(after.decide.exploration).toBe(0.2);
    // The rest of `decide` is kept, not reset to defaults.
    expect({ ...after.decide, exploration: before.decide.exploration }).toEqual(before.decide);
    const bad = await patch({ decide: { exploration: 7 }, currency: 'dong' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues.map((i: any) => i.path).sort()).toEqual(['currency', 'decide.exploration']);
    expect((await (await t.admin('/site')).json()).settings.decide.exploration).toBe(0.2);
    // A misspelt setting is named, not dropped in silence; nothing is saved.
    const typo = await patch({ decide: { exploraton: 0.3 }, curency: 'USD' });
    expect(typo.status).toBe(400);
    const body = await typo.json();
    expect(body.error.code).toBe('unknown_setting');
    expect(body.error.issues.map((i: any) => i.path).sort()).toEqual(['curency', 'decide.exploraton']);
    // Names every object has are no settings either.
    const inherited = await patch(JSON.parse('{"constructor":{"x":1},"decide":{"toString":1},"__proto__":{"y":2}}'));
    expect(inherited.status).toBe(400);
    expect((await inherited.json()).error.issues.map((i: any) => i.path).sort()).toEqual(['__proto__', 'constructor', 'decide.toString']);
    // Keys inside a map of the shop's own (consent purposes, say) are data, not settings names.
    expect((await patch({ origins: ['https://shop.example'] })).status).toBe(200);
  });
});
