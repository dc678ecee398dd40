/** Edge cases of identity resolution and merges found in review, each through the real HTTP app. */
import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';
import { count, profile, server, web } from './identity-helpers.ts';

describe('identity review: merges replay the history as ingest counted it', () => {
  it('does not count an order on a second profile when that profile merges with a device', async () => {
    const t = await setup();
    const s = server(t), w = web(t);
    // The POS sends the sale under its terminal's id, then the shop's backend re-sends it for the customer.
    await s.order({ anonymousId: 'pos-9' }, 'o9', 500000);
    await s.order({ userId: 'u9' }, 'o9', 500000);
    expect((await profile(t, 'pos-9')).stats.orders).toBe(1);
    expect((await profile(t, 'u9')).stats.orders).toBe(0); // ingest: a re-sent order never counts twice
    await w.view('u9-phone', 'tea');
    await w.identify('u9-phone', 'u9');
    // The merge with the phone must not count o9 a second time (it stays the POS profile's).
    expect((await profile(t, 'u9')).stats).toMatchObject({ orders: 0, revenue: 0 });
    expect((await profile(t, 'pos-9')).stats).toMatchObject({ orders: 1, revenue: 500000 });
  });

  it('does not count a refund of an order never stored when the customer merges with a device', async () => {
    const t = await setup();
    const s = server(t), w = web(t);
    await s.order({ userId: 'r9' }, 'r9-o1', 100000);
    // A refund of an order placed before the shop installed idic: ingest ignores it.
    await s.send('track', { userId: 'r9', messageId: 'refund-old', event: 'Order Refunded', properties: { order_id: 'before-idic', revenue: 999000 } });
    const before = (await profile(t, 'r9')).stats;
    expect(before).toMatchObject({ orders: 1, refunds: 0, refundAmount: 0 });
    await w.view('r9-phone', 'tea');
    await w.identify('r9-phone', 'r9');
    expect((await profile(t, 'r9')).stats).toMatchObject({ orders: 1, revenue: 100000, refunds: 0, refundAmount: 0 });
  });

  it('keeps counting a refund of an order stored for another profile, for the order\'s amount, after a merge', async () => {
    const t = await setup();
    const s = server(t), w = web(t);
    await s.order({ anonymousId: 'pos-5' }, 'o5', 300000);
    await s.send('track', { userId: 'c5', messageId: 'refund-o5', event: 'Order Refunded', properties: { order_id: 'o5' } });
    expect((await profile(t, 'c5')).stats).toMatchObject({ refunds: 1, refundAmount: 300000 });
    await w.view('c5-phone', 'tea');
    await w.identify('c5-phone', 'c5');
    expect((await profile(t, 'c5')).stats).toMatchObject({ refunds: 1, refundAmount: 300000 });
  });
});

describe('identity review: a trusted message naming several keys', () => {
  const sale = (t: Awaited<ReturnType<typeof setup>>, anonymousId: string, orderId: string, keys: { id: string; type: string }[]) =>
    server(t).send('track', { anonymousId, messageId: `sale-${orderId}`, event: 'Order Completed', context: { externalIds: keys }, properties: { order_id: orderId, revenue: 70000 } });

  for (const order of ['card first', 'email first']) {
    it(`puts a sale on the known customer and brings the POS-only profile along (${order})`, async () => {
      const t = await setup();
      const s = server(t);
      // A POS-only customer known by card, and an online customer known by email.
      expect((await sale(t, 'pos-a', 'p1', [{ id: 'CARD-1', type: 'loyalty' }])).status).toBe(200);
      await s.identify({ userId: 'x', traits: { email: 'x@example.com' } });
      const card = { id: 'CARD-1', type: 'loyalty' }, email = { id: 'x@example.com', type: 'email' };
      expect((await sale(t, 'pos-b', 'p2', order === 'card first' ? [card, email] : [email, card])).status).toBe(200);
      const x = await profile(t, 'x');
      expect(x.stats).toMatchObject({ orders: 2, revenue: 140000 });
      expect((await profile(t, 'CARD-1')).id).toBe(x.id);
      expect((await profile(t, 'pos-b')).id).toBe(x.id);
      expect(count(t, 'SELECT COUNT(*) AS n FROM profiles')).toBe(1);
    });
  }
});

describe('identity review: admin merges of a chain', () => {
  const merge = async (t: Awaited<ReturnType<typeof setup>>, from: string, into: string) => {
    const r = await t.admin('/merge', { method: 'POST', body: JSON.stringify({ from, into }) });
    return { status: r.status, body: await r.json() };
  };

  it('merges into the survivor when the target was merged away by a concurrent merge (B→C while A→B)', async () => {
    const t = await setup();
    const s = server(t);
    await s.order({ userId: 'a' }, 'oa', 100000);
    await s.order({ userId: 'b' }, 'ob', 200000);
    await s.order({ userId: 'c' }, 'oc', 300000);
    const [bc, ab] = await Promise.all([merge(t, 'b', 'c'), merge(t, 'a', 'b')]);
    expect(bc).toMatchObject({ status: 200, body: { merged: true } });
    expect(ab).toMatchObject({ status: 200, body: { merged: true, profile: { userId: 'c' } } });
    const c = await profile(t, 'c');
    expect((await profile(t, 'a')).id).toBe(c.id);
    expect(c.stats).toMatchObject({ orders: 3, revenue: 600000 });
    expect(count(t, 'SELECT COUNT(*) AS n FROM profiles')).toBe(1);
  });

  it('resolves a chain A→B, B→C to C and refuses the cycle C→A as already one customer', async () => {
    const t = await setup();
    const s = server(t);
    for (const u of ['a', 'b', 'c']) await s.order({ userId: u }, `o-${u}`, 100000);
    const aId = (await profile(t, 'a')).id, bId = (await profile(t, 'b')).id;
    expect((await merge(t, aId, bId)).body.merged).toBe(true);
    expect((await merge(t, bId, 'c')).body.merged).toBe(true);
    const c = await profile(t, 'c');
    expect((await profile(t, aId)).id).toBe(c.id);
    expect((await merge(t, 'c', aId)).body.merged).toBe(false);
    expect((await profile(t, 'a')).stats.orders).toBe(3);
  });
});
