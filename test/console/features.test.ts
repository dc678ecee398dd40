/** Console services through the API: key rotation with grace, customer search, customers by tier, erasure. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { consoleSetup, importCsv, withAccounts } from './helpers.ts';
import { CDNOW_SAMPLE } from '../support/cdnow.ts';

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

  it('finds a customer by user id or by e-mail address, as typed', async () => {
    const t = await consoleSetup();
    await t.account('o@shop.vn', 'owner');
    await t.account('a@shop.vn', 'analyst');
    const a = await t.client('a@shop.vn');
    expect((await importCsv((await t.client('o@shop.vn')).call, t.site.id, 'customers', 'user_id,email\nc7,Lan.Pham@x.vn\n')).report.created).toBe(1);
    const search = async (q: string) => ((await (await a.call(`/sites/${t.site.id}/customers?q=${encodeURIComponent(q)}`)).json()) as any).results.map((r: any) => r.userId);
    expect(await search('c7')).toEqual(['c7']);
    expect(await search(' lan.pham@X.vn ')).toEqual(['c7']);
    expect(await search('nobody@x.vn')).toEqual([]);
  });

  it('erases a customer through the privacy service (owner only)', async () => {
    const t = await consoleSetup();
    await t.account('o@shop.vn', 'owner');
    await t.account('m@shop.vn', 'marketer');
    const o = await t.client('o@shop.vn');
    const m = await t.client('m@shop.vn');
    expect((await importCsv(o.call, t.site.id, 'customers', 'user_id,email\nc9,c9@x.vn\n')).report.created).toBe(1);
    expect(await t.store.findProfile(t.site.id, 'c9')).not.toBeNull();
    expect((await m.call(`/sites/${t.site.id}/customers/c9`, { method: 'DELETE' })).status).toBe(403);
    expect((await o.call(`/sites/${t.site.id}/customers/c9`, { method: 'DELETE' })).status).toBe(200);
    expect(await t.store.findProfile(t.site.id, 'c9')).toBeNull();
  });

  it("lists a value tier's customers, most valuable first, and nobody from another tier", async () => {
    const t = await withAccounts();
    const { owner: o, analyst: a } = t;
    const csv = readFileSync(CDNOW_SAMPLE, 'utf8');
    expect((await importCsv(o.call, t.site.id, 'orders', csv)).report.customers).toBe(2357);
    expect((await o.call(`/sites/${t.site.id}/model/refit`, { method: 'POST' })).status).toBe(200);
    const stored = (await t.store.query('SELECT id, scores FROM profiles WHERE site_id = ?', [t.site.id])).rows.map((r) => ({ id: r.id as string, ...JSON.parse(r.scores) }));
    for (const tier of ['MVC', 'Migrator', 'LMC']) {
      const inTier = stored.filter((p) => p.tier === tier);
      expect(inTier.length).toBeGreaterThan(0);
      const r = await (await a.call(`/sites/${t.site.id}/tiers/${tier}/customers?limit=20`)).json() as any;
      expect(r.total).toBe(inTier.length);
      expect(r.rows).toHaveLength(Math.min(20, inTier.length));
      const ids = new Set(inTier.map((p) => p.id));
      expect(r.rows.every((m: any) => ids.has(m.id))).toBe(true);
      const clvs = r.rows.map((m: any) => m.clv ?? -Infinity);
      expect(clvs).toEqual([...clvs].sort((x: number, y: number) => y - x));
      expect(clvs[0]).toBe(Math.max(...inTier.map((p) => p.clv ?? -Infinity)));
    }
    // The whole tier as CSV for owners and marketers: the same customers in the same order,
    // names that look like formulas defused, Vietnamese kept (UTF-8 with a byte-order mark).
    const top = (await (await a.call(`/sites/${t.site.id}/tiers/MVC/customers?limit=2`)).json() as any).rows;
    await importCsv(o.call, t.site.id, 'customers', `user_id,name\n${top[0].userId},"=HYPERLINK(""http://evil.example"")"\n${top[1].userId},"Nguyễn Thị Lan, Huế"\n`);
    const list = await (await a.call(`/sites/${t.site.id}/tiers/MVC/customers?limit=500`)).json() as any;
    expect((await a.call(`/sites/${t.site.id}/tiers/MVC/customers.csv`)).status).toBe(403);
    const file = await o.call(`/sites/${t.site.id}/tiers/MVC/customers.csv`);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(file.headers.get('content-disposition')).toContain('customers-MVC.csv');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await file.arrayBuffer());
    expect(text.startsWith('\uFEFFprofile_id,user_id,name,email,clv,orders,revenue,last_order,needs\r\n')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n').slice(1);
    expect(lines).toHaveLength(list.total);
    expect(lines.map((l) => l.split(',')[0])).toEqual(list.rows.map((m: any) => m.id));
    expect(lines[0]).toContain(`${top[0].id},${top[0].userId},"'=HYPERLINK(""http://evil.example"")",`);
    expect(lines[1]).toContain(`${top[1].id},${top[1].userId},"Nguyễn Thị Lan, Huế",`);
    const bad = await a.call(`/sites/${t.site.id}/tiers/VIP/customers`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('tier');
    expect((await a.call(`/sites/${t.site.id}/tiers/MVC/customers?limit=0`)).status).toBe(400);
  }, 60_000);

  it("a customer's 360 lists the latest 200 offers seen, newest first", async () => {
    const t = await withAccounts();
    const a = t.analyst;
    expect((await t.post('/v1/page', { type: 'page', anonymousId: 'regular', messageId: 'p1' }, t.basic(t.site.writeKey))).status).toBe(200);
    const p = (await t.store.findProfile(t.site.id, 'regular'))!;
    for (let i = 0; i < 210; i++) {
      await t.store.query('INSERT INTO decisions (site_id, id, profile_id, placement, offer_id, offer_version, arm, holdout, session_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [t.site.id, `d${String(i).padStart(3, '0')}`, p.id, 'home-hero', 'welcome', 1, 'welcome|LMC', 0, null, 1_000 + i]);
    }
    const c360 = await (await a.call(`/sites/${t.site.id}/customers/regular`)).json() as any;
    expect(c360.offers).toHaveLength(200);
    expect(c360.offers[0].decisionId).toBe('d209');
    expect(c360.offers.at(-1).decisionId).toBe('d010');
  });
});

describe("a customer's timeline, page by page", () => {
  it('pages through events that share one timestamp, each once, to the end', async () => {
    const t = await withAccounts();
    // A shop backend's batch without timestamps: all 150 events are stored at their arrival time.
    const batch = Array.from({ length: 150 }, (_, i) => ({ type: 'track', userId: 'busy', event: 'Product Viewed', messageId: `m${i}`, properties: { category: 'tea' } }));
    expect((await t.post('/v1/batch', { batch }, t.basic(t.site.secretKey))).status).toBe(200);
    const seen: string[] = [];
    let before: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res = await t.analyst.call(`/sites/${t.site.id}/customers/busy${before ? `?before=${before}` : ''}`);
      expect(res.status).toBe(200);
      const c360 = await res.json() as any;
      seen.push(...c360.timeline.map((e: any) => e.messageId));
      before = c360.next;
      if (!before) break;
    }
    expect(before).toBeNull();
    expect(seen).toHaveLength(150);
    expect(new Set(seen).size).toBe(150);
    const bad = await t.analyst.call(`/sites/${t.site.id}/customers/busy?before=yesterday`);
    expect(bad.status).toBe(400);
  });
});
