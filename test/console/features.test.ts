/** Console services through the API: key rotation with grace, CSV import rows, overview and 360. */
import { describe, it, expect } from 'vitest';
import { consoleSetup } from './helpers.ts';

describe('console features', () => {
  it('rotating the write key keeps the old key working through the grace period, then refuses it', async () => {
    const t = await consoleSetup();
    await t.account('o@shop.vn', 'owner');
    const o = await t.client('o@shop.vn');
    const old = t.site.writeKey;
    const r = await (await o.call(`/sites/${t.site.id}/keys/rotate`, { method: 'POST', body: { kind: 'write', graceDays: 1 } })).json() as any;
    expect(r.key).toMatch(/^wk_/);
    const send = (key: string, id: string) => t.post('/v1/track', { type: 'track', event: 'Product Viewed', anonymousId: 'a1', messageId: id }, { ...t.basic(key) });
    expect((await send(old, 'm1')).status).toBe(200);
    expect((await send(r.key, 'm2')).status).toBe(200);
    const settings = await (await o.call(`/sites/${t.site.id}/settings`)).json() as any;
    expect(settings.writeKey).toBe(r.key);
    expect(settings.retiring).toHaveLength(1);
    t.advance(86_400_000 + 1);
    expect((await send(old, 'm3')).status).toBe(401);
    expect((await send(r.key, 'm4')).status).toBe(200);
  });

  it('imports orders row by row: good rows kept, bad rows reported by line, re-import changes nothing', async () => {
    const t = await consoleSetup();
    await t.account('m@shop.vn', 'marketer');
    const m = await t.client('m@shop.vn');
    const rows = [
      { customer_id: 'c1', order_date: '2026-10-01', amount: '250000', order_id: 'o1', category: 'coffee' },
      { customer_id: '', order_date: '2026-10-02', amount: '1' },
      { customer_id: 'c2', order_date: 'yesterday-ish', amount: 'x' },
      { customer_id: 'c1', order_date: '2026-10-20', amount: '90000', order_id: 'o2' },
    ];
    const first = await (await m.call(`/sites/${t.site.id}/import/orders`, { method: 'POST', body: { firstLine: 2, rows } })).json() as any;
    expect(first.accepted).toBe(2);
    expect(first.errors.map((e: any) => e.line)).toEqual([3, 4]);
    expect(first.errors[1].message).toMatch(/order_date/);
    const again = await (await m.call(`/sites/${t.site.id}/import/orders`, { method: 'POST', body: { firstLine: 2, rows } })).json() as any;
    expect(again.accepted).toBe(0);
    const p = await t.store.findProfile(t.site.id, 'c1');
    expect(p!.stats.orders).toBe(2);
    expect(p!.stats.revenue).toBe(340000);

    const c360 = await (await m.call(`/sites/${t.site.id}/customers/c1`)).json() as any;
    expect(c360.orders.map((o: any) => o.orderId).sort()).toEqual(['o1', 'o2']);
    const ov = await (await m.call(`/sites/${t.site.id}/overview`)).json() as any;
    expect(ov.visitors).toBe(1);
    expect(ov.identified).toBe(1);
    expect(ov.buyers).toBe(1);
    expect(ov.pyramid.reduce((s: number, r: any) => s + r.count, 0)).toBe(p!.scores.tier ? 1 : 0);
    const snap = (await t.store.query('SELECT tier FROM console_tier_snapshots WHERE site_id = ?', [t.site.id])).rows;
    expect(snap).toHaveLength(5);
  });

  it('erases a customer through the privacy service (owner only)', async () => {
    const t = await consoleSetup();
    await t.account('o@shop.vn', 'owner');
    await t.account('m@shop.vn', 'marketer');
    const o = await t.client('o@shop.vn');
    const m = await t.client('m@shop.vn');
    await o.call(`/sites/${t.site.id}/import/customers`, { method: 'POST', body: { firstLine: 2, rows: [{ customer_id: 'c9', email: 'c9@x.vn' }] } });
    expect(await t.store.findProfile(t.site.id, 'c9')).not.toBeNull();
    expect((await m.call(`/sites/${t.site.id}/customers/c9`, { method: 'DELETE' })).status).toBe(403);
    expect((await o.call(`/sites/${t.site.id}/customers/c9`, { method: 'DELETE' })).status).toBe(200);
    expect(await t.store.findProfile(t.site.id, 'c9')).toBeNull();
  });
});
