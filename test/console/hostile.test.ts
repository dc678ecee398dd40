/** Hostile and malformed requests to the console API: each is refused with a compact 4xx, or survives, and nothing half-happens. */
import { describe, it, expect } from 'vitest';
import { withAccounts, coffeeOffer } from './helpers.ts';

describe('console API under hostile requests', () => {
  it('refuses a CSRF token of the right length in non-ASCII characters with a 403, not a 500', async () => {
    const t = await withAccounts();
    const path = `/sites/${t.site.id}/offers/mgc-coffee`;
    // Header values are bytes; "é" is one character but two bytes in UTF-8, so a length check on characters passes.
    const forged = 'é' + t.marketer.csrf.slice(1);
    expect(forged.length).toBe(t.marketer.csrf.length);
    const r = await t.marketer.call(path, { method: 'PUT', body: coffeeOffer, headers: { 'x-csrf-token': forged } });
    expect(r.status).toBe(403);
    expect((await r.json() as any).error.code).toBe('csrf');
    expect(await t.store.listOffers(t.site.id)).toEqual([]);
  });

  it('finishes an import whose reader went away (tab closed mid-upload), instead of stopping after a batch with profiles unscored', async () => {
    const t = await withAccounts();
    const n = 2000;
    const csv = 'customer_id,order_date,amount,order_id\n' + Array.from({ length: n }, (_, i) => `c${i % 50},2026-10-0${1 + (i % 9)},${1000 + i},o${i}`).join('\n');
    const res = await t.marketer.call(`/sites/${t.site.id}/import/orders`, { method: 'POST', text: csv, headers: { 'content-type': 'text/csv' } });
    const reader = res.body!.getReader();
    expect(JSON.parse(new TextDecoder().decode((await reader.read()).value).split('\n')[0])).toEqual({ progress: { done: 0, total: n } });
    // The browser closes the connection: @hono/node-server cancels the response stream.
    await reader.cancel();
    const count = async () => Number((await t.store.query('SELECT COUNT(*) AS n FROM orders WHERE site_id = ?', [t.site.id])).rows[0].n);
    const rescored = async () => (await t.store.findProfile(t.site.id, 'c0'))?.scores.computedAt ?? 0;
    for (let i = 0; i < 100 && ((await count()) < n || !(await rescored())); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await count()).toBe(n);
    expect(await rescored()).toBeGreaterThan(0);
  });

  // zod still runs the tiers' refinements after `.min(1)` has failed: one read `levels[0].min` and threw (a 500).
  it('refuses loyalty tiers without any level with a 400 naming the field', async () => {
    const t = await withAccounts();
    const before = (await t.store.getSite(t.site.id))!.settings;
    const r = await t.owner.call(`/sites/${t.site.id}/settings`, { method: 'PATCH', body: { loyalty: { tiers: { levels: [] } } } });
    expect((await t.store.getSite(t.site.id))!.settings).toEqual(before);
    expect(r.status).toBe(400);
    expect((await r.json() as any).error.issues.map((i: any) => i.path)).toContain('loyalty.tiers.levels');
  });
});
