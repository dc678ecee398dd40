/**
 * `npm start` runs a shop with a past: real CDNOW history moved to today, and three demo accounts
 * whose histories land them in different value tiers — checked here on the real demo start-up.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, DEMO_CONSOLE } from '../../demo/server.ts';
import { freePort } from '../support/ports.ts';

describe('demo history', () => {
  it('imports history, fits the models, and tiers the demo customers by value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idic-demo-h-'));
    const demo = await startDemo({ dbPath: join(dir, 'demo.db'), shopPort: await freePort(), collectorPort: await freePort(), history: true });
    try {
      const store = demo.collector.services.store;
      const tier = async (u: string) => (await store.profileByIdentity(demo.site.id, { kind: 'user', value: u }))?.scores.tier;
      expect(await tier('lan.nguyen')).toBe('MVC');
      expect(await tier('minh.tran')).toBe('Migrator');
      expect(['LMC', 'MGC']).toContain(await tier('an.pham'));
      const model = await store.getShopModel(demo.site.id);
      expect(model?.bgnbd?.r).toBeGreaterThan(0);
      const pyramid = await (await fetch(`${demo.collectorUrl}/v1/admin/pyramid`, { headers: { authorization: `Bearer ${demo.site.secretKey}` } })).json();
      expect(pyramid.customers).toBe(2360);
      const mvc = pyramid.tiers.find((t: any) => t.tier === 'MVC');
      // The few most valuable customers hold a large share of the value: the pyramid's point.
      expect(mvc.customerShare).toBeLessThan(0.2);
      expect(mvc.valueShare).toBeGreaterThan(0.4);
      // The console account printed in the banner can sign in.
      const login = await fetch(`${demo.collectorUrl}/v1/console/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: demo.collectorUrl }, body: JSON.stringify(DEMO_CONSOLE) });
      expect(login.status).toBe(200);

      // The codes the demo's offers advertise work at the shop's checkout, priced by the shop.
      const shop = (path: string, body: unknown) => fetch(`${demo.shopUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'idic_id=v-demo-test; lang=en' }, body: JSON.stringify(body) });
      const beans = [{ id: 'arabica-cau-dat', qty: 2 }, { id: 'coffee-book', qty: 1 }];
      expect(await (await shop('/discount', { items: beans, code: 'caphe15' })).json()).toEqual({ amount: 78_000, total: 730_000 - 78_000 });
      const notYet = await shop('/discount', { items: beans, code: 'BOSUUTAP10' });
      expect(notYet.status).toBe(400);
      expect((await notYet.json()).error).toMatch(/does not apply/);
      expect((await shop('/discount', { items: beans, code: 'NOPE' })).status).toBe(400);
      const order = await (await shop('/checkout', { items: beans, code: 'NHOBAN50' })).json();
      expect(order.revenue).toBe(730_000 - 50_000);
      // The cart page carries the catalogue its script shows names and prices from.
      const cart = await (await fetch(`${demo.shopUrl}/cart`, { headers: { cookie: 'lang=en' } })).text();
      expect(cart).toContain('Cầu Đất Arabica 250 g');
    } finally {
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
