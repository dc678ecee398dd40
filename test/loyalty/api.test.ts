/** The loyalty programme through the collector's HTTP API on a real SQLite store. */
import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { loyaltySetup } from './helpers.ts';

const DAY = 86_400_000;

describe('earning', () => {
  it('earns once per trusted order (a re-sent order earns nothing twice), plus the sign-up bonus', async () => {
    const t = await loyaltySetup();
    expect((await t.order('lan', 'A1', 259_000)).status).toBe(200);
    expect((await t.me('lan')).body.balance).toBe(50 + 25);
    const again = await t.order('lan', 'A1', 259_000);
    expect(again.body.duplicates).toBe(1);
    // The same order id under a new messageId is a new event, still the same order.
    await t.post('/v1/track', { type: 'track', event: 'Order Completed', messageId: 'other-msg', userId: 'lan', properties: { order_id: 'A1', revenue: 259_000 } }, t.basic(t.site.secretKey));
    expect((await t.me('lan')).body.balance).toBe(75);
    const rows = t.store.db.prepare("SELECT kind, points, ref FROM loyalty_ledger WHERE ref = 'order:A1'").all();
    expect(rows).toEqual([{ kind: 'earn', points: 25, ref: 'order:A1' }]);
  });

  it('gives nothing for an order sent from a browser with the write key', async () => {
    const t = await loyaltySetup();
    const res = await t.post('/v1/track', {
      type: 'track', event: 'Order Completed', userId: 'lan', userHash: t.hash('lan'), properties: { order_id: 'B1', revenue: 5_000_000 },
    }, t.basic(t.site.writeKey));
    expect(res.status).toBe(200);
    const me = await t.me('lan');
    expect(me.body.balance).toBe(50);
    expect(me.body.tier).toBe('Member');
  });

  it('reverses the points of a refunded or cancelled order, once', async () => {
    const t = await loyaltySetup({ loyalty: { signupBonus: 0 } });
    await t.order('lan', 'R1', 400_000);
    await t.order('lan', 'R2', 300_000);
    expect((await t.me('lan')).body.balance).toBe(70);
    await t.reverse('Order Refunded', 'R1');
    await t.reverse('Order Refunded', 'R1');
    expect((await t.me('lan')).body.balance).toBe(30);
    await t.reverse('Order Cancelled', 'R2');
    expect((await t.me('lan')).body.balance).toBe(0);
    const kinds = t.store.db.prepare("SELECT kind, points FROM loyalty_ledger ORDER BY at, id").all();
    expect(kinds).toEqual([{ kind: 'earn', points: 40 }, { kind: 'earn', points: 30 }, { kind: 'reverse', points: -40 }, { kind: 'reverse', points: -30 }]);
  });

  it('applies category and tier multipliers, and upgrades the tier on the order that crosses it', async () => {
    const t = await loyaltySetup({ loyalty: { signupBonus: 0, earn: { categoryMultipliers: { ceramics: 2 } } } });
    await t.order('lan', 'M1', 3_000_000, { products: [{ category: 'ceramics', price: 1_000_000, quantity: 1 }, { category: 'tea', price: 2_000_000, quantity: 1 }] });
    let me = await t.me('lan');
    expect(me.body.balance).toBe(400); // 300 + 100 extra for ceramics, at Member ×1
    expect(me.body.tier).toBe('Silver');
    expect(me.body.nextTier).toEqual({ name: 'Gold', remaining: 7_000_000, unit: 'currency', progress: 0.3 });
    await t.order('lan', 'M2', 1_000_000);
    me = await t.me('lan');
    expect(me.body.balance).toBe(400 + 125); // Silver ×1.25
  });

  it('expires points after N months and tells the customer before', async () => {
    const t = await loyaltySetup({ loyalty: { signupBonus: 0, expiryMonths: 1, expiringWithinDays: 10 } });
    await t.order('lan', 'E1', 1_000_000);
    t.advance(25 * DAY);
    const soon = await t.me('lan');
    expect(soon.body.expiring).toEqual({ points: 100, at: expect.any(Number) });
    t.advance(10 * DAY);
    expect((await t.me('lan')).body.balance).toBe(0);
    const rows = t.store.db.prepare("SELECT kind, points FROM loyalty_ledger WHERE kind = 'expire'").all();
    expect(rows).toEqual([{ kind: 'expire', points: -100 }]);
  });

  it('keeps the balance right when profiles merge: ledger rows move with the customer', async () => {
    const t = await loyaltySetup({ loyalty: { signupBonus: 0 } });
    // A guest order (anonymous) earns on the guest profile …
    await t.order(null, 'G1', 500_000, {}, 'anon-1');
    await t.order('lan', 'G2', 200_000);
    // … and when the guest logs in, the anonymous history (and its points) joins the customer.
    await t.post('/v1/identify', { type: 'identify', anonymousId: 'anon-1', userId: 'lan', userHash: t.hash('lan') }, t.basic(t.site.writeKey));
    expect((await t.me('lan')).body.balance).toBe(70);
    await t.order('minh', 'G3', 300_000);
    const merged = await t.admin('/merge', { method: 'POST', body: JSON.stringify({ from: 'minh', into: 'lan' }) });
    expect(merged.status).toBe(200);
    expect((await t.me('lan')).body.balance).toBe(100);
    const owners = t.store.db.prepare('SELECT DISTINCT profile_id FROM loyalty_ledger').all();
    expect(owners).toHaveLength(1);
  });
});

describe('verified identity', () => {
  it('answers /v1/loyalty/* only for a userId with a valid userHash, even when the site does not enforce it elsewhere', async () => {
    const t = await loyaltySetup({ verifyIdentity: false });
    await t.order('lan', 'V1', 1_000_000);
    expect((await t.me('lan', t.hash('someone-else'))).status).toBe(401);
    expect((await t.me('lan', 'f'.repeat(64))).status).toBe(401);
    const missing = await t.json(await t.post('/v1/loyalty/me', { writeKey: t.site.writeKey, userId: 'lan' }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('userHash');
    const noKey = await t.json(await t.post('/v1/loyalty/me', { userId: 'lan', userHash: t.hash('lan') }));
    expect(noKey.status).toBe(401);
    const stolen = await t.json(await t.post('/v1/loyalty/redeem', { writeKey: t.site.writeKey, userId: 'lan', userHash: t.hash('mallory'), rewardId: 'voucher-30k' }));
    expect(stolen.status).toBe(401);
    expect((await t.me('lan')).body.balance).toBe(150);
  });

  it('refuses the admin loyalty routes to the public write key', async () => {
    const t = await loyaltySetup();
    const res = await t.app.request('/v1/admin/loyalty/rules', { headers: t.basic(t.site.writeKey) });
    expect(res.status).toBe(403);
  });
});

describe('rewards and codes', () => {
  it('redeems a reward into a single-use code that works once at checkout', async () => {
    const t = await loyaltySetup();
    const poor = await t.redeem('lan', 'voucher-30k');
    expect(poor.status).toBe(409);
    expect(poor.body.error.code).toBe('insufficient_points');
    await t.order('lan', 'C1', 1_000_000);
    const r = await t.redeem('lan', 'voucher-30k');
    expect(r.status).toBe(200);
    expect(r.body.code).toMatch(/^PL-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(r.body.state.balance).toBe(150 - 60);
    expect(r.body.state.codes).toEqual([{ code: r.body.code, rewardId: 'voucher-30k', used: false }]);

    const small = await t.code('verify', { code: r.body.code, orderTotal: 100_000 });
    expect(small.body).toMatchObject({ valid: false, error: { code: 'order_too_small' } });
    // An order total no shop takes (10^308 turned the amount into null) is refused by name.
    const absurd = await t.code('verify', { code: r.body.code, orderTotal: 1e308 });
    expect(absurd.status).toBe(400);
    expect(JSON.stringify(absurd.body)).toContain('orderTotal');
    const ok = await t.code('verify', { code: r.body.code.toLowerCase(), orderTotal: 200_000, userId: 'lan' });
    expect(ok.body).toMatchObject({ valid: true, amount: 30_000, rewardId: 'voucher-30k' });
    const notYours = await t.code('consume', { code: r.body.code, orderTotal: 200_000, userId: 'minh' });
    expect(notYours.status).toBe(403);

    const first = await t.code('consume', { code: r.body.code, orderTotal: 200_000, orderId: 'C2', userId: 'lan' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ consumed: true, amount: 30_000 });
    const second = await t.code('consume', { code: r.body.code, orderTotal: 200_000, orderId: 'C3' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('code_used');
    expect((await t.code('verify', { code: r.body.code })).body.valid).toBe(false);
    expect((await t.me('lan')).body.codes).toEqual([{ code: r.body.code, rewardId: 'voucher-30k', used: true }]);
    expect((await t.code('consume', { code: 'PL-NOPE-NOPE-NOPE' })).status).toBe(404);
  });

  it('lets the shop manage rules and rewards, validating them and naming the bad field', async () => {
    const t = await loyaltySetup();
    const bad = await t.json(t.admin('/loyalty/rules', { method: 'PUT', body: JSON.stringify({ tiers: { levels: [{ name: 'A', min: 10 }] } }) }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('loyalty.tiers.levels.0.min');
    const put = await t.json(t.admin('/loyalty/rewards/tote-bag', { method: 'PUT', body: JSON.stringify({ name: { en: 'Tote bag', vi: 'Túi vải' }, cost: 20, discount: { type: 'amount', value: 40_000 } }) }));
    expect(put.status).toBe(200);
    expect(put.body.rewards.map((r: { id: string }) => r.id)).toContain('tote-bag');
    expect((await t.me('lan')).body.rewards.find((r: { id: string }) => r.id === 'tote-bag')).toEqual({ id: 'tote-bag', name: 'Tote bag', cost: 20, available: true });
    expect((await t.admin('/loyalty/rewards/tote-bag', { method: 'DELETE' })).status).toBe(200);
    expect((await t.redeem('lan', 'tote-bag')).status).toBe(404);
  });

  it('adjusts points by hand, once per idempotency key, and shows the ledger', async () => {
    const t = await loyaltySetup();
    await t.me('lan');
    const body = JSON.stringify({ customer: 'lan', points: 30, reason: 'sorry for the late delivery', key: 'ticket-7' });
    const a = await t.json(t.admin('/loyalty/adjust', { method: 'POST', body }));
    const b = await t.json(t.admin('/loyalty/adjust', { method: 'POST', body }));
    expect([a.body.added, b.body.added]).toEqual([true, false]);
    expect(b.body.state.balance).toBe(80);
    const view = await t.json(t.admin('/loyalty/customers/lan'));
    expect(view.body.ledger.map((e: { kind: string; reason: string }) => e.reason)).toEqual(['sign-up bonus', 'sorry for the late delivery']);
    expect((await t.admin('/loyalty/adjust', { method: 'POST', body: JSON.stringify({ customer: 'lan', points: 0, reason: 'x' }) })).status).toBe(400);
    // A deduction takes at most the balance: no hidden debt that would eat the next earnings.
    const over = await t.json(t.admin('/loyalty/adjust', { method: 'POST', body: JSON.stringify({ customer: 'lan', points: -1_000_000, reason: 'typo', key: 'k-over' }) }));
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain('balance of 80');
    const all = await t.json(t.admin('/loyalty/adjust', { method: 'POST', body: JSON.stringify({ customer: 'lan', points: -80, reason: 'closing', key: 'k-all' }) }));
    expect(all.body.state.balance).toBe(0);
  });

  it('gives the birthday bonus for a birthday the shop’s backend states, never for one typed in a browser', async () => {
    const t = await loyaltySetup({ verifyIdentity: false, loyalty: { birthdayBonus: 100, signupBonus: 0 } });
    const month = new Date(t.now()).toISOString().slice(5, 7);
    // The browser says this month: ignored for the bonus (and not stored as the birthday).
    expect((await t.post('/v1/identify', { writeKey: t.site.writeKey, userId: 'tam', traits: { birthday: `1995-${month}-10`, name: 'Tâm' } })).status).toBe(200);
    expect((await t.me('tam')).body.balance).toBe(0);
    // The shop's backend says so: the bonus is due.
    expect((await t.post('/v1/identify', { userId: 'tam', traits: { birthday: `1995-${month}-10` } }, t.basic(t.site.secretKey))).status).toBe(200);
    expect((await t.me('tam')).body.balance).toBe(100);
  });
});

describe('loyalty rate limits', () => {
  it('counts a browser’s calls against its own address: one visitor’s bad hashes never lock another member out', async () => {
    const t = await loyaltySetup({ rateLimit: { perSecond: 1000, burst: 1000, perClientPerSecond: 0.01, perClientBurst: 3 } });
    await t.order('lan', 'R1', 500_000);
    const from = (ip: string, hash: string) => t.json(t.post('/v1/loyalty/me', { writeKey: t.site.writeKey, userId: 'lan', userHash: hash, locale: 'en' }, { 'x-forwarded-for': ip }));
    process.env.IDIC_TRUST_PROXY = '1';
    try {
      const attacker = [];
      for (let i = 0; i < 5; i++) attacker.push((await from('203.0.113.9', 'f'.repeat(64))).status);
      expect(attacker).toEqual([401, 401, 401, 429, 429]);
      expect((await from('198.51.100.7', t.hash('lan'))).status).toBe(200);
    } finally {
      delete process.env.IDIC_TRUST_PROXY;
    }
  });
});

describe('loyalty in decisions', () => {
  it('targets offers by loyalty tier and fills loyalty prompts with the customer’s figures', async () => {
    const t = await loyaltySetup({ decide: { globalHoldoutShare: 0 } });
    const offer = {
      name: 'Silver progress', placements: ['member'], kind: 'loyalty', status: 'active', target: { loyaltyTier: ['Silver'] },
      content: { en: { title: 'Almost Gold' } },
    };
    expect((await t.admin('/offers/silver-progress', { method: 'PUT', body: JSON.stringify(offer) })).status).toBe(200);
    const decide = async (userId: string) => t.json(await t.post('/v1/decide', { writeKey: t.site.writeKey, userId, userHash: t.hash(userId), placements: ['member'], context: { locale: 'en' } }));
    await t.order('lan', 'D1', 3_500_000);
    await t.order('minh', 'D2', 100_000);
    const lan = await decide('lan');
    expect(lan.body.decisions[0].offer.content.figures).toMatchObject({ tier: 'Silver', nextTier: 'Gold', remaining: 6_500_000, unit: 'currency', balance: 400, rewardId: 'percent-15' });
    expect(JSON.parse(lan.body.bundle.payload).decisions[0].offer.content.figures.balance).toBe(400);
    expect((await decide('minh')).body.decisions[0].offer).toBeNull();
  });

  it('shows a member’s figures only to a verified identity — also in a gzipped decide with its key and events in the body', async () => {
    // verifyIdentity is off: a typed userId still personalises, but a member's balance is theirs alone.
    const t = await loyaltySetup({ verifyIdentity: false, decide: { globalHoldoutShare: 0 } });
    const offer = { name: 'Points', placements: ['member'], kind: 'loyalty', status: 'active', content: { en: { title: 'Your points' } } };
    expect((await t.admin('/offers/points', { method: 'PUT', body: JSON.stringify(offer) })).status).toBe(200);
    await t.order('lan', 'F1', 3_500_000);
    const ask = (extra: Record<string, unknown>) => t.json(t.post('/v1/decide', { writeKey: t.site.writeKey, userId: 'lan', placements: ['member'], context: { locale: 'en' }, ...extra }));
    for (const extra of [{}, { userHash: t.hash('minh') }]) {
      const typed = await ask(extra);
      expect(typed.status).toBe(200);
      expect(typed.body.decisions[0].offer.kind).toBe('loyalty');
      expect(JSON.stringify(typed.body)).not.toContain('"figures"');
    }
    expect((await ask({ userHash: t.hash('lan') })).body.decisions[0].offer.content.figures.balance).toBe(400);

    const body = gzipSync(JSON.stringify({
      writeKey: t.site.writeKey, userId: 'lan', userHash: t.hash('lan'), placements: ['member'], context: { locale: 'en' },
      events: [{ type: 'track', event: 'Gzipped', messageId: 'gz-1' }],
    }));
    const res = await t.app.request('/v1/decide', { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    const answer = await res.json() as any;
    expect(res.status, JSON.stringify(answer)).toBe(200);
    expect(answer.ingest).toMatchObject({ accepted: 1 });
    expect(answer.decisions[0].offer.content.figures.balance).toBe(400);
  });
});
