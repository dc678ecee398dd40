/** Identity verification and external keys: nobody claims another customer from a browser. */
import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';
import { dump, profile, server, web } from './identity-helpers.ts';

/** A hash one hex digit away from the real one (always a different digit, whatever it was). */
const flipLast = (h: string) => h.slice(0, -1) + (h.endsWith('0') ? '1' : '0');

describe('identity: verification', () => {
  it('rejects identify without a valid userHash with 401 and changes nothing', async () => {
    const t = await setup();
    const w = web(t);
    await w.view('victim-anon', 'coffee');
    await w.identify('victim-anon', 'victim');
    await server(t).order({ userId: 'victim' }, 'v1', 700000);
    await w.view('attacker', 'tea');
    const before = dump(t);
    const attempts = [
      { anonymousId: 'attacker', userId: 'victim' },
      { anonymousId: 'attacker', userId: 'victim', userHash: 'not-a-hash' },
      { anonymousId: 'attacker', userId: 'victim', userHash: t.hash('attacker') },
      { anonymousId: 'attacker', userId: 'victim', userHash: flipLast(t.hash('victim')).toUpperCase() },
    ];
    for (const a of attempts) {
      const res = await t.post('/v1/identify', { ...a, traits: { email: 'x@evil.example' }, writeKey: t.site.writeKey });
      expect(res.status, JSON.stringify(a)).toBe(401);
      expect((await res.json()).error.code).toBe('identity_not_verified');
    }
    // A batch with one forged message among good ones is refused whole.
    const batch = await t.post('/v1/batch', { writeKey: t.site.writeKey, batch: [
      { type: 'page', anonymousId: 'attacker', name: 'Home' },
      { type: 'track', anonymousId: 'attacker', userId: 'victim', event: 'Product Viewed', properties: { category: 'tea' } },
    ] });
    expect(batch.status).toBe(401);
    // … naming the forged message, so a browser drops it and sends the rest.
    expect((await batch.json()).error.issues).toEqual([{ path: 'batch.1.userHash', message: expect.stringMatching(/does not verify userId/) }]);
    const decide = await t.post('/v1/decide', { anonymousId: 'attacker', userId: 'victim', placements: ['home-hero'], writeKey: t.site.writeKey });
    expect(decide.status).toBe(401);
    expect(dump(t)).toBe(before);
    expect((await profile(t, 'attacker')).id).not.toBe((await profile(t, 'victim')).id);
  });

  it('lets the secret key (a trusted server) identify without a hash', async () => {
    const t = await setup();
    await web(t).view('srv-anon', 'coffee');
    const res = await server(t).identify({ anonymousId: 'srv-anon', userId: 'server-known' });
    expect(res.status).toBe(200);
    expect((await profile(t, 'srv-anon')).userId).toBe('server-known');
  });

  it('accepts unhashed identify when the site turns verification off', async () => {
    const t = await setup({ verifyIdentity: false });
    const res = await t.post('/v1/identify', { anonymousId: 'a', userId: 'open', writeKey: t.site.writeKey });
    expect(res.status).toBe(200);
  });
});

describe('identity: external keys', () => {
  it('links email (hashed), phone, loyalty card and POS code from a trusted identify and finds the customer by each', async () => {
    const t = await setup();
    const res = await server(t).identify({
      userId: 'lan', traits: { email: '  Lan.Nguyen@Example.VN ', phone: '090 123-4567', externalIds: [{ type: 'loyalty_card', id: 'L-0001' }] },
      context: { externalIds: [{ type: 'pos', id: 'POS77', collection: 'users', encoding: 'none' }] },
    });
    expect(res.status).toBe(200);
    const p = await profile(t, 'lan');
    const kinds = Object.fromEntries(p.identities.map((i: any) => [i.kind, i.value]));
    expect(kinds.email).toMatch(/^[0-9a-f]{64}$/);
    expect(kinds.email).not.toContain('lan');
    expect(kinds.phone).toBe('+84901234567');
    expect(kinds.loyalty).toBe('L-0001');
    expect(kinds.pos).toBe('POS77');
    for (const id of ['lan.nguyen@example.vn', 'LAN.NGUYEN@EXAMPLE.VN', kinds.email, '+84 90 123 4567', '0901234567', 'L-0001', 'POS77']) {
      expect((await profile(t, id))?.id, id).toBe(p.id);
    }
  });

  it('puts an in-store sale by loyalty card on the online customer', async () => {
    const t = await setup();
    const s = server(t);
    await s.identify({ userId: 'minh', traits: { loyalty_card: 'CARD-9' } });
    await s.send('track', { anonymousId: 'pos-terminal-3-sale-1', event: 'Order Completed', context: { externalIds: [{ type: 'loyalty', id: 'CARD-9' }] }, properties: { order_id: 'pos-1', revenue: 150000, channel: 'store' } });
    const p = await profile(t, 'minh');
    expect(p.stats).toMatchObject({ orders: 1, revenue: 150000 });
  });

  it('merges a POS-only customer into the online one when the shop links the card', async () => {
    const t = await setup();
    const s = server(t);
    await s.send('track', { anonymousId: 'pos-sale-7', event: 'Order Completed', context: { externalIds: [{ type: 'loyalty', id: 'CARD-7' }] }, properties: { order_id: 'p7', revenue: 80000 } });
    await s.identify({ userId: 'hoa', traits: { loyalty_card: 'CARD-7' } });
    const p = await profile(t, 'CARD-7');
    expect(p.userId).toBe('hoa');
    expect(p.stats.orders).toBe(1);
    expect((await profile(t, 'pos-sale-7')).id).toBe(p.id);
  });

  it('never links keys sent from a browser, so nobody can capture another customer\'s in-store history', async () => {
    const t = await setup();
    const s = server(t), w = web(t);
    await w.identify('mallory-anon', 'mallory', { email: 'victim@example.com', loyalty_card: 'CARD-V' });
    expect((await profile(t, 'mallory')).identities.map((i: any) => i.kind).sort()).toEqual(['anonymous', 'user']);
    expect((await profile(t, 'mallory')).traits.email).toBe('victim@example.com');
    await s.identify({ userId: 'victim', traits: { email: 'victim@example.com', loyalty_card: 'CARD-V' } });
    await s.send('track', { anonymousId: 'pos-x', event: 'Order Completed', context: { externalIds: [{ type: 'loyalty', id: 'CARD-V' }] }, properties: { order_id: 'pv', revenue: 1 } });
    expect((await profile(t, 'victim')).stats.orders).toBe(1);
    expect((await profile(t, 'mallory')).stats.orders).toBe(0);
    expect((await profile(t, 'victim@example.com')).userId).toBe('victim');
  });

  it('keeps a key with its first known customer when a second one claims it', async () => {
    const t = await setup();
    const s = server(t);
    await s.identify({ userId: 'mum', traits: { phone: '0912000111' } });
    await s.identify({ userId: 'son', traits: { phone: '+84 912 000 111' } });
    expect((await profile(t, '0912000111')).userId).toBe('mum');
    expect((await profile(t, 'son')).identities.some((i: any) => i.kind === 'phone')).toBe(false);
  });
});
