/** One offer-saving service behind the admin API and the console: validation, versions, authors, cache. */
import { describe, it, expect } from 'vitest';
import { consoleSetup } from './helpers.ts';

const banner = { name: 'Hero', placements: ['home-hero'], kind: 'banner', status: 'active', priority: 500, content: { vi: { title: 'Xin chào' }, en: { title: 'Hello' } } };

describe('saving offers (admin API and console share services/offers.ts)', () => {
  it('validates, versions and stamps the author the same way on both routes', async () => {
    const t = await consoleSetup();
    await t.account('mai@shop.vn', 'marketer');
    const m = await t.client('mai@shop.vn');
    const adminPut = (body: unknown) => t.admin('/offers/hero', { method: 'PUT', body: JSON.stringify(body), headers: { 'x-idic-actor': 'backend' } });
    const consolePut = (body: unknown) => m.call(`/sites/${t.site.id}/offers/hero`, { method: 'PUT', body });

    // The same field-naming 400 from both.
    const bad = { ...banner, placements: [] };
    const a = await adminPut(bad), c = await consolePut(bad);
    expect([a.status, c.status]).toEqual([400, 400]);
    const [ea, ec] = [(await a.json() as any).error, (await c.json() as any).error];
    expect(ea.issues.map((i: any) => i.path)).toEqual(ec.issues.map((i: any) => i.path));
    expect(ea.issues.some((i: any) => String(i.path).includes('placements'))).toBe(true);

    const v1 = (await (await adminPut(banner)).json() as any).offer;
    expect([v1.version, v1.updatedBy]).toEqual([1, 'backend']);
    const v2 = (await (await consolePut({ ...banner, name: 'Hero 2', version: 1 })).json() as any).offer;
    expect([v2.version, v2.updatedBy, v2.name]).toEqual([2, 'mai@shop.vn', 'Hero 2']);

    // A stale version is a 409 on either route, and nothing is written.
    const stale = [await adminPut({ ...banner, version: 1 }), await consolePut({ ...banner, version: 1 })];
    expect(stale.map((r) => r.status)).toEqual([409, 409]);
    for (const r of stale) expect((await r.json() as any).error.code).toBe('version_conflict');
    expect((await t.store.offerHistory(t.site.id, 'hero')).map((o) => o.version)).toEqual(expect.arrayContaining([1, 2]));
    expect((await t.store.offerHistory(t.site.id, 'hero'))).toHaveLength(2);

    // A status change goes through the same save: a new version by the signed-in account.
    const paused = await (await m.call(`/sites/${t.site.id}/offers/hero/status`, { method: 'POST', body: { status: 'paused', version: 2 } })).json() as any;
    expect([paused.offer.status, paused.offer.version, paused.offer.updatedBy]).toEqual(['paused', 3, 'mai@shop.vn']);
  });

  it('drops the cached offers so the next decision sees a saved offer at once', async () => {
    const t = await consoleSetup({ decide: { globalHoldoutShare: 0, exploration: 0 } }, { cacheTtlMs: 3_600_000 });
    await t.account('mai@shop.vn', 'marketer');
    const m = await t.client('mai@shop.vn');
    const decide = async () => ((await (await t.post('/v1/decide', { writeKey: t.site.writeKey, anonymousId: 'v1', placements: ['home-hero'], context: { locale: 'en', path: '/' } })).json()) as any).decisions[0]?.offer?.id ?? null;
    expect(await decide()).toBeNull();
    expect((await m.call(`/sites/${t.site.id}/offers/hero`, { method: 'PUT', body: banner })).status).toBe(200);
    expect(await decide()).toBe('hero');
    expect((await t.admin('/offers/hero', { method: 'PUT', body: JSON.stringify({ ...banner, status: 'paused', version: 1 }) })).status).toBe(200);
    expect(await decide()).toBeNull();
  });
});
