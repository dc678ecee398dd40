/** The Data page's API: imports through the collector's import services (streamed progress, row errors), model fit and refit. */
import { describe, it, expect } from 'vitest';
import { importCsv, withAccounts } from './helpers.ts';
import { setLang } from '../../collector/console/ui/i18n.ts';
import { rowError } from '../../collector/console/ui/import-words.ts';

const ORDERS = [
  'customer_id,order_date,amount,order_id,category',
  'c1,2026-10-01,250000,o1,coffee',
  ',2026-10-02,1,o9,',
  'c2,yesterday-ish,x,o8,',
  'c1,2026-10-20,90000,o2,',
  '"c3",2026-10-21,"120000",,tea',
].join('\n');

describe('console data: imports', () => {
  it('imports orders with importOrders: progress to the total, bad rows by file line, re-import changes nothing', async () => {
    const t = await withAccounts();
    const first = await importCsv(t.marketer.call, t.site.id, 'orders', ORDERS);
    expect(first.status).toBe(200);
    expect(first.report).toMatchObject({ rows: 5, imported: 3, duplicates: 0, rejected: 2, customers: 2, profilesCreated: 2, profilesUpdated: 2 });
    expect(first.report.errors.map((e: any) => e.line)).toEqual([3, 4]);
    expect(first.report.errors[1].reason).toMatch(/order_date/);
    expect(first.report.rescored).toBe(2);
    expect(first.report.profileIds).toBeUndefined();
    // Progress starts with the rejected rows done and ends at every row.
    expect(first.progress[0]).toEqual({ done: 2, total: 5 });
    expect(first.progress.at(-1)).toEqual({ done: 5, total: 5 });
    expect(first.progress.map((p: any) => p.done)).toEqual([...first.progress.map((p: any) => p.done)].sort((a, b) => a - b));

    const again = await importCsv(t.marketer.call, t.site.id, 'orders', ORDERS);
    expect(again.report).toMatchObject({ imported: 0, duplicates: 3 });
    const p = await t.store.findProfile(t.site.id, 'c1');
    expect(p!.stats.orders).toBe(2);
    expect(p!.stats.revenue).toBe(340000);
    expect(p!.scores.computedAt).toBeGreaterThan(0);

    const c360 = await (await t.analyst.call(`/sites/${t.site.id}/customers/c1`)).json() as any;
    expect(c360.orders.map((o: any) => o.orderId).sort()).toEqual(['o1', 'o2']);
    const overview = async () => await (await t.analyst.call(`/sites/${t.site.id}/overview`)).json() as any;
    // Imported customers are known, but never visited: they are not visitors, and their orders are
    // no conversions of the site (the value pyramid counts them).
    let ov = await overview();
    expect([ov.visitors, ov.identified, ov.buyers, ov.conversion]).toEqual([0, 0, 0, 0]);
    const page = (who: Record<string, string>) => t.post('/v1/page', { type: 'page', ...who, messageId: `p-${JSON.stringify(who)}` }, t.basic(t.site.writeKey));
    expect((await page({ anonymousId: 'browser-1' })).status).toBe(200);
    expect((await page({ userId: 'c1', userHash: t.hash('c1') })).status).toBe(200);
    ov = await overview();
    expect([ov.visitors, ov.identified, ov.buyers, ov.conversion]).toEqual([2, 1, 1, 0.5]);
    expect(ov.pyramid.reduce((n: number, r: any) => n + r.count, 0)).toBeGreaterThanOrEqual(2);
    expect((await t.store.query('SELECT tier FROM console_tier_snapshots WHERE site_id = ?', [t.site.id])).rows).toHaveLength(5);
  });

  it("names a needs label by the shop's own category, accents kept, in the customer 360 and the tier list", async () => {
    const t = await withAccounts();
    const rows = [1, 2, 3, 4].map((i) => `lan,2026-10-0${i},${100000 * i},cf${i},Cà phê`);
    expect((await importCsv(t.marketer.call, t.site.id, 'orders', ['customer_id,order_date,amount,order_id,category', ...rows].join('\n'))).report.imported).toBe(4);
    const c360 = await (await t.analyst.call(`/sites/${t.site.id}/customers/lan`)).json() as any;
    // The label is a targeting code without accents; the name beside it is the shop's.
    expect(c360.profile.scores.needs).toContain('ca-phe-lover');
    expect(c360.needNames['ca-phe-lover']).toBe('Cà phê');
    const tier = c360.profile.scores.tier;
    const list = await (await t.analyst.call(`/sites/${t.site.id}/tiers/${tier}/customers`)).json() as any;
    const lan = list.rows.find((m: any) => m.id === c360.profile.id);
    expect(lan.needNames).toEqual(c360.needNames);
  });

  it('imports customers with importCustomers: created, unchanged on re-import, bad rows and key conflicts by line', async () => {
    const t = await withAccounts();
    const csv = 'user_id,email,name,city\nu1,lan@x.vn,Lan,Huế\nu2,not-an-email,Minh,\n,nobody@x.vn,,\nu3,lan@x.vn,Lan again,\n';
    const r = await importCsv(t.owner.call, t.site.id, 'customers', csv);
    expect(r.report).toMatchObject({ rows: 4, created: 2, failed: 2 });
    expect(r.report.errors).toEqual([{ line: 3, reason: expect.stringMatching(/^email:/) }, { line: 4, reason: 'user_id: is required' }]);
    expect(r.report.conflicts.map((x: any) => x.line)).toEqual([5]);
    // The Vietnamese console reads the conflict in Vietnamese (the reason is the import service's own).
    setLang('vi');
    try {
      expect(rowError(r.report.conflicts[0].reason)).toMatch(/^email này đã thuộc về khách khác/);
    } finally {
      setLang('en');
    }
    expect(r.progress.at(-1)).toEqual({ done: 4, total: 4 });
    expect((await t.store.findProfile(t.site.id, 'u1'))!.traits).toMatchObject({ email: 'lan@x.vn', name: 'Lan', city: 'Huế' });
    expect((await importCsv(t.owner.call, t.site.id, 'customers', csv)).report).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('refuses a file without the required columns before writing, and analysts altogether', async () => {
    const t = await withAccounts();
    const noId = await importCsv(t.owner.call, t.site.id, 'customers', 'customer_id,email\nc1,a@b.vn\n');
    expect([noId.status, noId.body.error.code]).toEqual([400, 'invalid_file']);
    const noAmount = await importCsv(t.owner.call, t.site.id, 'orders', 'customer_id,order_date\nc1,2026-10-01\n');
    expect([noAmount.status, noAmount.body.error.code]).toEqual([400, 'invalid_csv']);
    expect(noAmount.body.error.message).toContain('amount');
    expect((await importCsv(t.analyst.call, t.site.id, 'orders', ORDERS)).status).toBe(403);
    expect((await t.store.query('SELECT COUNT(*) AS n FROM profiles WHERE site_id = ?', [t.site.id])).rows[0].n).toBe(0);
  });
});

describe('console data: model fit', () => {
  it('shows the refit service’s description and status; only owners refit, and the running collector uses the new model', async () => {
    const t = await withAccounts();
    const before = await (await t.analyst.call(`/sites/${t.site.id}/model`)).json() as any;
    expect(before).toEqual({ model: null, status: { running: false, lastError: null, lastCheckAt: null } });
    const lines = ['customer_id,order_date,amount'];
    for (let c = 0; c < 40; c++) for (let k = 0; k <= c % 4; k++) lines.push(`c${c},2026-0${1 + k}-${String(10 + (c % 15)).padStart(2, '0')},${100_000 + c * 1000}`);
    expect((await importCsv(t.owner.call, t.site.id, 'orders', lines.join('\n'))).report.imported).toBe(lines.length - 1);

    expect((await t.marketer.call(`/sites/${t.site.id}/model/refit`, { method: 'POST' })).status).toBe(403);
    expect((await t.analyst.call(`/sites/${t.site.id}/model/refit`, { method: 'POST' })).status).toBe(403);
    const r = await (await t.owner.call(`/sites/${t.site.id}/model/refit`, { method: 'POST' })).json() as any;
    expect(r.model.customers).toBe(40);
    expect(r.model.fit).toMatchObject({ trigger: 'console:o@shop.vn', profilesRescored: 40 });
    expect(r.status).toMatchObject({ running: false, lastError: null });

    const shown = await (await t.analyst.call(`/sites/${t.site.id}/model`)).json() as any;
    const admin = await (await t.admin('/model')).json() as any;
    expect(shown).toEqual(admin);
    const stored = await t.store.getShopModel(t.site.id);
    expect(t.app.services.model(t.site.id).fittedAt).toBe(stored!.fittedAt);
    expect(t.app.services.model(t.site.id).customers).toBe(40);
  });
});
