import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';

const coffeeOffer = {
  name: 'Coffee', placements: ['home-hero'], kind: 'banner', status: 'active', priority: 200,
  target: { affinity: { category: 'coffee', min: 0.4 } }, caps: { perDay: 2 },
  content: { en: { title: 'Coffee deal', link: '/c/coffee' }, vi: { title: 'Ưu đãi cà phê', link: '/c/coffee' } },
};
const teaOffer = { ...coffeeOffer, name: 'Tea', target: { affinity: { category: 'tea', min: 0.4 } }, content: { en: { title: 'Tea deal' } } };

async function withOffers(settings = {}) {
  const t = await setup({ decide: { globalHoldoutShare: 0, exploration: 0 }, ...settings });
  expect((await t.admin('/offers/coffee', { method: 'PUT', body: JSON.stringify(coffeeOffer) })).status).toBe(200);
  expect((await t.admin('/offers/tea', { method: 'PUT', body: JSON.stringify(teaOffer) })).status).toBe(200);
  const view = (anonymousId: string, category: string, n = 3) =>
    t.post('/v1/batch', { writeKey: t.site.writeKey, batch: Array.from({ length: n }, (_, i) => ({ type: 'track', anonymousId, messageId: `${anonymousId}-${category}-${i}-${Math.random()}`, event: 'Product Viewed', properties: { category } })) });
  const decide = async (anonymousId: string, extra: Record<string, unknown> = {}) => {
    const res = await t.post('/v1/decide', { writeKey: t.site.writeKey, anonymousId, placements: ['home-hero'], context: { locale: 'vi', path: '/' }, ...extra });
    return { status: res.status, body: await res.json() };
  };
  return { ...t, view, decide };
}

describe('decide', () => {
  it('picks the offer that matches the visitor, in their locale, with a reason', async () => {
    const t = await withOffers();
    await t.view('coffee-fan', 'coffee');
    await t.view('tea-fan', 'tea');
    const c = await t.decide('coffee-fan');
    expect(c.status).toBe(200);
    expect(c.body.decisions[0].offer).toMatchObject({ id: 'coffee', locale: 'vi', content: { title: 'Ưu đãi cà phê', link: '/c/coffee' } });
    expect(c.body.decisions[0].reason).toMatch(/coffee/);
    const tea = await t.decide('tea-fan');
    expect(tea.body.decisions[0].offer).toMatchObject({ id: 'tea', locale: 'en' });
    const none = await t.decide('stranger');
    expect(none.body.decisions[0].offer).toBeNull();
  });

  it('names a recommendation strip’s products in the visitor’s locale', async () => {
    const t = await setup({ decide: { globalHoldoutShare: 0, exploration: 0 } });
    const strip = {
      name: 'Recs', placements: ['cart-recs'], kind: 'recommendations', status: 'active', content: { en: { title: 'Goes with your coffee' }, vi: { title: 'Hợp với cà phê của bạn' } },
      items: [{ id: 'phin', title: 'Stainless phin filter', titles: { vi: 'Phin inox' }, price: 95000, link: '/p/phin' }, { id: 'book', title: 'Coffee Book', price: 210000 }],
    };
    expect((await t.admin('/offers/recs', { method: 'PUT', body: JSON.stringify(strip) })).status).toBe(200);
    const titles = async (locale: string) => (await (await t.post('/v1/decide', { writeKey: t.site.writeKey, anonymousId: 'r1', placements: ['cart-recs'], context: { locale } })).json())
      .decisions[0].offer.items.map((i: { title: string }) => i.title);
    expect(await titles('vi')).toEqual(['Phin inox', 'Coffee Book']);
    expect(await titles('en')).toEqual(['Stainless phin filter', 'Coffee Book']);
  });

  it('accepts events in the same round trip and decides on them', async () => {
    const t = await withOffers();
    const res = await t.decide('one-trip', { events: [1, 2, 3].map((i) => ({ type: 'track', messageId: `ot-${i}`, event: 'Product Viewed', properties: { category: 'tea' } })) });
    expect(res.body.ingest).toEqual({ success: true, accepted: 3, duplicates: 0 });
    expect(res.body.decisions[0].offer.id).toBe('tea');
  });

  it('enforces a per-day cap across tabs and devices on the server', async () => {
    const t = await withOffers();
    await t.view('capped', 'coffee');
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await t.decide('capped', { context: { sessionId: `tab-${i}` } })).body.decisions[0].offer?.id ?? null);
    expect(ids).toEqual(['coffee', 'coffee', null, null]);
    t.advance(25 * 3600_000);
    expect((await t.decide('capped')).body.decisions[0].offer?.id).toBe('coffee');
  });

  it("holds the cap when one customer's decides arrive at once (many tabs)", async () => {
    const t = await withOffers();
    await t.view('racing', 'coffee');
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => t.decide('racing', { context: { sessionId: `tab-${i}` } })));
    expect(all.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(all.filter((r) => r.body.decisions[0].offer?.id === 'coffee')).toHaveLength(2);
  });

  it('stops after a dismissal, and attributes an order to the offer seen', async () => {
    const t = await withOffers();
    await t.view('buyer', 'coffee');
    const d = (await t.decide('buyer')).body.decisions[0];
    await t.post('/v1/track', { writeKey: t.site.writeKey, anonymousId: 'buyer', event: 'Offer Viewed', properties: { decisionId: d.decisionId, offerId: 'coffee' } });
    await t.post('/v1/track', { anonymousId: 'buyer', event: 'Order Completed', properties: { order_id: 'b1', revenue: 300000 } }, t.basic(t.site.secretKey));
    const outcomes = t.store.db.prepare('SELECT kind, value FROM outcomes WHERE decision_id = ? ORDER BY kind').all(d.decisionId);
    expect(outcomes).toEqual([{ kind: 'conversion', value: 300000 }, { kind: 'impression', value: 0 }]);
    const arms = await t.store.banditCounters(t.site.id);
    expect(arms.find((a) => a.offerId === 'coffee')).toMatchObject({ trials: 1, conversions: 1, value: 300000 });

    await t.view('dismisser', 'coffee');
    const d2 = (await t.decide('dismisser')).body.decisions[0];
    await t.post('/v1/track', { writeKey: t.site.writeKey, anonymousId: 'dismisser', event: 'Offer Dismissed', properties: { decisionId: d2.decisionId } });
    expect((await t.decide('dismisser')).body.decisions[0].offer).toBeNull();
  });

  it('ignores outcome events for someone else’s decision', async () => {
    const t = await withOffers();
    await t.view('victim', 'coffee');
    const d = (await t.decide('victim')).body.decisions[0];
    await t.post('/v1/track', { writeKey: t.site.writeKey, anonymousId: 'attacker', event: 'Offer Converted', properties: { decisionId: d.decisionId, revenue: 1e9 } });
    const arms = await t.store.banditCounters(t.site.id);
    expect(arms.every((a) => a.conversions === 0)).toBe(true);
  });

  it('keeps a global control group: held out, recorded, measured', async () => {
    const t = await withOffers({ decide: { globalHoldoutShare: 0.5, exploration: 0 } });
    const results = [];
    for (let i = 0; i < 40; i++) {
      await t.view(`h${i}`, 'coffee', 1);
      results.push((await t.decide(`h${i}`)).body.decisions[0]);
    }
    const held = results.filter((d) => d.holdout);
    expect(held.length).toBeGreaterThan(8);
    expect(held.length).toBeLessThan(32);
    expect(held.every((d) => d.offer === null)).toBe(true);
    // Through the store (a raw read of the connection could run before deferred decisions are written).
    const { rows } = await t.store.query('SELECT COUNT(*) AS n FROM decisions WHERE holdout = 1');
    expect(Number(rows[0].n)).toBe(held.length);
    // Sticky: the same customer stays in the same group.
    const again = (await t.decide(`h${results.indexOf(held[0])}`)).body.decisions[0];
    expect(again.holdout).toBe(true);
  });

  it('signs the decision bundle it hands out', async () => {
    const t = await withOffers();
    const { body } = await t.decide('signed');
    const { sign } = await import('../../collector/http/hmac.ts');
    expect(body.bundle.signature).toBe(sign(t.app.services.signingKey, body.bundle.payload));
    expect(JSON.parse(body.bundle.payload).decisions).toEqual(body.decisions);
  });

  it('rejects bad decide requests with a 4xx naming the problem', async () => {
    const t = await withOffers();
    const cases: [unknown, number, RegExp][] = [
      [{ writeKey: t.site.writeKey, placements: ['x'] }, 400, /anonymousId or userId/],
      [{ writeKey: t.site.writeKey, anonymousId: 'a', placements: [] }, 400, /placements/],
      [{ writeKey: t.site.writeKey, anonymousId: 'a', placements: Array(11).fill('p') }, 400, /placements/],
      [{ writeKey: t.site.writeKey, anonymousId: 'a', placements: ['x'], context: { device: 'fridge' } }, 400, /context\.device/],
      [{ writeKey: t.site.writeKey, anonymousId: 'a', placements: ['home\u0000hero'] }, 400, /placements\.0.*control characters/],
      [{ writeKey: t.site.writeKey, anonymousId: 'a', placements: ['\ud800'] }, 400, /placements\.0.*unpaired surrogates/],
      [{ writeKey: t.site.writeKey, userId: 'u1', placements: ['x'] }, 401, /userHash/],
      [{ anonymousId: 'a', placements: ['x'] }, 401, /no key/],
    ];
    for (const [body, status, msg] of cases) {
      const res = await t.post('/v1/decide', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect((await res.json()).error.message).toMatch(msg);
    }
  });
});

describe('uplift report', () => {
  it('compares treated and held-out customers per offer and tier, with intervals', async () => {
    const t = await withOffers({ decide: { globalHoldoutShare: 0.5, exploration: 0 } });
    let treatedBuyers = 0;
    for (let i = 0; i < 60; i++) {
      const id = `u${i}`;
      await t.view(id, 'coffee', 1);
      const d = (await t.decide(id)).body.decisions[0];
      if (!d.holdout) await t.post('/v1/track', { writeKey: t.site.writeKey, anonymousId: id, event: 'Offer Viewed', properties: { decisionId: d.decisionId } });
      // Treated customers buy more often than held-out ones: 2 in 3 against 1 in 6.
      const buys = d.holdout ? i % 6 === 0 : i % 3 !== 0;
      if (buys) {
        if (!d.holdout) treatedBuyers++;
        await t.post('/v1/track', { anonymousId: id, event: 'Order Completed', properties: { order_id: `o-${i}`, revenue: 200000 } }, t.basic(t.site.secretKey));
      }
    }
    const res = await t.admin('/uplift?days=7');
    expect(res.status).toBe(200);
    const all = (await res.json()).rows.find((r: any) => r.offerId === 'coffee' && r.tier === 'all');
    expect(all.treated.converters).toBe(treatedBuyers);
    expect(all.treated.conversionRate).toBeGreaterThan(all.holdout.conversionRate);
    expect(all.conversion.low).toBeLessThan(all.conversion.diff);
    expect(all.conversion.high).toBeGreaterThan(all.conversion.diff);
    expect(all.revenuePerCustomer.diff).toBeCloseTo(all.treated.revenuePerCustomer - all.holdout.revenuePerCustomer, 6);
    expect((await t.admin('/uplift?days=0')).status).toBe(400);
  });
});

describe('profileByIdentity (the profile decide reads)', () => {
  it('reads a profile not held in memory the same as one held: row, user id and identities in their order', async () => {
    const { openSqliteStore } = await import('../../collector/store/sqlite/index.ts');
    const path = `${(await import('node:os')).tmpdir()}/idic-pbi-${process.pid}-${Date.now()}.db`;
    const writer = openSqliteStore(path);
    await writer.db.prepare("INSERT INTO sites (id, name, settings, created_at) VALUES ('s', 's', '{}', 0)").run();
    const { emptyStats } = await import('../../collector/profile.ts');
    await writer.write(async (tx) => {
      await tx.saveProfile({ siteId: 's', id: 'p1', userId: 'u1', traits: { name: 'An' }, stats: emptyStats(5), scores: { tier: 'MVC' } as any, createdAt: 5, updatedAt: 6, identities: [] });
      await tx.linkIdentity('s', { kind: 'anonymous', value: 'a2' }, 'p1', 20);
      await tx.linkIdentity('s', { kind: 'user', value: 'u1' }, 'p1', 10);
      await tx.linkIdentity('s', { kind: 'anonymous', value: 'a1' }, 'p1', 10);
    });
    const warm = await writer.profileByIdentity('s', { kind: 'anonymous', value: 'a2' });
    const warmAgain = await writer.profileByIdentity('s', { kind: 'anonymous', value: 'a2' });
    const reader = openSqliteStore(path); // a fresh store holds nothing: the read is cold
    const cold = await reader.profileByIdentity('s', { kind: 'anonymous', value: 'a2' });
    expect(cold).toEqual(warm);
    expect(warmAgain).toEqual(warm);
    expect(cold!.identities).toEqual([{ kind: 'anonymous', value: 'a1' }, { kind: 'user', value: 'u1' }, { kind: 'anonymous', value: 'a2' }]);
    expect(cold).toMatchObject({ id: 'p1', userId: 'u1', traits: { name: 'An' }, createdAt: 5, updatedAt: 6 });
    expect(await reader.profileByIdentity('s', { kind: 'anonymous', value: 'nobody' })).toBeNull();
    cold!.traits.name = 'changed'; // callers may mutate what they get: the next read is unaffected
    expect((await reader.profileByIdentity('s', { kind: 'user', value: 'u1' }))!.traits).toEqual({ name: 'An' });
    await reader.close();
    await writer.close();
  });
});
