/** The identity graph's merge rules, case by case, through the HTTP routes on a real SQLite store. */
import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';
import { count, profile, server, web } from './identity-helpers.ts';

describe('identity: merge semantics', () => {
  it('moves anonymous history to the known customer on identify, counting a shared order once', async () => {
    const t = await setup();
    const w = web(t), s = server(t);
    // The customer is known already, with a trusted order.
    expect((await s.order({ userId: 'u1' }, 'o1', 300000)).status).toBe(200);
    // On a fresh device they browse anonymously; the shop re-reports the same order for that visitor.
    await w.page('a1');
    await w.view('a1', 'coffee');
    await w.view('a1', 'coffee');
    await s.order({ anonymousId: 'a1' }, 'o1', 300000);
    await s.order({ anonymousId: 'a1' }, 'o2', 100000);
    const anon = await profile(t, 'a1');
    const known = await profile(t, 'u1');
    expect(anon.id).not.toBe(known.id);

    expect((await w.identify('a1', 'u1', { name: 'Lan' })).status).toBe(200);
    const p = await profile(t, 'u1');
    expect(p.id).toBe(known.id);
    expect(p.stats).toMatchObject({ pageViews: 1, orders: 2, revenue: 400000 });
    expect(p.scores.affinities.coffee).toBeGreaterThan(0);
    expect(p.traits.name).toBe('Lan');
    expect(p.identities.map((i: any) => `${i.kind}:${i.value}`).sort()).toEqual(['anonymous:a1', 'user:u1']);
    // Every event now belongs to the customer; the merged-away profile id still resolves to them.
    expect(count(t, 'SELECT COUNT(*) AS n FROM events WHERE profile_id = ?', p.id)).toBe(count(t, 'SELECT COUNT(*) AS n FROM events'));
    expect(count(t, 'SELECT COUNT(*) AS n FROM profiles')).toBe(1);
    expect((await profile(t, anon.id)).id).toBe(p.id);
    expect(count(t, 'SELECT COUNT(*) AS n FROM orders WHERE profile_id = ?', p.id)).toBe(2);
  });

  it('gives merged figures equal to those of one profile that saw the whole history', async () => {
    const events = (anon: string) => [
      { type: 'page', anonymousId: anon, messageId: `${anon}-p1`, name: 'Home', timestamp: Date.UTC(2026, 9, 1) },
      { type: 'track', anonymousId: anon, messageId: `${anon}-v1`, event: 'Product Viewed', properties: { category: 'tea', price: 50000 }, timestamp: Date.UTC(2026, 9, 2) },
      { type: 'track', anonymousId: anon, messageId: `${anon}-c1`, event: 'Product Added', properties: { category: 'tea', price: 50000 }, timestamp: Date.UTC(2026, 9, 3) },
    ];
    const merged = await setup();
    await merged.post('/v1/batch', { batch: events('a'), writeKey: merged.site.writeKey });
    await server(merged).order({ userId: 'u' }, 'o1', 200000);
    await web(merged).identify('a', 'u');
    const direct = await setup();
    await direct.post('/v1/batch', { batch: events('a').map((e) => ({ ...e, userId: 'u', userHash: direct.hash('u') })), writeKey: direct.site.writeKey });
    await server(direct).order({ userId: 'u' }, 'o1', 200000);
    const [m, d] = [await profile(merged, 'u'), await profile(direct, 'u')];
    for (const k of ['pageViews', 'orders', 'revenue', 'cartAdds', 'firstSeen', 'purchaseDays'] as const) expect(m.stats[k], k).toBe(d.stats[k]);
    expect(Object.keys(m.scores.affinities)).toEqual(Object.keys(d.scores.affinities));
    expect(m.scores.tier).toBe(d.scores.tier);
  });

  it('joins the same customer on a second device to the same profile', async () => {
    const t = await setup();
    const w = web(t);
    await w.view('phone-1', 'coffee');
    await w.identify('phone-1', 'u1');
    await w.view('laptop-1', 'ceramics');
    await w.view('laptop-1', 'ceramics');
    await w.identify('laptop-1', 'u1');
    const p = await profile(t, 'u1');
    expect((await profile(t, 'laptop-1')).id).toBe(p.id);
    expect((await profile(t, 'phone-1')).id).toBe(p.id);
    expect(Object.keys(p.scores.affinities).sort()).toEqual(['ceramics', 'coffee']);
    expect(count(t, 'SELECT COUNT(*) AS n FROM profiles')).toBe(1);
    // Later browsing on either device lands on the customer without a new identify.
    await w.page('laptop-1');
    expect((await profile(t, 'u1')).stats.pageViews).toBe(1);
  });

  it('does not give the next person on a shared computer the last customer\'s history', async () => {
    const t = await setup();
    const w = web(t), s = server(t);
    await w.view('shared', 'coffee');
    await w.identify('shared', 'alice');
    await s.order({ userId: 'alice' }, 'oa', 500000);
    // Alice did not log out; Bob logs in on the same browser (same anonymous id).
    await w.identify('shared', 'bob');
    await w.view('shared', 'tea', { userId: 'bob' });
    const alice = await profile(t, 'alice');
    const bob = await profile(t, 'bob');
    expect(bob.id).not.toBe(alice.id);
    expect(bob.stats.orders).toBe(0);
    expect(Object.keys(bob.scores.affinities)).toEqual(['tea']);
    expect(alice.stats.orders).toBe(1);
    expect(Object.keys(alice.scores.affinities)).toEqual(['coffee']);
    // The anonymous id follows the person now using it; Alice keeps her events.
    expect((await profile(t, 'shared')).id).toBe(bob.id);
    expect(count(t, "SELECT COUNT(*) AS n FROM events WHERE profile_id = ? AND name = 'Product Viewed'", alice.id)).toBe(1);
  });

  it('shared computer, a first-time user: the new customer starts empty', async () => {
    const t = await setup();
    const w = web(t);
    await w.view('kiosk', 'coffee');
    await w.identify('kiosk', 'alice');
    await w.identify('kiosk', 'carol');
    const carol = await profile(t, 'carol');
    expect(carol.id).not.toBe((await profile(t, 'alice')).id);
    expect(carol.scores.affinities).toEqual({});
  });

  it('merges two known customers only through the admin call, idempotently', async () => {
    const t = await setup();
    const w = web(t), s = server(t);
    await s.order({ userId: 'u1' }, 'o1', 100000);
    await s.order({ userId: 'u2' }, 'o2', 250000);
    await w.view('b2', 'tea');
    await w.identify('b2', 'u2');
    // A browser alias cannot fold one known customer into another.
    await w.send('alias', { userId: 'u1', previousId: 'u2' });
    expect((await profile(t, 'u2')).id).not.toBe((await profile(t, 'u1')).id);

    const writeKeyMerge = await t.app.request('/v1/admin/merge', { method: 'POST', body: JSON.stringify({ from: 'u2', into: 'u1' }), headers: { authorization: `Bearer ${t.site.writeKey}` } });
    expect(writeKeyMerge.status).toBe(403);
    const u2id = (await profile(t, 'u2')).id;
    const res = await t.admin('/merge', { method: 'POST', body: JSON.stringify({ from: 'u2', into: 'u1' }) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.merged).toBe(true);
    expect(body.profile.stats).toMatchObject({ orders: 2, revenue: 350000 });
    expect(body.profile.scores.affinities.tea).toBeGreaterThan(0);
    for (const id of ['u2', 'b2', u2id]) expect((await profile(t, id)).id, id).toBe(body.profile.id);

    const again = await (await t.admin('/merge', { method: 'POST', body: JSON.stringify({ from: 'u2', into: 'u1' }) })).json();
    expect(again.merged).toBe(false);
    expect(again.profile.stats).toMatchObject({ orders: 2, revenue: 350000 });
    expect(count(t, 'SELECT COUNT(*) AS n FROM profiles')).toBe(1);
    // b2 → u2 (identify), then u2 → u1 (admin): the second merge was not recorded twice.
    expect(count(t, 'SELECT COUNT(*) AS n FROM merges')).toBe(2);
  });

  it('ends in exactly one profile with exact counts under 50 concurrent identifies', async () => {
    const t = await setup();
    const w = web(t);
    const devices = Array.from({ length: 50 }, (_, i) => `dev-${i}`);
    await Promise.all(devices.map((d) => t.post('/v1/batch', {
      writeKey: t.site.writeKey,
      batch: [{ type: 'page', anonymousId: d, name: 'Home' }, { type: 'track', anonymousId: d, event: 'Product Viewed', properties: { category: 'coffee' } }],
    })));
    const results = await Promise.all(devices.map((d) => w.identify(d, 'busy')));
    expect(results.map((r) => r.status)).toEqual(devices.map(() => 200));
    const p = await profile(t, 'busy');
    expect(count(t, 'SELECT COUNT(*) AS n FROM profiles')).toBe(1);
    expect(p.stats.pageViews).toBe(50);
    expect(count(t, 'SELECT COUNT(*) AS n FROM events WHERE profile_id = ?', p.id)).toBe(150);
    expect(p.identities.filter((i: any) => i.kind === 'anonymous')).toHaveLength(50);
  });

  it('applies 50 concurrent admin merges of the same pair exactly once', async () => {
    const t = await setup();
    const s = server(t);
    await s.order({ userId: 'm1' }, 'x1', 100000);
    await s.order({ userId: 'm2' }, 'x2', 200000);
    const res = await Promise.all(Array.from({ length: 50 }, () => t.admin('/merge', { method: 'POST', body: JSON.stringify({ from: 'm2', into: 'm1' }) })));
    const bodies = await Promise.all(res.map((r) => r.json()));
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(bodies.filter((b) => b.merged)).toHaveLength(1);
    expect((await profile(t, 'm2')).stats).toMatchObject({ orders: 2, revenue: 300000 });
    expect(count(t, 'SELECT COUNT(*) AS n FROM profiles')).toBe(1);
  });

  it('decides right after identify (and even before the identify arrives) on the merged profile', async () => {
    const t = await setup();
    const w = web(t), s = server(t);
    await s.order({ userId: 'vip' }, 'v1', 900000);
    await w.view('fresh', 'coffee');
    await w.identify('fresh', 'vip');
    const decide = (body: Record<string, unknown>) => t.post('/v1/decide', { placements: ['home-hero'], writeKey: t.site.writeKey, ...body });
    const d1 = await (await decide({ anonymousId: 'fresh', userId: 'vip', userHash: t.hash('vip') })).json();
    expect(d1.profileId).toBe((await profile(t, 'vip')).id);
    // Second device: decide carries the user id before any identify event from it.
    await w.view('other', 'tea');
    const d2 = await (await decide({ anonymousId: 'other', userId: 'vip', userHash: t.hash('vip') })).json();
    expect(d2.profileId).toBe(d1.profileId);
    const p = await profile(t, 'other');
    expect(p.id).toBe(d1.profileId);
    expect(p.stats.orders).toBe(1);
    expect(Object.keys(p.scores.affinities).sort()).toEqual(['coffee', 'tea']);
  });

  it('counts a refund once after a merge, for the order\'s amount', async () => {
    const t = await setup();
    const s = server(t), w = web(t);
    await s.order({ anonymousId: 'r-anon' }, 'r1', 400000);
    for (const m of ['ref-1', 'ref-2']) await s.send('track', { anonymousId: 'r-anon', messageId: m, event: 'Order Refunded', properties: { order_id: 'r1' } });
    const before = (await profile(t, 'r-anon')).stats;
    expect(before).toMatchObject({ refunds: 1, refundAmount: 400000 });
    await s.order({ userId: 'r-user' }, 'r0', 100000);
    await w.identify('r-anon', 'r-user');
    expect((await profile(t, 'r-user')).stats).toMatchObject({ orders: 2, revenue: 500000, refunds: 1, refundAmount: 400000 });
  });
});
