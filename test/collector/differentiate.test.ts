import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { setup } from './helpers.ts';
import { DEFAULT_SCORING } from '../../collector/models/config.ts';
import { siteSettings } from '../../collector/settings.ts';
import { DEFAULT_REFIT, modelFitter, refitReason, endOfShopDay } from '../../collector/services/refit.ts';
import { parseOrdersCsv } from '../../collector/services/orders-import.ts';
import { CDNOW_SAMPLE } from '../support/cdnow.ts';

const SAMPLE = readFileSync(CDNOW_SAMPLE, 'utf8');
const csv = (t: Awaited<ReturnType<typeof setup>>, body: string) =>
  t.admin('/import/orders', { method: 'POST', body, headers: { 'content-type': 'text/csv' } });

describe('scoring settings', () => {
  it('accept every ScoringConfig field and default each to DEFAULT_SCORING', () => {
    expect(siteSettings.parse({}).scoring).toEqual(DEFAULT_SCORING);
    const s = siteSettings.parse({ currency: 'USD', locale: 'en-US', utcOffsetMinutes: -300, scoring: { tiers: { mgcMinPeers: 5 }, needs: { lapsingDays: 60 }, signalWeights: { view: 2 }, currency: 'EUR' } }).scoring;
    // The site's currency, locale and time zone are the one source of truth for scoring.
    expect([s.currency, s.locale, s.utcOffsetMinutes]).toEqual(['USD', 'en-US', -300]);
    expect(s.tiers).toEqual({ ...DEFAULT_SCORING.tiers, mgcMinPeers: 5 });
    expect(s.needs).toEqual({ ...DEFAULT_SCORING.needs, lapsingDays: 60 });
    expect(s.signalWeights!.view).toBe(2);
    const bad = siteSettings.safeParse({ currency: 'dong', scoring: { margin: 2 } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['currency', 'scoring.margin']);
  });
});

describe('orders CSV', () => {
  it('reports bad rows with line numbers and reasons, keeps good rows, and derives stable order ids', () => {
    const text = 'customer_id,order_date,amount,category\n'
      + 'a,2025-03-01,10,tea\n\n'
      + 'a,2025-03-01,10,tea\n'
      + ',2025-03-02,5,\n'
      + 'b,2025-02-30,5,\n'
      + 'b,2025-03-02,abc,\n'
      + 'b,2025-03-02,-4,\n'
      + 'c,2099-01-01,4,\n'
      + 'c,20250304,7\n'
      + 'c,20250304,7,"coffee, beans"\n'
      + 'd,1969-12-31,5,\n'
      + 'd,2025-03-02,1e300,\n'
      + 'd,2025-03-02,0x10,\n'
      + 'd,2025-03-02,Infinity,\n';
    const now = Date.UTC(2026, 0, 1);
    const r = parseOrdersCsv(text, { utcOffsetMinutes: 420, currency: 'VND', now });
    expect(r.rows).toBe(13);
    expect(r.errors).toEqual([
      { line: 5, reason: 'customer_id is empty' },
      { line: 6, reason: expect.stringMatching(/order_date "2025-02-30" is not a date/) },
      { line: 7, reason: 'amount "abc" is not a number' },
      { line: 8, reason: expect.stringMatching(/amount -4 is negative/) },
      { line: 9, reason: 'order_date 2099-01-01 is in the future' },
      { line: 10, reason: 'expected 4 columns, found 3' },
      // What the event API refuses, an import refuses too.
      { line: 12, reason: 'order_date 1969-12-31 is before 1970' },
      { line: 13, reason: 'amount 1e300 is larger than 1000000000000000' },
      { line: 14, reason: 'amount "0x10" is not a number' },
      { line: 15, reason: 'amount "Infinity" is not a number' },
    ]);
    expect(r.orders.map((o) => [o.line, o.orderId, o.category])).toEqual([
      [2, 'a|2025-03-01|10|1', 'tea'], [4, 'a|2025-03-01|10|2', 'tea'], [11, 'c|20250304|7|1', 'coffee, beans'],
    ]);
    // A bare date is noon of that day in the shop's time zone.
    expect(new Date(r.orders[0].ts).toISOString()).toBe('2025-03-01T05:00:00.000Z');
    expect(() => parseOrdersCsv('customer,date\n1,2', { utcOffsetMinutes: 0, currency: 'VND', now })).toThrow(/header lacks customer_id, order_date, amount/);
  });
});

describe('POST /v1/admin/import/orders', () => {
  it('imports once, reports bad rows, needs the secret key and CSV', async () => {
    const t = await setup();
    const body = 'customer_id,order_date,amount,order_id\nu1,2026-01-05,100000,o1\nu1,2026-02-05,50000,o2\nu2,not-a-date,1,o3\n';
    const res = await csv(t, body);
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({ rows: 3, imported: 2, duplicates: 0, rejected: 1, customers: 1, profilesCreated: 1, rescored: 1 });
    expect(r.errors).toEqual([{ line: 4, reason: expect.stringContaining('order_date "not-a-date"') }]);
    const again = await (await csv(t, body)).json();
    expect(again).toMatchObject({ imported: 0, duplicates: 2, profilesCreated: 0, rescored: 0 });
    const p = await (await t.admin('/profiles/u1')).json();
    expect(p.stats).toMatchObject({ orders: 2, revenue: 150000, purchaseDays: 2 });
    expect(p.scores.tier).not.toBeNull();
    expect(p.scores.computedAt).toBe(t.now());
    const tl = await (await t.admin('/profiles/u1/timeline')).json();
    expect(tl.events.map((e: any) => [e.messageId, e.source, e.trusted])).toEqual([['import:o2', 'import', true], ['import:o1', 'import', true]]);

    expect((await t.admin('/import/orders', { method: 'POST', body: '{}' })).status).toBe(415);
    expect((await csv(t, 'nothing,here\n')).status).toBe(400);
    const pub = await t.app.request('/v1/admin/import/orders', { method: 'POST', body, headers: { 'content-type': 'text/csv', ...t.basic(t.site.writeKey) } });
    expect(pub.status).toBe(403);
  });

  it('counts an imported order once when the shop sends it again and after a merge', async () => {
    const t = await setup({ verifyIdentity: false });
    await csv(t, 'customer_id,order_date,amount,order_id\nu1,2026-01-05,100000,o1\n');
    // The shop backend sends the same order: stored as an interaction, never counted twice.
    await t.post('/v1/track', { type: 'track', userId: 'u1', messageId: 's1', event: 'Order Completed', properties: { order_id: 'o1', revenue: 100000 } }, t.basic(t.site.secretKey));
    // An anonymous visitor with a trusted order logs in as u1: the profiles merge and history is replayed.
    await t.post('/v1/track', { type: 'track', anonymousId: 'anon', messageId: 's2', event: 'Order Completed', properties: { order_id: 'o2', revenue: 30000 } }, t.basic(t.site.secretKey));
    await t.post('/v1/identify', { type: 'identify', anonymousId: 'anon', userId: 'u1', messageId: 's3', writeKey: t.site.writeKey });
    const p = await (await t.admin('/profiles/u1')).json();
    expect(p.stats.orders).toBe(2);
    expect(p.stats.revenue).toBe(130000);
    expect(p.identities.map((i: any) => i.kind).sort()).toEqual(['anonymous', 'user']);
  });
});

describe('model, refit and pyramid', () => {
  it('fits the CDNOW sample through the admin routes and reports the pyramid', async () => {
    const t = await setup({ currency: 'USD', scoring: { currency: 'USD', locale: 'en-US' } });
    expect(await (await t.admin('/model')).json()).toEqual({ model: null, status: { running: false, lastError: null, lastCheckAt: null } });
    const imp = await (await csv(t, SAMPLE)).json();
    expect(imp).toMatchObject({ imported: 6919, customers: 2357, rejected: 0 });

    const bad = await t.admin('/model/refit', { method: 'POST', body: JSON.stringify({ until: '1997-02-30' }) });
    expect(bad.status).toBe(400);
    const fit = await (await t.admin('/model/refit', { method: 'POST', body: JSON.stringify({ until: '1997-09-30', unit: 'week' }) })).json();
    expect(fit.model.customers).toBe(2357);
    const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    for (const [k, v] of Object.entries(published)) expect(Math.abs(fit.model.bgnbd[k] / v - 1)).toBeLessThan(0.01);
    expect(fit.model.fit).toMatchObject({ trigger: 'admin', ordersStored: 6919, profilesRescored: 2357, unit: 'week' });
    const status = await (await t.admin('/model')).json();
    expect(status.model.bgnbd).toEqual(fit.model.bgnbd);
    expect(t.app.services.model(t.site.id).bgnbd).toEqual(fit.model.bgnbd);

    const pyramid = await (await t.admin('/pyramid')).json();
    expect(pyramid.customers).toBe(2357);
    expect(pyramid.tiers.map((r: any) => r.tier)).toEqual(['MVC', 'MGC', 'LMC', 'Migrator', 'BZ']);
    expect(pyramid.tiers.reduce((a: number, r: any) => a + r.count, 0)).toBe(2357);
    expect(pyramid.tiers.reduce((a: number, r: any) => a + r.valueShare, 0)).toBeCloseTo(pyramid.totalValue > 0 ? 1 : 0, 9);
    const p1 = await (await t.admin('/profiles/1')).json();
    // The site's locale is vi-VN: its reasons are in Vietnamese.
    expect(p1.scores.reasons.join('\n')).toMatch(/P\(còn mua\) \d/);
  });

  it('refits when due, in pages that let ingest through', async () => {
    const t = await setup({ currency: 'USD' });
    const fitter = modelFitter(t.app.services, t.app.setModel);
    expect(await fitter.check()).toEqual([]); // no orders, nothing to fit
    await csv(t, SAMPLE);
    const fitting = fitter.fit(t.site, { pageSize: 200, trigger: 'test' });
    expect(fitter.status(t.site.id).running).toBe(true);
    let ingestedFirst = false;
    const ingest = Promise.resolve(t.post('/v1/track', { type: 'track', userId: '1', messageId: 'x1', event: 'Product Viewed', properties: { category: 'jazz' } }, t.basic(t.site.secretKey)))
      .then(() => { ingestedFirst = fitter.status(t.site.id).running; });
    await Promise.all([fitting, ingest]);
    expect(ingestedFirst).toBe(true);
    expect(fitter.status(t.site.id)).toMatchObject({ running: false, lastError: null });
    expect(await fitter.check()).toEqual([]); // fresh
    t.advance(DEFAULT_REFIT.maxAgeMs);
    expect(await fitter.check()).toEqual([t.site.id]);
  });

  it('decides when a refit is due', () => {
    const last = { at: 0, ordersStored: 100 };
    expect(refitReason(null, 0, 0, DEFAULT_REFIT)).toBeNull();
    expect(refitReason(null, 1, 0, DEFAULT_REFIT)).toBe('first');
    expect(refitReason(last, 100 + DEFAULT_REFIT.afterOrders, 1, DEFAULT_REFIT)).toBe('orders');
    expect(refitReason(last, 101, DEFAULT_REFIT.intervalMs - 1, DEFAULT_REFIT)).toBeNull();
    expect(refitReason(last, 101, DEFAULT_REFIT.intervalMs, DEFAULT_REFIT)).toBe('interval');
    expect(refitReason(last, 100, DEFAULT_REFIT.intervalMs, DEFAULT_REFIT)).toBeNull();
    expect(refitReason(last, 100, DEFAULT_REFIT.maxAgeMs, DEFAULT_REFIT)).toBe('age');
    expect(endOfShopDay('1997-09-30', 420)).toBe(Date.UTC(1997, 8, 30, 16, 59, 59, 999));
    expect(endOfShopDay('1997-02-29', 420)).toBeNull();
  });
});
