/**
 * `npm start`: the collector and the demo shop on the embedded SQLite store, nothing else.
 * The first run creates the demo site and its offers in .data/demo.db; later runs reuse them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { createCollector } from '../collector/app.ts';
import { openSqliteStore } from '../collector/store/sqlite/index.ts';
import { listen } from '../collector/server.ts';
import { createSite } from '../collector/services/sites.ts';
import { offerInput } from '../collector/offers/schema.ts';
import type { Store } from '../collector/store/types.ts';
import { createShop } from './shop.ts';
import { startRefit } from '../collector/services/refit.ts';
import { createAccount } from '../collector/console/accounts.ts';
import { seedDemoHistory } from './history.ts';

const ROOT = new URL('..', import.meta.url).pathname;

export interface DemoOptions {
  dbPath: string; shopPort: number; collectorPort: number;
  /** Import order history and fit the value models on first run (off in tests that need a blank shop). */
  history?: boolean;
}

/** The demo console account, created on first run and printed in the banner. */
export const DEMO_CONSOLE = { email: 'owner@phin-leaf.demo', password: 'phin-and-leaf' };

export async function startDemo(o: DemoOptions) {
  const store = openSqliteStore(o.dbPath, { backgroundCheckpoints: true });
  const shopOrigin = `http://localhost:${o.shopPort}`;
  const collectorUrl = `http://localhost:${o.collectorPort}`;
  const { site, created } = await ensureDemoSite(store, [shopOrigin, `http://127.0.0.1:${o.shopPort}`]);
  const collector = createCollector({ store });
  if (created && o.history) {
    await seedDemoHistory(collector, site);
    await createAccount(store, { ...DEMO_CONSOLE, role: 'owner' }, { newId: collector.services.newId, now: Date.now(), by: 'demo' });
  }
  const refit = startRefit(collector);
  const c = await listen(collector, store, { port: o.collectorPort, hostname: '127.0.0.1' });
  const shop = createShop({ collectorUrl, writeKey: site.writeKey, secretKey: site.secretKey, distDir: join(ROOT, 'dist') });
  const s = await listen(shop, null, { port: o.shopPort, hostname: '127.0.0.1' });
  return { site, collector, shopUrl: shopOrigin, collectorUrl, async close() { await refit.stop(); await s.close(); await c.close(); } };
}

async function ensureDemoSite(store: Store, origins: string[]) {
  const existing = (await store.listSites()).find((s) => s.name === 'Phin & Leaf demo');
  if (existing) return { site: existing, created: false };
  // The demo shows every visitor an offer: no global control group here (a real shop keeps one).
  const site = await createSite(store, { name: 'Phin & Leaf demo', settings: { origins, decide: { globalHoldoutShare: 0 } } }, monotonicFactory(), Date.now());
  const offers = JSON.parse(readFileSync(join(ROOT, 'demo', 'offers.json'), 'utf8')) as unknown[];
  for (const raw of offers) {
    const o = offerInput.parse(raw);
    await store.saveOffer(site.id, { ...o, version: 0, updatedAt: Date.now(), updatedBy: 'demo' }, null);
  }
  return { site, created: true };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  // A person watches this terminal: show errors, not a JSON line per request (IDIC_LOG=info for those).
  process.env.IDIC_LOG ??= 'error';
  const shopPort = Number(process.env.DEMO_PORT ?? 3000);
  const collectorPort = Number(process.env.COLLECTOR_PORT ?? 8787);
  console.log('  Starting the idic demo (the first run imports 7,000 orders of history and fits the value models)…');
  const demo = await startDemo({ dbPath: process.env.IDIC_DB ?? join(ROOT, '.data', 'demo.db'), shopPort, collectorPort, history: true });
  console.log(`
  idic demo is running

  Shop:      ${demo.shopUrl}
  Console:   ${demo.collectorUrl}/admin   (${DEMO_CONSOLE.email} / ${DEMO_CONSOLE.password})
  Site keys: write ${demo.site.writeKey} · secret ${demo.site.secretKey}

  Browse a category, come back to the home page, and see an offer made for you.
  Log in as Nguyễn Thị Lan (a most valuable customer) or Trần Văn Minh (drifting away) to see
  how the offers change with value. Ctrl+C to stop.
`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
